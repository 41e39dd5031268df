import { randomUUID } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { type Result, failure, ok } from '../domain/index.js';
import { BINANCE_LIVE, BINANCE_TESTNET } from '../exchange/binance/index.js';
import type { Config } from './config.js';
import { type LastBeat, deadmanSwitchKey, heartbeatKey } from './deadman/heartbeat.js';
import { RELEASE, RENEW, TAKE_OVER } from './prefix-lease-scripts.js';
import {
  type LeaseHolder,
  type PrefixFingerprint,
  type PrefixOwner,
  accountId,
  describeOwner,
  fingerprintKey,
  leaseKey,
  parseHolder,
  readOwner,
  redisWhere,
} from './prefix-owner.js';
import { connectRedis } from './redis-connection.js';

/**
 * One bot per KEY_PREFIX (issue 9). Everything a bot keeps in Redis sits under its prefix: the order queues, the state,
 * the rate budget, the trading state every worker obeys, the paper account. Two bots on one prefix therefore share one
 * queue and one state and place each other's orders on their own exchange. So a bot takes a lease on its prefix before
 * it reads or writes anything under it, renews it on a heartbeat, and gives it back when it stops; a second bot finds
 * the lease held and refuses to start, naming the holder.
 *
 * Keys (both under the prefix, so a second bot on another prefix or another Redis database never meets them):
 * - `<prefix>:owner:lease` — the holder record (JSON, below) with a random token, set with `SET NX PX`: it expires
 *   `PREFIX_LEASE_SECONDS` after the last heartbeat, so a crashed bot's prefix frees itself. Renewal and release are
 *   Lua scripts that act only while the token is still the holder's: a bot never extends or deletes another's lease.
 * - `<prefix>:owner:fingerprint` — where the owning bot trades: mode, exchange REST base, and `sha256:` of its API key
 *   (16 hex digits, never the key or the secret), with the lease token it belongs to. `telegrid worker` compares its
 *   own exchange and key with it before taking a job. Only the lease holder writes it, again on each heartbeat with
 *   the lease's expiry (so it survives a Redis that restarted empty and lapses with the lease), and deletes it with
 *   the lease at shutdown; a worker trusts it only while its token is the live lease's.
 *
 * Choices:
 * - The heartbeat runs on wall time (Date.now, setInterval), never the engine's clock (a replay's market time), every
 *   quarter of the lease, so three heartbeats can be missed before the lease lapses.
 * - The age of the holder's heartbeat is read from the key's remaining time to live (lease − PTTL), which is Redis's
 *   own clock: right even when the two hosts' clocks disagree.
 * - A holder on this same host and in this same PID namespace whose process no longer exists has crashed (kill -9,
 *   OOM): its lease is taken over at once instead of waiting for it to lapse. Anywhere else a lease is only taken once
 *   it has expired.
 * - A renewal that finds the key gone (Redis restarted empty, or this process stalled past the lease and nobody took
 *   it) takes it again and logs a warning; one that finds another token has lost the prefix (see `onLost`).
 */

/** Tokens of the leases this process holds: a holder with this process's pid but another token is a dead predecessor. */
const heldHere = new Set<string>();

function ownPidns(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it just is not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder ran here (same host, same PID namespace) and its process is gone: it crashed without giving the lease back. */
function crashedHere(holder: LeaseHolder): boolean {
  const pidns = ownPidns();
  if (holder.host !== hostname() || pidns === undefined || holder.pidns !== pidns) return false;
  if (holder.pid === process.pid) return !heldHere.has(holder.token);
  return !pidAlive(holder.pid);
}

export interface PrefixLeaseOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly mode: string;
  /** The exchange as far as it is known before it opens (BINANCE_HTTP_BASE or the mode's default). */
  readonly exchange: string;
  readonly leaseMs: number;
  readonly log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** How long a starting bot waits for a holder that says it is stopping (its jobs in hand may take a while). */
const STOPPING_WAIT_MS = 30_000;

/** How long a lease operation at shutdown may wait for Redis before the lease is left to lapse on its own. */
const RELEASE_BOUND_MS = 2_000;

/** The timer is cleared once `p` settles: a bot stopped and started in one process leaves none behind. */
async function bounded<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms).unref()))]);
  } finally {
    clearTimeout(timer);
  }
}

/** A bot's hold on its prefix: acquired before anything under the prefix is touched, renewed until released or lost. */
export class PrefixLease {
  private record: LeaseHolder;
  private fingerprint = '';
  private timer: ReturnType<typeof setInterval> | undefined;
  private renewing: Promise<void> | undefined;
  private released: Promise<void> | undefined;
  private lostFlag = false;
  private lostWith: { owner: PrefixOwner | undefined; text: string } | undefined;
  private beat: LastBeat | undefined;
  private readonly beatListeners: Array<(beat: LastBeat) => void> = [];
  private readonly lostListeners: Array<(owner: PrefixOwner | undefined, text: string) => void> = [];

  private constructor(
    private readonly redis: Redis,
    private readonly o: PrefixLeaseOptions,
    record: LeaseHolder,
  ) {
    this.record = record;
  }

  /**
   * Takes the prefix, or says who holds it and what to do. The lease has its own Redis connection, so a heartbeat
   * never queues behind the bot's state writes.
   */
  static async acquire(o: PrefixLeaseOptions): Promise<Result<PrefixLease>> {
    const connected = await connectRedis(o.redisUrl);
    if (!connected.ok) return failure('REDIS_UNREACHABLE', connected.message);
    const redis = connected.redis;
    const pidns = ownPidns();
    const token = randomUUID();
    const recordNow = (): LeaseHolder => {
      const now = Date.now();
      return {
        version: 1,
        token,
        host: hostname(),
        pid: process.pid,
        ...(pidns ? { pidns } : {}),
        mode: o.mode,
        exchange: o.exchange,
        startedAt: now,
        heartbeatAt: now,
        leaseMs: o.leaseMs,
      };
    };
    const key = leaseKey(o.prefix);
    const waitUntil = Date.now() + STOPPING_WAIT_MS;
    let saidWaiting = false;
    try {
      // A few rounds: the holder may lapse or be found dead between our SET and our look at it.
      for (let round = 0; round < 5;) {
        const record = recordNow();
        if ((await redis.set(key, JSON.stringify(record), 'PX', o.leaseMs, 'NX')) === 'OK')
          return ok(new PrefixLease(redis, o, record).start());
        const owner = await readOwner(redis, o.prefix);
        if (!owner) {
          round++;
          continue; // lapsed meanwhile, or unreadable: SET NX decides again
        }
        if (crashedHere(owner.holder)) {
          round++;
          const taken = await redis.eval(TAKE_OVER, 1, key, record.token, JSON.stringify(record), String(o.leaseMs), owner.holder.token);
          if (taken === 1) {
            o.log.warn(
              { prefix: o.prefix, pid: owner.holder.pid },
              `took over the prefix lease of a bot that died on this host (pid ${owner.holder.pid})`,
            );
            return ok(new PrefixLease(redis, o, record).start());
          }
          continue;
        }
        // A bot that is shutting down gives the prefix back in a moment (a restart right after a stop): wait for it.
        if (owner.holder.stopping && Date.now() < waitUntil) {
          if (!saidWaiting)
            o.log.warn(
              { prefix: o.prefix, pid: owner.holder.pid },
              'the bot on this prefix is stopping; waiting for it to give the prefix back',
            );
          saidWaiting = true;
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        redis.disconnect();
        return failure('PREFIX_TAKEN', refusal(o, owner));
      }
      redis.disconnect();
      return failure(
        'PREFIX_TAKEN',
        `KEY_PREFIX "${o.prefix}" on Redis ${redisWhere(o.redisUrl)} changed hands while this bot tried to take it; ` +
          'is another bot starting on it? Start this one again in a moment.',
      );
    } catch (error) {
      redis.disconnect();
      return failure(
        'REDIS_UNREACHABLE',
        `cannot take KEY_PREFIX "${o.prefix}" on Redis ${redisWhere(o.redisUrl)}: ` +
          `${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private start(): this {
    heldHere.add(this.record.token);
    this.timer = setInterval(() => void this.renew(), this.everyMs);
    this.timer.unref();
    void this.renew(); // the first heartbeat now: a watchdog must not judge this bot by its dead predecessor's last beat
    return this;
  }

  /** How often the lease is renewed, and the heartbeat written. */
  get everyMs(): number {
    return Math.max(250, Math.floor(this.o.leaseMs / 4));
  }

  /** Hears every heartbeat that reached Redis, with what it read back (app/deadman: a watchdog's verdict on this bot). */
  onBeat(listener: (beat: LastBeat) => void): void {
    this.beatListeners.push(listener);
  }

  /** The last heartbeat that reached Redis, with what it read back; undefined before the first. */
  lastBeat(): LastBeat | undefined {
    return this.beat;
  }

  /** True once a renewal found another holder: the bot must stop trading on the prefix (see trading-app). */
  get lost(): boolean {
    return this.lostFlag;
  }

  get token(): string {
    return this.record.token;
  }

  /** Called once if a renewal finds another holder, with that holder (when readable) and a sentence for the owner. */
  onLost(listener: (owner: PrefixOwner | undefined, text: string) => void): void {
    this.lostListeners.push(listener);
    if (this.lostWith) listener(this.lostWith.owner, this.lostWith.text); // lost before anyone listened (during the start)
  }

  /**
   * Names the exchange once it is open (its own sandbox's port is known only then) and writes the fingerprint
   * workers check. The API key is hashed here and never kept.
   */
  async describe(exchange: { httpBase: string; apiKey: string; embedded: boolean }): Promise<void> {
    this.record = { ...this.record, exchange: exchange.httpBase, ...(exchange.embedded ? { embedded: true } : {}) };
    const fp: PrefixFingerprint = {
      version: 1,
      token: this.record.token,
      mode: this.o.mode,
      exchange: exchange.httpBase,
      account: accountId(exchange.apiKey),
    };
    this.fingerprint = JSON.stringify(fp);
    // A heartbeat already in flight carries the old record: write once more after it.
    const write = async () => {
      await this.renewing;
      await this.renew();
    };
    await bounded(write(), RELEASE_BOUND_MS);
  }

  /** One heartbeat (also run by the timer); a renewal still in flight is not doubled. */
  renew(): Promise<void> {
    if (this.released || this.lostFlag) return Promise.resolve();
    this.renewing ??= this.renewOnce().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  private async renewOnce(): Promise<void> {
    this.record = { ...this.record, heartbeatAt: Date.now() };
    let reply: [number, string, string?, string?, number?, string?];
    try {
      reply = (await this.redis.eval(
        RENEW,
        4,
        leaseKey(this.o.prefix),
        fingerprintKey(this.o.prefix),
        heartbeatKey(this.o.prefix),
        deadmanSwitchKey(this.o.prefix),
        this.record.token,
        JSON.stringify(this.record),
        String(this.o.leaseMs),
        this.fingerprint,
        String(this.everyMs),
      )) as typeof reply;
    } catch (error) {
      // Redis away: the app tells the owner; nothing can be queued meanwhile, and the next heartbeat tries again.
      this.o.log.warn({ err: error, prefix: this.o.prefix }, 'prefix lease: heartbeat failed');
      return;
    }
    if (this.released) return;
    const [code, current, storedBound = '', watchdog = '', redisAt = 0, fired = ''] = reply;
    if (code !== 0) {
      const beat = { wallAt: Date.now(), redisAt, storedBound, watchdog, fired };
      this.beat = beat;
      for (const listener of this.beatListeners) {
        try {
          listener(beat);
        } catch (error) {
          this.o.log.error({ err: error }, 'prefix lease: a heartbeat listener failed');
        }
      }
    }
    if (code === 2) {
      this.o.log.warn(
        { prefix: this.o.prefix },
        'prefix lease: the lease was gone (Redis restarted empty, or this process stalled past it) and is taken again',
      );
      return;
    }
    if (code !== 0) return;
    // Another holder: this bot no longer owns its prefix.
    const holder = parseHolder(current);
    // It has just written its record: its heartbeat is fresh.
    const owner: PrefixOwner | undefined = holder ? { holder, heartbeatAgeMs: 0, expiresInMs: holder.leaseMs } : undefined;
    this.lostFlag = true;
    this.stopTimer();
    heldHere.delete(this.record.token);
    const text =
      `another telegrid process took KEY_PREFIX "${this.o.prefix}" (${owner ? describeOwner(owner) : 'unreadable holder record'}) ` +
      `after this bot's lease lapsed ` +
      `(no heartbeat for ${this.o.leaseMs / 1000} s: a stall, or Redis out of reach). ` +
      `This bot stops trading and exits; its orders on the exchange stay there. ` +
      `Run one bot per KEY_PREFIX.`;
    this.o.log.error({ prefix: this.o.prefix, holderHost: owner?.holder.host, holderPid: owner?.holder.pid }, text);
    this.lostWith = { owner, text };
    for (const listener of this.lostListeners) {
      try {
        listener(owner, text);
      } catch (error) {
        this.o.log.error({ err: error }, 'prefix lease: a lost-lease listener failed');
      }
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Marks the lease as stopping (a bot starting meanwhile waits for it instead of refusing); it is still held and renewed. */
  async stopping(): Promise<void> {
    if (this.released || this.lostFlag || this.record.stopping) return;
    this.record = { ...this.record, stopping: true };
    if (this.redis.status !== 'ready') return; // Redis away: the next heartbeat, if any, carries it
    const write = async () => {
      await this.renewing;
      await this.renew();
    };
    await bounded(write(), RELEASE_BOUND_MS);
  }

  /**
   * Gives the prefix back (only if still this bot's) and closes the lease's connection. With Redis away it does not
   * wait: the lease then lapses on its own, and the whole release is bounded by RELEASE_BOUND_MS.
   */
  release(): Promise<void> {
    this.released ??= (async () => {
      this.stopTimer();
      heldHere.delete(this.record.token);
      const giveBack = async () => {
        await this.renewing; // a heartbeat in flight first, so it cannot write the lease again after the delete
        if (this.lostFlag) return;
        const keys = [leaseKey(this.o.prefix), fingerprintKey(this.o.prefix), heartbeatKey(this.o.prefix)];
        await this.redis.eval(RELEASE, keys.length, ...keys, this.record.token);
      };
      const done =
        this.redis.status === 'ready'
          ? await bounded(
              giveBack().catch((error: unknown) => this.o.log.warn({ err: error, prefix: this.o.prefix }, 'prefix lease: release failed')),
              RELEASE_BOUND_MS,
            )
          : 'timeout';
      if (done === 'timeout') {
        this.o.log.warn(
          { prefix: this.o.prefix },
          `prefix lease: Redis is out of reach; the lease lapses on its own within ${this.o.leaseMs / 1000} s`,
        );
        this.redis.disconnect();
        return;
      }
      const quit = await bounded(
        this.redis.quit().catch(() => undefined),
        RELEASE_BOUND_MS,
      );
      if (quit === 'timeout') this.redis.disconnect();
    })();
    return this.released;
  }
}

/** Why a second bot may not start, and what to do about it. */
function refusal(o: PrefixLeaseOptions, owner: PrefixOwner): string {
  const lapse = Math.max(1, Math.ceil(owner.expiresInMs / 1000));
  return (
    `another telegrid bot owns KEY_PREFIX "${o.prefix}" on Redis ${redisWhere(o.redisUrl)}: ${describeOwner(owner)}. ` +
    `Two bots on one prefix share one order queue and one state and place each other's orders on their own exchange. ` +
    `Fix: give this bot a KEY_PREFIX of its own (or another Redis database, e.g. REDIS_URL=redis://host:6379/1), or stop that bot first. ` +
    `If that bot has crashed, its lease lapses ${Math.round(owner.holder.leaseMs / 1000)} s after its last heartbeat ` +
    `(in about ${lapse} s); start this one again then.`
  );
}

/** The lease settings of a bot: its Redis, prefix and mode, and its exchange as far as the settings tell before it opens. */
export function prefixLeaseOptions(config: Config, log: PrefixLeaseOptions['log']): PrefixLeaseOptions {
  const defaults = config.TRADING_MODE === 'live' ? BINANCE_LIVE : BINANCE_TESTNET;
  const exchange = config.BINANCE_HTTP_BASE ?? (config.TRADING_MODE === 'paper' ? 'its own sandbox (starting)' : defaults.httpBase);
  return {
    redisUrl: config.REDIS_URL,
    prefix: config.KEY_PREFIX,
    mode: config.TRADING_MODE,
    exchange,
    leaseMs: config.PREFIX_LEASE_SECONDS * 1000,
    log,
  };
}
