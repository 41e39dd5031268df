import { describe, expect, it } from 'vitest';
import { type Notification, Outbox } from '../../../src/chat/outbox/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { redisForEachTest } from '../../kit/redis.js';
import { FakeTelegram } from './outbox-kit.js';

const db = redisForEachTest();

/** Moves the clock from its time to `to` in `step` ms, enqueuing what is due at each instant, with one pump per step. */
async function drive(
  clock: ManualClock,
  outbox: Outbox,
  schedule: readonly { readonly at: number; readonly note: Notification }[],
  to: number,
  step = 100,
): Promise<void> {
  let next = 0;
  for (let t = clock.now(); t <= to; t += step) {
    clock.set(t);
    while (next < schedule.length && (schedule[next]?.at ?? Infinity) <= t) await outbox.enqueue(schedule[next++]!.note);
    await outbox.pump();
  }
}

const fillsTold = (lines: readonly string[]): number =>
  lines.reduce((n, line) => {
    const digest = /^✅ (\d+) fills on /.exec(line);
    return n + (digest ? Number(digest[1]) : /^FILL /.test(line) ? 1 : 0);
  }, 0);

describe('the outbox never gives up on a note a transient failure held back', () => {
  it('Telegram answering 5xx for 20 s while 39 fills arrive: every fill is told once Telegram is back, none dropped', async () => {
    const clock = new ManualClock(7_000_000);
    const t0 = clock.now();
    const tg = new FakeTelegram(clock);
    tg.script = (call) => (call.at < t0 + 20_000 ? { ok: false, error: 'Internal Server Error', permanent: false } : undefined);
    const warnings: string[] = [];
    const outbox = new Outbox({ redis: db.redis, keyPrefix: db.prefix, send: tg.send, clock, log: { warn: (_o, msg) => warnings.push(msg) } });
    const schedule = Array.from({ length: 39 }, (_, i) => ({
      at: t0 + i * 500,
      note: {
        chatId: 77,
        kind: 'fill',
        text: `FILL BUY ${i}`,
        symbol: 'BTCUSDT',
        fill: { side: 'BUY', quantity: 1n, quote: 10n },
      } satisfies Notification,
    }));

    await drive(clock, outbox, schedule, t0 + 120_000);

    expect(fillsTold(tg.lines())).toBe(39);
    expect(await outbox.pending(77)).toBe(0);
    expect((await outbox.stats()).dropped).toBe(0);
    expect(tg.violations).toBe(0);
    // Retried with backoff meanwhile, not once at the end.
    expect(tg.calls.filter((c) => c.at < t0 + 20_000).length).toBeGreaterThan(3);
    expect(warnings.every((w) => w === 'outbox: send failed')).toBe(true);
  });
});
