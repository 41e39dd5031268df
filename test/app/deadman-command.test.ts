import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { deadmanSwitchKey } from '../../src/app/deadman/index.js';
import { paperChat } from '../kit/paper-chat.js';
import { REDIS_URL, deleteKeys, uniquePrefix } from '../kit/redis.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The line of the answer that starts with `head`. */
const line = (text: string, head: string) => text.split('\n').find((l) => l.includes(head)) ?? '';

describe("/deadman through the chat (issue 10's dead-man's switch)", () => {
  it('shows the bound, sets it in Redis for the watchdog, turns it off, and /status shows the last heartbeat and the switch', async () => {
    const { type } = await paperChat({ MARKET_SYMBOLS: 'BTCUSDT', PREFIX_LEASE_SECONDS: '20', DEADMAN_AFTER_SECONDS: '600' });
    const shown = await type('/deadman', 'Change it:');
    expect(line(shown, "Dead-man's switch:")).toBe("Dead-man's switch: 600 s (10 min) without a heartbeat (DEADMAN_AFTER_SECONDS)");
    expect(line(shown, 'Last heartbeat:')).toMatch(
      /^Last heartbeat: [\d.]+ s ago · ⚠️ no watchdog is watching: run `telegrid watchdog`, or the switch does nothing$/,
    );
    expect(shown).toContain("If the bot's heartbeat stops for 600 s (10 min), the watchdog cancels every bot order");

    const set = await type('/deadman 300', 'Change it:');
    expect(set).toContain("✅ Dead-man's switch set.");
    expect(line(set, "Dead-man's switch:")).toBe("Dead-man's switch: 300 s (5 min) without a heartbeat (set with /deadman)");

    const status = await type('/status', 'Last heartbeat:');
    expect(status).toContain("Dead-man's switch: 300 s (5 min) without a heartbeat (set with /deadman)");
    expect(line(status, 'Last heartbeat:')).toMatch(/^Last heartbeat: [\d.]+ s ago/);

    const off = await type('/deadman OFF', 'Change it:');
    expect(off).toContain("✅ Dead-man's switch is off.");
    expect(line(off, "Dead-man's switch:")).toBe("Dead-man's switch: off (set with /deadman)");
    expect(off).toContain('Nothing happens when the bot stops');
  });

  it('stores the bound where the watchdog reads it', async () => {
    const prefix = uniquePrefix();
    const redis = new Redis(REDIS_URL);
    cleanup.push(() => redis.quit());
    const { type, app } = await paperChat({ MARKET_SYMBOLS: 'BTCUSDT', KEY_PREFIX: prefix, PREFIX_LEASE_SECONDS: '4' });
    cleanup.push(async () => {
      await app.shutdown();
      await deleteKeys(prefix);
    });
    await type('/deadman 45', 'Change it:');
    expect(await redis.hget(deadmanSwitchKey(prefix), 'after')).toBe('45');
    await type('/deadman off', 'Change it:');
    expect(await redis.hget(deadmanSwitchKey(prefix), 'after')).toBe('0');
    // A bound written by another process (another bot session, by hand) reaches /status with the next heartbeat.
    await redis.hset(deadmanSwitchKey(prefix), 'after', '120');
    const end = Date.now() + 30_000;
    let answer = await type('/status', 'Last heartbeat:');
    while (!answer.includes('120 s') && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await type('/status', 'Last heartbeat:');
    }
    expect(answer).toContain("Dead-man's switch: 120 s (2 min) without a heartbeat (set with /deadman)");
  });

  it('refuses bad input with which argument, what was expected and an example', async () => {
    const { type } = await paperChat({ MARKET_SYMBOLS: 'BTCUSDT', PREFIX_LEASE_SECONDS: '20' });
    const expected = "/deadman takes 'off' or whole seconds without a heartbeat from 20 to 604800, e.g. /deadman 300.";
    const usage = 'Usage: /deadman [off|SECONDS]\nExample: /deadman 300';
    const cases: Array<[string, string]> = [
      ['/deadman soon', `✗ unknown argument 'soon': ${expected}`],
      ['/deadman -5', `✗ unknown argument '-5': ${expected}`],
      ['/deadman 1.5', `✗ unknown argument '1.5': ${expected}`],
      ['/deadman 5m', `✗ '5m' has a unit: /deadman takes plain seconds (5m is /deadman 300). ${expected}`],
      [
        '/deadman 10',
        "✗ 10 s is shorter than the bot's lease: a bound must be at least 20 s (PREFIX_LEASE_SECONDS, four heartbeats), " +
          `or one late heartbeat would set it off. ${expected}`,
      ],
      ['/deadman 700000', `✗ 700000 s is longer than a week (604800 s); use 'off' instead. ${expected}`],
      ['/deadman 300 600', "✗ unexpected argument '600'; /deadman takes at most 1 (off|SECONDS)."],
    ];
    for (const [input, problem] of cases) {
      const answer = await type(input, 'Example: /deadman 300');
      expect(answer, input).toContain(`${problem}\n${usage}`);
      expect(answer, input).not.toContain('✅');
    }
    // Nothing was stored by any of them.
    expect(line(await type('/deadman', 'Change it:'), "Dead-man's switch:")).toBe("Dead-man's switch: off (DEADMAN_AFTER_SECONDS)");
  });
});
