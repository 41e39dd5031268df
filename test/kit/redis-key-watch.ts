import { Redis } from 'ioredis';
import { REDIS_KEYS, type RedisKeyName } from '../../src/domain/index.js';
import { connect, scanKeys } from './redis.js';

/**
 * Watches every key a run touches under one prefix, without MONITOR (which would see every other test's traffic on the
 * shared Redis) and without keyspace notifications (a server setting other runs share):
 * - `named`: every key any command of this process names (ioredis's own key positions, KEYS[] of EVAL/EVALSHA
 *   included), caught at `Redis.prototype.sendCommand`, which every client here goes through: the bot's, BullMQ's, the
 *   lease's, the paper account's. It sees keys that live for a moment (an in-flight record, a job lock) and keys only read.
 * - `existed`: every key a SCAN found, sampled every `everyMs` while the run goes: proof that a key was written, for
 *   keys a Lua script builds itself (BullMQ's) as much as for the ones passed in.
 */
export async function watchRedisKeys(prefix: string, everyMs = 20) {
  const named = new Set<string>();
  const existed = new Set<string>();
  const mine = `${prefix}:`;
  type Send = (this: Redis, command: { getKeys(): Array<string | Buffer> }, ...rest: unknown[]) => unknown;
  const proto = Redis.prototype as unknown as { sendCommand: Send };
  const original = proto.sendCommand;
  proto.sendCommand = function (this: Redis, command, ...rest) {
    for (const key of command.getKeys()) {
      const text = typeof key === 'string' ? key : key.toString('utf8');
      if (text.startsWith(mine)) named.add(text);
    }
    return original.call(this, command, ...rest);
  };
  const redis = await connect();
  const glob = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*`;
  let running = true;
  const sample = async (): Promise<void> => {
    for (const key of await scanKeys(redis, glob)) existed.add(key);
  };
  const loop = (async () => {
    while (running) {
      await sample();
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();

  /** The families of the keys seen, and the keys no family matches. */
  function judge(keys: Iterable<string>): { families: Set<RedisKeyName>; strays: string[]; ambiguous: string[] } {
    const names = Object.keys(REDIS_KEYS) as RedisKeyName[];
    const families = new Set<RedisKeyName>();
    const strays: string[] = [];
    const ambiguous: string[] = [];
    for (const key of keys) {
      const rest = key.slice(mine.length);
      const matches = names.filter((name) => REDIS_KEYS[name].pattern.test(rest));
      if (matches.length === 0) strays.push(key);
      if (matches.length > 1) ambiguous.push(`${key}: ${matches.join(', ')}`);
      for (const m of matches) families.add(m);
    }
    return { families, strays: strays.sort(), ambiguous };
  }

  return {
    named,
    existed,
    /** One more sample now (a point in the run worth seeing, e.g. before a shutdown deletes the lease). */
    sample,
    judge,
    /** Stops sampling and puts sendCommand back; the last sample is taken first. */
    async stop(): Promise<void> {
      if (!running) return;
      running = false;
      await loop;
      await sample();
      proto.sendCommand = original;
      await redis.quit();
    },
  };
}
