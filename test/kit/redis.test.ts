/** The Redis kit cleans up after a test and nothing else: only the keys under its own prefix go. */
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, scanKeys, uniquePrefix, withRedis } from './redis.js';

const mine = uniquePrefix();
const neighbours = [`${mine}x`, `${mine}*`, mine.slice(0, -1)];

afterAll(async () => {
  await withRedis(async (redis) => {
    for (const p of neighbours) await redis.del(`${p}:k`);
  });
});

describe('test/kit/redis', () => {
  it('uniquePrefix never repeats', () => {
    expect(uniquePrefix()).not.toBe(uniquePrefix());
  });

  it('deleteKeys removes every key under the prefix, however many, and no key of a prefix that merely starts alike', async () => {
    await withRedis(async (redis) => {
      const batch = redis.pipeline();
      for (let i = 0; i < 1_200; i++) batch.set(`${mine}:k${i}`, '1');
      for (const p of neighbours) batch.set(`${p}:k`, '1');
      await batch.exec();
      expect(await scanKeys(redis, `${mine}:*`)).toHaveLength(1_200);
      await deleteKeys(mine);
      expect(await scanKeys(redis, `${mine}:*`)).toEqual([]);
      expect(await redis.exists(...neighbours.map((p) => `${p}:k`))).toBe(neighbours.length);
    });
  });

  it('a prefix with glob characters matches only itself', async () => {
    await withRedis(async (redis) => {
      await redis.set(`${mine}x:k`, '1');
      await deleteKeys(`${mine}*`);
      expect(await redis.exists(`${mine}x:k`)).toBe(1);
    });
  });
});
