import type { Redis } from 'ioredis';
import { DeadmanSetting } from '../../src/app/deadman/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, type OutboxSendResult } from '../../src/chat/index.js';
import { REDIS_KEYS, type RedisKeyName } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { RateGovernor } from '../../src/execution/index.js';
import { FakeTelegram, until, virtualTimers } from '../chat/outbox/outbox-kit.js';
import { connect, deleteKeys, uniquePrefix } from '../kit/redis.js';
import { watchRedisKeys } from '../kit/redis-key-watch.js';

const CHAT = 1001;
const OTHER = -1002;
const silent = { warn: () => undefined };

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/**
 * The families the full run (redis-keys-run.test.ts) may never write are each written here, by the real writer on the
 * path that writes it, and found in the table; so every family of the table is produced by some test.
 */
describe('the rare Redis keys are in the one table too', () => {
  it("a 429 pause of the rate budget; the outbox's pause, error count, maybe-sent flag and dead letters; the dead-man bound", async () => {
    const prefix = uniquePrefix();
    cleanup.push(() => deleteKeys(prefix));
    const watch = await watchRedisKeys(prefix);
    cleanup.push(() => watch.stop());
    const redis: Redis = await connect();
    cleanup.push(() => redis.quit());

    // Binance said 429: the shared pause.
    const governor = new RateGovernor({
      redis,
      keyPrefix: prefix,
      rules: [{ id: 'weight:1m', kind: 'weight', limit: 10, windowMs: 60_000 }],
    });
    await governor.pause(Date.now() + 60_000);

    // Telegram answers 429, then an error (the chat pauses, the error is counted), then the third send hangs: its
    // process is as good as dead. Another process takes the chat over after the lease and resends, flagged as maybe
    // sent; that send hangs too, so each key is still there when sampled.
    const clock = new ManualClock(1_000_000);
    const tg = new FakeTelegram(clock);
    const hung: Array<(r: OutboxSendResult) => void> = [];
    tg.script = (_call, n) => {
      if (n === 1) return { ok: false, retryAfterMs: 1_000 };
      if (n === 2) return { ok: false, description: 'Bad Request: message is too long' };
      if (n <= 4) return new Promise<OutboxSendResult>((resolve) => hung.push(resolve));
      return undefined;
    };
    const options = { redis, keyPrefix: prefix, send: tg.send, clock, timers: virtualTimers(clock), leaseMs: 30_000, log: silent };
    const dying = new Outbox(options);
    await dying.enqueue({ chatId: CHAT, kind: 'recovery', text: 'one' });
    dying.start();
    await until(() => hung.length === 1);
    await watch.sample();
    const heir = new Outbox(options);
    heir.start();
    await until(() => hung.length === 2);
    await watch.sample();
    for (const resolve of hung) resolve({ ok: true });
    await heir.stop();
    await dying.stop();

    // A note that cannot be read is set aside in the dead-letter hash.
    const reader = new Outbox(options);
    await reader.enqueue({ chatId: OTHER, kind: 'recovery', text: 'fine' });
    const id = (await reader.enqueue({ chatId: OTHER, kind: 'recovery', text: 'to be damaged' }))!;
    await redis.hset(REDIS_KEYS.outboxItems.key(prefix), id, '{"k":"recovery","t":');
    reader.start();
    await until(async () => (await redis.hexists(REDIS_KEYS.outboxDead.key(prefix), `note:${id}`)) === 1);
    await reader.stop();

    // The owner sets the dead-man bound with /deadman (a watchdog's look writes the same hash).
    const deadman = new DeadmanSetting({ redis, prefix, configuredSeconds: 0, leaseSeconds: 20, lastBeat: () => undefined, now: Date.now });
    expect((await deadman.set(300)).ok).toBe(true);
    await watch.stop();

    const all = watch.judge([...watch.existed, ...watch.named]);
    expect(all.strays).toEqual([]);
    expect(all.ambiguous).toEqual([]);
    const existed = watch.judge(watch.existed).families;
    const rare = (Object.keys(REDIS_KEYS) as RedisKeyName[]).filter((n) => REDIS_KEYS[n].seen === 'rare');
    expect(rare.filter((n) => !existed.has(n))).toEqual([]);
  });
});
