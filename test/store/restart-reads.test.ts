/**
 * What a restart reads of the bot's state does not grow with its history (issue 14, `restart_to_trading`): `load`
 * reads the same few keys whatever the fill journal holds, and never the journal itself (it is written, never read
 * back). The orders hash it does read is bounded by the finished-order retention (test/app/redis-retention.test.ts).
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_KEYS } from '../../src/domain/index.js';
import { connect, deleteKeys, uniquePrefix } from '../kit/redis.js';
import { engineWithStore, tradeAMorning } from './state-kit.js';

let redis: Redis;
const prefix = uniquePrefix();

beforeAll(async () => {
  redis = await connect();
  const rig = await tradeAMorning(redis, prefix);
  await rig.engine.stop();
}, 60_000);

afterAll(async () => {
  await deleteKeys(prefix);
  await redis.quit();
});

/** Every command `load` sends, as `name key`, through a Redis that records them. */
async function readsOfLoad(): Promise<string[]> {
  const sent: string[] = [];
  const recording = new Proxy(redis, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        sent.push(`${String(name)} ${String(args[0])}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const loaded = await engineWithStore(recording, prefix).store.load();
  if (!loaded.ok || loaded.value === undefined) throw new Error('nothing loaded');
  return sent.sort();
}

describe("a restart's read of the saved state", () => {
  it('is the same seven keys with a fill journal of 10,000 more fills, and never the journal', async () => {
    const journal = REDIS_KEYS.stateFills.key(prefix);
    const fill = await redis.lindex(journal, -1);
    expect(fill).not.toBeNull();
    const before = await readsOfLoad();
    expect(before).toHaveLength(7);

    await redis.rpush(journal, ...Array.from({ length: 10_000 }, () => fill!));
    const after = await readsOfLoad();
    expect(after).toEqual(before);
    expect(after.filter((c) => c.endsWith(journal))).toEqual([]);
  });
});
