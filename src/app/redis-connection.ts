import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connection options for REDIS_URL. Commands wait through an outage instead of failing (`maxRetriesPerRequest: null`,
 * which BullMQ's blocking connections require anyway), so a Redis restart delays the bot rather than losing a write.
 */
function redisOptions(url: string): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: Number.isInteger(db) ? db : 0,
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    // Reconnect quickly at first, then every 2 s: the bot holds its orders until Redis is back.
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2_000),
  };
}

/** The same options in BullMQ's terms (its own RedisOptions type, structurally the same). */
export function bullConnection(url: string): ConnectionOptions {
  return redisOptions(url) as ConnectionOptions;
}

/** Connects and answers within `timeoutMs`, or says why not; the client is closed on failure. */
export async function connectRedis(url: string, timeoutMs = 5_000): Promise<{ ok: true; redis: Redis } | { ok: false; message: string }> {
  const redis = new Redis(redisOptions(url));
  redis.on('error', () => undefined); // reported through the events the app listens to, not as unhandled errors
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs).unref()));
  const answer = await Promise.race([redis.ping().catch((e: unknown) => e), late]);
  clearTimeout(timer);
  if (answer === 'PONG') return { ok: true, redis };
  redis.disconnect();
  const why = answer === 'timeout' ? `no answer within ${timeoutMs / 1000} s` : answer instanceof Error ? answer.message : String(answer);
  return { ok: false, message: `Redis at ${new URL(url).host} is unreachable (${why}); telegrid keeps its order queue and state there` };
}

/** Tells when Redis goes away and comes back, once per outage; returns the function that stops watching. */
export function watchRedis(redis: Redis, on: { lost(): void; back(): Promise<void> }): () => void {
  let down = false;
  const lost = () => {
    if (down) return;
    down = true;
    on.lost();
  };
  const ready = () => {
    if (!down) return;
    down = false;
    void on.back();
  };
  redis.on('close', lost);
  redis.on('ready', ready);
  return () => {
    redis.off('close', lost);
    redis.off('ready', ready);
  };
}
