import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ORDER_QUEUES, REDIS_KEYS, redisKeyGlob } from '../../domain/index.js';
import { ACQUIRE_SCRIPT, PAUSE_SCRIPT } from './rate-governor-script.js';

export interface RateLimitRule {
  readonly id: string;
  readonly kind: 'orders' | 'weight';
  readonly limit: number;
  readonly windowMs: number;
}

const INTERVAL_MS: Readonly<Record<string, number>> = {
  SECOND: 1_000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
};
const INTERVAL_SUFFIX: Readonly<Record<string, string>> = { SECOND: 's', MINUTE: 'm', HOUR: 'h', DAY: 'd' };

/**
 * From exchangeInfo.rateLimits. RAW_REQUESTS is ignored: every request has weight ≥ 1, so the weight rules already
 * cap it. An ORDERS or REQUEST_WEIGHT entry with an interval we do not know throws, because dropping a limit silently
 * would let the bot run into a ban.
 */
export function rulesFromExchangeInfo(
  rateLimits: readonly { rateLimitType: string; interval: string; intervalNum: number; limit: number }[],
): RateLimitRule[] {
  const rules: RateLimitRule[] = [];
  for (const entry of rateLimits) {
    const kind = entry.rateLimitType === 'ORDERS' ? 'orders' : entry.rateLimitType === 'REQUEST_WEIGHT' ? 'weight' : undefined;
    if (kind === undefined) continue;
    const unit = INTERVAL_MS[entry.interval];
    const suffix = INTERVAL_SUFFIX[entry.interval];
    if (unit === undefined || suffix === undefined) {
      throw new Error(`rate limit ${entry.rateLimitType}: unknown interval ${entry.interval}`);
    }
    const id = `${kind}:${entry.intervalNum}${suffix}`;
    rules.push({ id, kind, limit: entry.limit, windowMs: entry.intervalNum * unit });
  }
  return rules;
}

export interface Charge {
  /** 'reduce' is a placement that only shrinks a position: the one kind of placement REDUCING lets through. */
  readonly kind: 'place' | 'reduce' | 'cancel' | 'query';
  readonly orders: number;
  readonly weight: number;
}

/**
 * 'behind': a placement taken from the queue before this one still waits for the order budget; waitMs is 0, since the
 * wait is its, not this one's.
 */
export type Grant =
  | { readonly granted: true }
  | { readonly granted: false; readonly reason: 'budget' | 'paused' | 'behind'; readonly waitMs: number }
  | { readonly granted: false; readonly reason: 'halted' };

export interface RateGovernorOptions {
  readonly redis: Redis;
  /** Its keys are the `rate.*` families of domain/redis-keys.ts; the trading state is read from `<prefix>:trading:state`. */
  readonly keyPrefix: string;
  readonly rules: readonly RateLimitRule[];
  /** Share of every WEIGHT rule only cancels may use, so a kill switch is never starved by placements (default 0.1). */
  readonly cancelReserve?: number;
  readonly marginMs?: number;
}

/** How much of one rule's window is used now, counted by every process on the prefix (the bot's side of the limit). */
export interface RuleUsage {
  readonly id: string;
  readonly kind: 'orders' | 'weight';
  readonly limit: number;
  readonly windowMs: number;
  readonly used: number;
}

interface PreparedRule {
  readonly id: string;
  readonly limit: number;
  readonly windowMs: number;
  readonly kind: 'orders' | 'weight';
  readonly logKey: string;
  readonly sumKey: string;
  /** windowMs + marginMs: how long an entry keeps its room. */
  readonly window: string;
  /** What a cancel may use, and what a place or query may use (weight rules keep the reserve for cancels). */
  readonly cancelCap: string;
  readonly otherCap: string;
  readonly ttl: string;
  /** One log entry per this many ms (0: one per request); see the script. */
  readonly bucket: string;
}

/**
 * Windows this long or longer (Binance's orders per day) keep their log in buckets, this many to a window: a day's log
 * then holds at most 1,440 entries (one a minute) rather than one per order, up to Binance's 200,000 a day, and the
 * budget waits at most a minute longer than the exchange would, out of a day.
 */
const BUCKETED_WINDOW_MS = 3_600_000;
const BUCKETS_PER_WINDOW = 1_440;

/**
 * Keys outlive their window by this much of Redis's own time. The script judges age by the callers' clocks, so the TTL
 * only clears idle keys; the slack keeps a caller whose clock lags Redis's from losing entries still in its window.
 */
const IDLE_SLACK_MS = 60_000;
/** A pause key is cleared by Redis's clock, not the callers'; a week outlasts Binance's longest IP ban (3 days). */
const PAUSE_TTL_MS = 7 * 86_400_000;

const ACQUIRE_SHA = sha1(ACQUIRE_SCRIPT);
const PAUSE_SHA = sha1(PAUSE_SCRIPT);
const GRANTED: Grant = Object.freeze({ granted: true });
const HALTED: Grant = Object.freeze({ granted: false, reason: 'halted' });
const BEHIND: Grant = Object.freeze({ granted: false, reason: 'behind', waitMs: 0 });
/** The acquire script's line argument for a placement in the fast lane (see ACQUIRE_SCRIPT). */
const FAST_LANE = '*';

/**
 * One exchange budget shared by every process on the same Redis and key prefix: a sliding-window log per rule,
 * checked and charged by one Lua script (EVALSHA, one round trip per acquire).
 *
 * A charge larger than a rule's cap (the limit, or limit × (1 − cancelReserve) for a place or query on a weight rule)
 * can never pass; it is refused with reason 'budget' and waitMs = that rule's windowMs + marginMs, so a caller that
 * retries does so at the pace of the window instead of spinning. Callers' clocks should agree to well within marginMs:
 * a clock that runs behind the others' sees entries they already trimmed as gone.
 */
export class RateGovernor {
  private readonly redis: Redis;
  private readonly keyPrefix: string;
  private readonly stateKey: string;
  private readonly pauseKey: string;
  private readonly seqKey: string;
  private readonly lineKey: string;
  private readonly activeKey: string;
  private readonly waitKey: string;
  private readonly seqTtl: string;
  private readonly rules: readonly PreparedRule[];

  constructor(options: RateGovernorOptions) {
    const reserve = options.cancelReserve ?? 0.1;
    const margin = options.marginMs ?? 200;
    if (!(reserve >= 0 && reserve < 1)) throw new RangeError(`cancelReserve must be in [0, 1), got ${reserve}`);
    if (!Number.isSafeInteger(margin) || margin < 0) {
      throw new RangeError(`marginMs must be a whole number ≥ 0, got ${margin}`);
    }
    const ids = new Set<string>();
    for (const rule of options.rules) {
      if (ids.has(rule.id)) throw new RangeError(`duplicate rate limit rule ${rule.id}`);
      ids.add(rule.id);
      if (!Number.isSafeInteger(rule.limit) || rule.limit < 1) {
        throw new RangeError(`rule ${rule.id}: limit must be a whole number ≥ 1`);
      }
      if (!Number.isSafeInteger(rule.windowMs) || rule.windowMs < 1) {
        throw new RangeError(`rule ${rule.id}: windowMs must be a whole number ≥ 1`);
      }
    }
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix;
    this.stateKey = REDIS_KEYS.tradingState.key(options.keyPrefix);
    this.pauseKey = REDIS_KEYS.ratePause.key(options.keyPrefix);
    this.seqKey = REDIS_KEYS.rateSeq.key(options.keyPrefix);
    this.lineKey = REDIS_KEYS.rateLine.key(options.keyPrefix);
    // BullMQ's, read only: its queues live under the bot's KEY_PREFIX too (order-workers.ts).
    this.activeKey = REDIS_KEYS.queueInternal.key(options.keyPrefix, ORDER_QUEUES.place, 'active');
    this.waitKey = REDIS_KEYS.queueInternal.key(options.keyPrefix, ORDER_QUEUES.place, 'wait');
    let longestTtl = IDLE_SLACK_MS;
    this.rules = options.rules.map((rule) => {
      const window = rule.windowMs + margin;
      longestTtl = Math.max(longestTtl, window + IDLE_SLACK_MS);
      // The epsilon keeps 0.9 × 10 (8.999…) from flooring to 8.
      const reduced = rule.kind === 'weight' ? Math.floor(rule.limit * (1 - reserve) + 1e-9) : rule.limit;
      return {
        id: rule.id,
        limit: rule.limit,
        windowMs: rule.windowMs,
        kind: rule.kind,
        logKey: REDIS_KEYS.rateLog.key(options.keyPrefix, rule.id),
        sumKey: REDIS_KEYS.rateSum.key(options.keyPrefix, rule.id),
        window: String(window),
        cancelCap: String(rule.limit),
        otherCap: String(reduced),
        ttl: String(window + IDLE_SLACK_MS),
        bucket: String(rule.windowMs >= BUCKETED_WINDOW_MS ? Math.ceil(rule.windowMs / BUCKETS_PER_WINDOW) : 0),
      };
    });
    // The counter only has to keep members unique while any log holds entries, so it outlives the longest log; the line
    // lives as long when idle (its entries go with their jobs).
    this.seqTtl = String(longestTtl);
  }

  /**
   * Atomically: a 'place' is refused while `<prefix>:trading:state` is 'HALTED' or 'REDUCING' (a 'reduce' only
   * while 'HALTED'); any charge is refused while the
   * shared pause runs (waitMs = time left); a placement in the line (`line`: its job id in the placement queue) is
   * refused as 'behind' while a job taken from that queue before it has not been granted (see ACQUIRE_SCRIPT);
   * otherwise every rule the charge touches is charged if all have room, else
   * nothing is charged and waitMs is the shortest wait after which all would have room, from the stored entries' times.
   */
  async acquire(charge: Charge, now: number, line?: string): Promise<Grant> {
    const { keys, args } = this.acquireCall(charge, now, line ?? '');
    return grantOf(await this.run(ACQUIRE_SHA, ACQUIRE_SCRIPT, keys, args));
  }

  /**
   * The fast lane's acquire of one placement, sent on `redis` right behind the write that saves the bot's state (the
   * same connection, so Redis runs it after the state is in): granted only while no queued placement waits for the
   * budget, else 'behind'. Read its reply with `grantOf`.
   */
  acquireOn(redis: Redis, charge: Charge, now: number): Promise<unknown> {
    const { keys, args } = this.acquireCall(charge, now, FAST_LANE);
    return this.run(ACQUIRE_SHA, ACQUIRE_SCRIPT, keys, args, redis);
  }

  /** Caches the scripts in Redis, so the first calls by hash find them (a restarted Redis forgets them: each is sent again). */
  async prepare(): Promise<void> {
    await Promise.all([this.redis.script('LOAD', ACQUIRE_SCRIPT), this.redis.script('LOAD', PAUSE_SCRIPT)]);
  }

  private acquireCall(charge: Charge, now: number, line: string): { keys: string[]; args: string[] } {
    assertCount('orders', charge.orders);
    assertCount('weight', charge.weight);
    assertTime('now', now);
    const keys = [this.stateKey, this.pauseKey, this.seqKey, this.lineKey, this.activeKey, this.waitKey];
    const args = [charge.kind, String(now), this.seqTtl, line];
    for (const rule of this.rules) {
      const amount = rule.kind === 'orders' ? charge.orders : charge.weight;
      if (amount === 0) continue;
      keys.push(rule.logKey, rule.sumKey);
      args.push(String(amount), charge.kind === 'cancel' ? rule.cancelCap : rule.otherCap, rule.window, rule.ttl, rule.bucket);
    }
    return { keys, args };
  }

  /**
   * After a 429/418: pauses every process's requests until `until` (caller's clock; a longer pause already set stands);
   * returns when the pause ends. `line`: the placement that met it, which goes back to waiting in its place in the line.
   */
  async pause(until: number, line?: string): Promise<number> {
    assertTime('until', until);
    return Number(
      await this.run(PAUSE_SHA, PAUSE_SCRIPT, [this.pauseKey, this.lineKey], [String(until), String(PAUSE_TTL_MS), line ?? '']),
    );
  }

  /** The pause's end, or 0 when not paused at `now`. */
  async pausedUntil(now: number): Promise<number> {
    const raw = await this.redis.get(this.pauseKey);
    const until = raw === null ? 0 : Number(raw);
    return until > now ? until : 0;
  }

  /** Each rule's use inside its window at `now` (one read of the logs; the hot path never calls it). */
  async usage(now: number): Promise<RuleUsage[]> {
    assertTime('now', now);
    const reads = this.redis.pipeline();
    for (const rule of this.rules) reads.zrangebyscore(rule.logKey, `(${now - Number(rule.window)}`, '+inf');
    const answers = (await reads.exec()) ?? [];
    return this.rules.map((rule, i) => {
      const [error, members] = answers[i] ?? [null, []];
      if (error) throw error;
      let used = 0;
      for (const member of members as string[]) used += Number(member.slice(member.lastIndexOf(':') + 1));
      return { id: rule.id, kind: rule.kind, limit: rule.limit, windowMs: rule.windowMs, used };
    });
  }

  /** Deletes every key under `<prefix>:rate:` (tests, PAPER_RESET); the trading state is not ours to delete. */
  async clear(): Promise<void> {
    const pattern = redisKeyGlob(this.keyPrefix, 'rate');
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  /** EVALSHA, loading the script with EVAL only when this Redis has not cached it (first call, restart, FLUSH). */
  private async run(sha: string, script: string, keys: readonly string[], args: readonly string[], redis = this.redis): Promise<unknown> {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(script, keys.length, ...keys, ...args);
    }
  }
}

/** The acquire script's answer as a Grant. */
export function grantOf(reply: unknown): Grant {
  const [code, waitMs] = reply as [number, number];
  switch (code) {
    case 0:
      return GRANTED;
    case 1:
      return { granted: false, reason: 'budget', waitMs };
    case 2:
      return { granted: false, reason: 'paused', waitMs };
    case 3:
      return HALTED;
    case 4:
      return BEHIND;
    default:
      throw new Error(`rate governor script answered ${String(code)}`);
  }
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`charge ${name} must be a whole number ≥ 0, got ${value}`);
  }
}

/** Whole milliseconds: the script writes `now` into member names and compares it as a Lua double. */
function assertTime(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be whole milliseconds ≥ 0, got ${value}`);
  }
}
