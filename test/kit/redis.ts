/**
 * The one kit for tests on the real Redis: where it is, a key prefix no other run uses, a connection (or one per test),
 * the keys under a prefix and their clean-up (only that prefix's), and a port nobody answers on for a Redis that is down.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, beforeEach } from 'vitest';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A KEY_PREFIX no other run or test uses, so a shared Redis never leaks state between them. */
export function uniquePrefix(): string {
  return `test:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** A connection to REDIS_URL, already connected (a Redis that is not there fails here, not at the first command). */
export async function connect(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  return redis;
}

/** Runs `fn` on a connection of its own, closed afterwards whatever `fn` does. */
export async function withRedis<T>(fn: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = await connect();
  try {
    return await fn(redis);
  } finally {
    await redis.quit();
  }
}

/**
 * For a test file: before each test, a connection and a fresh prefix (read them from the returned object); after it,
 * the prefix's keys are deleted and the connection is closed, unless the test closed it.
 */
export function redisForEachTest(): { readonly redis: Redis; readonly prefix: string } {
  const current = { redis: undefined as unknown as Redis, prefix: '' };
  beforeEach(async () => {
    current.redis = await connect();
    current.prefix = uniquePrefix();
  });
  afterEach(async () => {
    await deleteKeys(current.prefix);
    if (current.redis.status !== 'end') await current.redis.quit();
  });
  return current;
}

/** Every key matching the glob `pattern`, by SCAN (never KEYS, which stops a shared Redis while it runs). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** The glob for every key under `<prefix>:` and no other (glob characters in the prefix match only themselves). */
function prefixGlob(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*`;
}

/** Deletes every key under `<prefix>:` and nothing else. */
export async function deleteKeys(prefix: string): Promise<void> {
  await withRedis(async (redis) => {
    const keys = await scanKeys(redis, prefixGlob(prefix));
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  });
}

/** A loopback port nothing listens on: `redis://127.0.0.1:<port>` is a Redis that is down, or where to start one. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
