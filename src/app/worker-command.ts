import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { systemClock } from '../engine/index.js';
import { systemTime } from '../execution/index.js';
import type { Config } from './config.js';
import { type ExchangeConnection, sandboxKey } from './paper-exchange.js';
import { openPipeline } from './pipeline.js';
import { type LeaseHolder, type PrefixFingerprint, type PrefixOwner, fingerprintMismatch, readOwner, redisWhere } from './prefix-lease.js';
import { connectRedis } from './redis-connection.js';
import { binanceExchange, reachExchange } from './venue.js';

/**
 * `telegrid worker`: order workers only, on the bot's Redis (REDIS_URL, KEY_PREFIX) and exchange, for owners who
 * outgrow one process. They share the bot's queues, its rate budget and its trading state, so any number of them can run
 * beside the bot (start the bot with ORDER_WORKERS_IN_PROCESS=false to leave all the work to them). Resolves with the
 * exit code once `stopped` resolves and the jobs in hand are finished.
 */
export async function runWorker(config: Config, log: Logger, stopped: Promise<void>, out: (line: string) => void): Promise<number> {
  const exchange = config.TRADING_MODE === 'paper' ? sharedSandbox(config) : binanceExchange(config);
  if (exchange === undefined) {
    out(
      'telegrid worker: in paper mode a worker needs the sandbox the bot uses: run `telegrid sandbox` ' +
        'and point the bot and its workers at it with BINANCE_HTTP_BASE, BINANCE_WS_BASE and BINANCE_WS_API.',
    );
    return 2;
  }
  const httpBase = exchange.endpoints.httpBase;
  const reached = await reachExchange(config, { clock: systemClock, log }, exchange, []);
  if (!reached.ok) {
    out(`telegrid worker: ${reached.error.message}`);
    return 2;
  }
  // The router: a worker places and cancels perpetuals (FUTURES_SYMBOLS) as well as spot.
  const { router: gateway } = reached.value;
  const connected = await connectRedis(config.REDIS_URL);
  if (!connected.ok) {
    out(`telegrid worker: ${connected.message}`);
    return 2;
  }
  const redis = connected.redis;
  const prefix = config.KEY_PREFIX;
  const mine = { mode: config.TRADING_MODE, exchange: httpBase, apiKey: exchange.apiKey };
  const guard = new OwnerWatch(redis, prefix, stopped);
  // Issue 9: a worker joins a prefix on purpose, so it works only for the bot that owns it (its lease) and only when that
  // bot trades on this worker's exchange with this worker's key (its fingerprint). With no bot on the prefix it waits
  // rather than refusing: the bot and its workers are started together in any order (compose, systemd), and a worker
  // that takes no job while it waits is harmless; it also waits again when the bot stops, and checks the next one.
  for (;;) {
    const owner = await guard.owner((holder) =>
      out(
        holder
          ? `telegrid worker: the bot on ${prefix} (host ${holder.host}, pid ${holder.pid}) is still starting; waiting for it.`
          : `telegrid worker: no bot owns KEY_PREFIX "${prefix}" on Redis ${redisWhere(config.REDIS_URL)} yet; waiting for one ` +
              '(a worker takes jobs only for a running bot on its own exchange and key). Ctrl-C to stop.',
      ),
    );
    if (!owner) break;
    const h = owner.holder;
    const mismatch = fingerprintMismatch(owner.fingerprint, mine);
    if (mismatch) {
      out(
        `telegrid worker: refusing to work the order queues of KEY_PREFIX "${prefix}": ` +
          `the bot that owns it (host ${h.host}, pid ${h.pid}) trades elsewhere: ${mismatch}. ` +
          (h.embedded
            ? 'That bot runs its own sandbox, which no worker can share: start `telegrid sandbox` ' +
              'and point the bot and its workers at it with BINANCE_HTTP_BASE, BINANCE_WS_BASE and BINANCE_WS_API.'
            : "A worker places the bot's orders with its own key on its own exchange, so both must be the bot's: " +
              'use its TRADING_MODE, BINANCE_HTTP_BASE (and WS URLs) and BINANCE_API_KEY/SECRET, ' +
              'or the KEY_PREFIX of the bot this worker belongs to.'),
      );
      await redis.quit();
      return 2;
    }
    // The same pipeline the bot builds, with the workers always on.
    const pipeline = openPipeline(config, { gateway, redis, time: systemTime, log }, true);
    out(
      `telegrid worker: working the order queues of ${prefix} on ${httpBase} (${config.ORDER_CONCURRENCY} at once) ` +
        `for the bot on host ${h.host}, pid ${h.pid}; Ctrl-C or SIGTERM to stop.`,
    );
    const ended = await guard.until(h.token);
    // Jobs in hand finish (BullMQ waits for them); nothing new is taken.
    await pipeline.close();
    if (ended === 'stopped') break;
    out(`telegrid worker: the bot that owned ${prefix} is gone (stopped, or its lease lapsed): no job is taken until a bot owns it again.`);
  }
  await redis.quit();
  out('telegrid worker: stopped');
  return 0;
}

/** How often a worker looks at the prefix's lease (joining, and while it works for the bot). */
const OWNER_POLL_MS = 1_000;

/** Watches who owns a prefix, for a worker; every wait ends early when the worker is told to stop. */
class OwnerWatch {
  private stop = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly stopped: Promise<void>,
  ) {
    void stopped.then(() => {
      this.stop = true;
    });
  }

  private pause(): Promise<unknown> {
    return Promise.race([new Promise((r) => setTimeout(r, OWNER_POLL_MS).unref()), this.stopped]);
  }

  private async read(): Promise<PrefixOwner | undefined> {
    try {
      return await readOwner(this.redis, this.prefix);
    } catch {
      return undefined; // Redis away: no bot can be told apart, and no job can be taken either
    }
  }

  /** The owner with its fingerprint once there is one (`waiting` said once per kind of wait), or undefined when stopped. */
  async owner(
    waiting: (starting: LeaseHolder | undefined) => void,
  ): Promise<(PrefixOwner & { fingerprint: PrefixFingerprint }) | undefined> {
    let said: string | undefined;
    for (;;) {
      if (this.stop) return undefined;
      const owner = await this.read();
      if (owner?.fingerprint) return { ...owner, fingerprint: owner.fingerprint };
      const kind = owner ? 'starting' : 'none';
      if (said !== kind) waiting(owner?.holder);
      said = kind;
      await this.pause();
    }
  }

  /** Resolves when the lease is no longer `token`'s (the bot stopped, lapsed or was replaced), or when stopped. */
  async until(token: string): Promise<'gone' | 'stopped'> {
    for (;;) {
      await this.pause();
      if (this.stop) return 'stopped';
      let owner: PrefixOwner | undefined;
      try {
        owner = await readOwner(this.redis, this.prefix);
      } catch {
        continue; // Redis away: nothing can be taken meanwhile; look again when it answers
      }
      if (owner?.holder.token !== token) return 'gone';
    }
  }
}

/** The sandbox the bot shares through BINANCE_* (its own embedded one cannot be shared), with the sandbox's key. */
export function sharedSandbox(config: Config): ExchangeConnection | undefined {
  if (!config.BINANCE_HTTP_BASE) return undefined;
  return { ...binanceExchange(config), ...sandboxKey(config) };
}
