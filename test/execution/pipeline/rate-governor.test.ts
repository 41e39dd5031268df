import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Charge,
  type RateGovernorOptions,
  type RateLimitRule,
  RateGovernor,
  grantOf,
  rulesFromExchangeInfo,
} from '../../../src/execution/pipeline/rate-governor.js';
import { REDIS_URL, deleteKeys, scanKeys, uniquePrefix } from '../../kit/redis.js';

const place = (weight = 1): Charge => ({ kind: 'place', orders: 1, weight });
const cancel = (weight = 1): Charge => ({ kind: 'cancel', orders: 0, weight });
const query = (weight: number): Charge => ({ kind: 'query', orders: 0, weight });
const GRANTED = { granted: true };
const budget = (waitMs: number) => ({ granted: false, reason: 'budget', waitMs });

let prefix: string;
let connections: Redis[];

function connect(): Redis {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  return redis;
}

function governor(rules: readonly RateLimitRule[], extra: Partial<RateGovernorOptions> = {}): RateGovernor {
  return new RateGovernor({ redis: connect(), keyPrefix: prefix, rules, ...extra });
}

beforeEach(() => {
  prefix = uniquePrefix();
  connections = [];
});

afterEach(async () => {
  await deleteKeys(prefix);
  await Promise.all(connections.map((c) => c.quit()));
});

describe('RateGovernor: sliding window', () => {
  const orders5: RateLimitRule = { id: 'orders:1s', kind: 'orders', limit: 5, windowMs: 1000 };

  it('grants exactly the limit, then refuses with the exact wait until the oldest entry leaves', async () => {
    const g = governor([orders5]);
    for (let i = 0; i < 5; i += 1) expect(await g.acquire(place(), 1000 + i * 100)).toEqual(GRANTED);
    // window 1000 + margin 200 − age of the oldest (500)
    expect(await g.acquire(place(), 1500)).toEqual(budget(700));
    expect(await g.acquire(place(), 2199)).toEqual(budget(1));
    expect(await g.acquire(place(), 2200)).toEqual(GRANTED);
    // The refusals charged nothing: the next oldest (t=1100) now sets the wait.
    expect(await g.acquire(place(), 2200)).toEqual(budget(100));
    expect(await g.acquire(place(), 2300)).toEqual(GRANTED);
  });

  it('slides rather than resets: a full window at t=900 still refuses at t=1100', async () => {
    const g = governor([{ id: 'orders:1s', kind: 'orders', limit: 10, windowMs: 1000 }], { marginMs: 0 });
    for (let i = 0; i < 10; i += 1) expect(await g.acquire(place(), 900)).toEqual(GRANTED);
    expect(await g.acquire(place(), 1100)).toEqual(budget(800));
    expect(await g.acquire(place(), 1899)).toEqual(budget(1));
    for (let i = 0; i < 10; i += 1) expect(await g.acquire(place(), 1900)).toEqual(GRANTED);
    expect(await g.acquire(place(), 1900)).toEqual(budget(1000));
  });

  it('charges orders and weight rules together, and a refused charge charges neither', async () => {
    const g = governor(
      [
        { id: 'orders:10s', kind: 'orders', limit: 2, windowMs: 10_000 },
        { id: 'weight:1s', kind: 'weight', limit: 3, windowMs: 1000 },
      ],
      { marginMs: 0, cancelReserve: 0 },
    );
    expect(await g.acquire(place(), 0)).toEqual(GRANTED);
    expect(await g.acquire(query(2), 0)).toEqual(GRANTED);
    // Weight is full; the orders rule has room but must not be charged.
    expect(await g.acquire(place(), 10)).toEqual(budget(990));
    expect(await g.acquire(place(), 1000)).toEqual(GRANTED);
    // Orders is full now (2 in 10 s) — so the refused place above charged no order.
    expect(await g.acquire(place(), 1000)).toEqual(budget(9000));
    // ... and this refusal charged no weight: 1 + 2 fits the weight rule's 3.
    expect(await g.acquire(query(3), 1000)).toEqual(budget(1000));
    expect(await g.acquire(query(2), 1000)).toEqual(GRANTED);
    // Both rules full: the wait is the one after which both have room.
    expect(await g.acquire(place(), 1500)).toEqual(budget(8500));
    expect(await g.acquire(place(), 10_000)).toEqual(GRANTED);
  });

  it('refuses a charge larger than a cap with one window as the wait, instead of never answering', async () => {
    const g = governor([{ id: 'weight:1m', kind: 'weight', limit: 100, windowMs: 60_000 }]);
    expect(await g.acquire(place(91), 0)).toEqual(budget(60_200));
    expect(await g.acquire(cancel(101), 0)).toEqual(budget(60_200));
    expect(await g.acquire(place(90), 0)).toEqual(GRANTED);
  });

  it('keeps a cancel reserve: places and queries stop at 90 % of a weight rule, cancels go on to 100 %', async () => {
    const g = governor([
      { id: 'weight:1m', kind: 'weight', limit: 100, windowMs: 60_000 },
      { id: 'orders:10s', kind: 'orders', limit: 50, windowMs: 10_000 },
    ]);
    for (let i = 0; i < 9; i += 1) expect(await g.acquire(place(10), i)).toEqual(GRANTED);
    expect(await g.acquire(place(1), 20)).toEqual(budget(60_200 - 20));
    expect(await g.acquire(query(1), 20)).toEqual(budget(60_200 - 20));
    for (let i = 0; i < 10; i += 1) expect(await g.acquire(cancel(1), 30)).toEqual(GRANTED);
    expect(await g.acquire(cancel(1), 40)).toEqual(budget(60_200 - 40));
  });

  it("refuses placements while trading is 'HALTED', but still grants cancels and queries", async () => {
    const g = governor([orders5, { id: 'weight:1m', kind: 'weight', limit: 100, windowMs: 60_000 }]);
    const redis = connect();
    await redis.set(`${prefix}:trading:state`, 'HALTED');
    expect(await g.acquire(place(), 0)).toEqual({ granted: false, reason: 'halted' });
    expect(await g.acquire(cancel(), 0)).toEqual(GRANTED);
    expect(await g.acquire(query(4), 0)).toEqual(GRANTED);
    await redis.set(`${prefix}:trading:state`, 'ACTIVE');
    // The halted refusal charged nothing: all five orders are still available.
    for (let i = 0; i < 5; i += 1) expect(await g.acquire(place(), 1)).toEqual(GRANTED);
    expect(await g.acquire(place(), 1)).toEqual(budget(1200));
  });
});

describe('RateGovernor: shared pause', () => {
  const rules: RateLimitRule[] = [{ id: 'orders:1s', kind: 'orders', limit: 5, windowMs: 1000 }];

  it('refuses every charge in every process until the pause ends; an earlier pause never shortens it', async () => {
    const a = governor(rules);
    const b = governor(rules);
    expect(await b.pausedUntil(1000)).toBe(0);
    expect(await a.pause(5000)).toBe(5000);
    expect(await b.acquire(cancel(), 1000)).toEqual({ granted: false, reason: 'paused', waitMs: 4000 });
    expect(await b.acquire(query(4), 1000)).toEqual({ granted: false, reason: 'paused', waitMs: 4000 });
    expect(await a.acquire(place(), 2000)).toEqual({ granted: false, reason: 'paused', waitMs: 3000 });
    expect(await b.pausedUntil(1000)).toBe(5000);

    // The pause's end comes back, so a caller sleeps until the latest one set (every sweep then wakes together).
    expect(await b.pause(3000)).toBe(5000);
    expect(await a.pausedUntil(1000)).toBe(5000);
    expect(await b.pause(6000)).toBe(6000);
    expect(await a.pausedUntil(1000)).toBe(6000);
    expect(await a.acquire(place(), 5999)).toEqual({ granted: false, reason: 'paused', waitMs: 1 });
    expect(await a.acquire(place(), 6000)).toEqual(GRANTED);
    expect(await b.pausedUntil(6000)).toBe(0);
    // The paused refusals charged nothing: four more places fit.
    for (let i = 0; i < 4; i += 1) expect(await b.acquire(place(), 6000)).toEqual(GRANTED);
    expect(await b.acquire(place(), 6000)).toEqual(budget(1200));
  });
});

describe('RateGovernor: the line (placements in queue order)', () => {
  const rules: RateLimitRule[] = [{ id: 'orders:1s', kind: 'orders', limit: 1, windowMs: 1000 }];
  const BEHIND = { granted: false, reason: 'behind', waitMs: 0 };

  /** BullMQ's active list of the placement queue as workers leave it: each job taken is pushed at its head. */
  async function taken(redis: Redis, ...ids: string[]): Promise<void> {
    for (const id of ids) await redis.lpush(`${prefix}:orders-place:active`, id);
  }

  it('grants the order budget to the placement taken first, whichever asks first, and never to one behind it', async () => {
    const a = governor(rules);
    const b = governor(rules); // another process
    const redis = connect();
    await taken(redis, 'tg_j1', 'tg_j2', 'tg_j3');
    // j1 has not asked yet: j2 waits for it although the window has room.
    expect(await b.acquire(place(), 0, 'tg_j2')).toEqual(BEHIND);
    expect(await a.acquire(place(), 0, 'tg_j1')).toEqual(GRANTED);
    expect(await b.acquire(place(), 0, 'tg_j2')).toEqual(budget(1200));
    // When the window slides, j3 asking first does not take j2's slot.
    expect(await a.acquire(place(), 1200, 'tg_j3')).toEqual(BEHIND);
    expect(await b.acquire(place(), 1200, 'tg_j2')).toEqual(GRANTED);
    expect(await a.acquire(place(), 2400, 'tg_j3')).toEqual(GRANTED);
    // Cancels and queries are not in the line; a placement not in the active list waits behind no one.
    expect(await a.acquire(cancel(), 2400)).toEqual(GRANTED);
    await redis.lrem(`${prefix}:orders-place:active`, 0, 'tg_j3');
    expect(await a.acquire(place(), 3600, 'tg_gone')).toEqual(GRANTED);
  });

  it('a halt and a pause answer before the line; a placement that met a 429 waits in its place again', async () => {
    const g = governor(rules);
    const redis = connect();
    await taken(redis, 'tg_j1', 'tg_j2');
    expect(await g.acquire(place(), 0, 'tg_j1')).toEqual(GRANTED);
    // j1's request drew a 429: it goes back to waiting, ahead of j2.
    expect(await g.pause(5000, 'tg_j1')).toBe(5000);
    expect(await g.acquire(place(), 1000, 'tg_j2')).toEqual({ granted: false, reason: 'paused', waitMs: 4000 });
    expect(await g.acquire(place(), 5000, 'tg_j2')).toEqual(BEHIND);
    await redis.set(`${prefix}:trading:state`, 'HALTED');
    expect(await g.acquire(place(), 5000, 'tg_j2')).toEqual({ granted: false, reason: 'halted' });
  });

  it('keeps only the entries of jobs still active: a finished job leaves at the next grant', async () => {
    const g = governor(rules);
    const redis = connect();
    await taken(redis, 'tg_j1', 'tg_j2');
    expect(await g.acquire(place(), 0, 'tg_j1')).toEqual(GRANTED);
    await redis.lrem(`${prefix}:orders-place:active`, 0, 'tg_j1'); // j1 completed
    expect(await g.acquire(place(), 1200, 'tg_j2')).toEqual(GRANTED);
    expect(await redis.hkeys(`${prefix}:rate:line`)).toEqual(['tg_j2']);
    expect(await redis.pttl(`${prefix}:rate:line`)).toBeGreaterThan(0);
  });
});

describe('RateGovernor: the fast lane (a placement granted right behind the write that saves it)', () => {
  const rules: RateLimitRule[] = [{ id: 'orders:1s', kind: 'orders', limit: 2, windowMs: 1000 }];
  const BEHIND = { granted: false, reason: 'behind', waitMs: 0 };

  /** The lane's acquire as the executor makes it: right behind a write of the state it covers, on the same connection. */
  async function inLane(g: RateGovernor, redis: Redis, now: number): Promise<{ grant: unknown; order: string | null }> {
    await g.prepare();
    const [, grant, order] = await Promise.all([
      redis.hset(`${prefix}:state:orders`, `tg_L${now}`, 'saved'),
      g.acquireOn(redis, place(), now),
      redis.hget(`${prefix}:state:orders`, `tg_L${now}`),
    ]);
    return { grant: grantOf(grant), order };
  }

  it('is granted behind the state while no queued placement waits, and charges the same window', async () => {
    const g = governor(rules);
    const redis = connect();
    expect(await inLane(g, redis, 0)).toEqual({ grant: GRANTED, order: 'saved' });
    expect(await g.acquire(place(), 0)).toEqual(GRANTED);
    // The window is full for the lane and the queue alike.
    expect((await inLane(g, redis, 100)).grant).toEqual(budget(1100));
    await redis.set(`${prefix}:trading:state`, 'HALTED');
    expect((await inLane(g, redis, 5000)).grant).toEqual({ granted: false, reason: 'halted' });
  });

  it('never overtakes the line: a placement waiting in the queue, or taken and not yet granted, keeps it behind', async () => {
    const g = governor(rules);
    const redis = connect();
    await redis.lpush(`${prefix}:orders-place:wait`, 'tg_w1');
    expect((await inLane(g, redis, 0)).grant).toEqual(BEHIND);
    // A worker takes it: still ahead of the lane until the budget grants it.
    await redis.lmove(`${prefix}:orders-place:wait`, `${prefix}:orders-place:active`, 'RIGHT', 'LEFT');
    expect((await inLane(g, redis, 0)).grant).toEqual(BEHIND);
    expect(await g.acquire(place(), 0, 'tg_w1')).toEqual(GRANTED);
    expect((await inLane(g, redis, 0)).grant).toEqual(GRANTED);
    // The lane's grants are not in the line: nothing of them is left for the queue's jobs to wait on.
    expect(await redis.hkeys(`${prefix}:rate:line`)).toEqual(['tg_w1']);
  });
});

describe('RateGovernor: concurrency', () => {
  it("keeps a day's window in buckets: a minute's orders are one log entry, and the limit holds, erring only late", async () => {
    const day: RateLimitRule = { id: 'orders:1d', kind: 'orders', limit: 5_000, windowMs: 86_400_000 };
    const g = governor([day], { marginMs: 0 });
    const t0 = 1_700_000_000_000 - (1_700_000_000_000 % 60_000); // a minute's start
    // 4,999 orders over an hour and a half: one log entry per minute they fell in, however many orders each holds.
    for (let i = 0; i < 4_999; i += 1) expect(await g.acquire(place(), t0 + i * 1_000 + 1)).toEqual(GRANTED);
    const r = connect();
    const log = `${prefix}:rate:log:orders:1d`;
    expect(await r.zcard(log)).toBe(Math.ceil(4_999_000 / 60_000));
    expect((await g.usage(t0 + 5_000_000))[0]?.used).toBe(4_999);
    // The limit is exact: one more, then none.
    expect(await g.acquire(place(), t0 + 5_000_000)).toEqual(GRANTED);
    const refused = await g.acquire(place(), t0 + 5_000_001);
    // The oldest minute's orders leave a day after that minute's end, never before a day after they went out.
    expect(refused).toEqual(budget(t0 + 60_000 + 86_400_000 - (t0 + 5_000_001)));
    expect(await g.acquire(place(), t0 + 60_000 + 86_400_000 - 1)).toMatchObject({ granted: false });
    expect(await g.acquire(place(), t0 + 60_000 + 86_400_000)).toEqual(GRANTED);
  });

  it('two governors on separate connections hammering at once never exceed the limit in any window', async () => {
    const limit = 10;
    const window = 1000 + 200;
    const rules: RateLimitRule[] = [
      { id: 'orders:1s', kind: 'orders', limit, windowMs: 1000 },
      { id: 'weight:1m', kind: 'weight', limit: 100_000, windowMs: 60_000 },
    ];
    const a = governor(rules);
    const b = governor(rules);
    const grants: number[] = [];
    // Reference: the same rounds charged one at a time by a plain sliding-window model.
    const model: number[] = [];
    const rounds = 50;
    const perRound = 10;
    for (let round = 0; round < rounds; round += 1) {
      const now = round * 131;
      const calls = [];
      for (let i = 0; i < perRound; i += 1) calls.push(a.acquire(place(), now), b.acquire(place(), now));
      const answers = await Promise.all(calls);
      for (const answer of answers) if (answer.granted) grants.push(now);
      for (let i = 0; i < 2 * perRound; i += 1) {
        if (model.filter((t) => t > now - window).length < limit) model.push(now);
      }
    }
    expect(grants.length).toBeGreaterThan(limit * 4);
    expect(grants).toEqual(model);
    for (const start of grants) {
      expect(grants.filter((t) => t >= start && t < start + window).length).toBeLessThanOrEqual(limit);
    }
  });
});

describe('RateGovernor: keys', () => {
  it('gives every key a TTL, and clear() deletes its keys but not the trading state', async () => {
    const g = governor([{ id: 'orders:1s', kind: 'orders', limit: 1, windowMs: 1000 }]);
    const redis = connect();
    await redis.set(`${prefix}:trading:state`, 'ACTIVE');
    await g.pause(10);
    expect(await g.acquire(place(), 10)).toEqual(GRANTED);
    expect(await g.acquire(place(), 11)).toEqual(budget(1199));
    const keys = await scanKeys(redis, `${prefix}:rate:*`);
    expect(keys.length).toBe(4);
    for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(0);

    await g.clear();
    expect(await scanKeys(redis, `${prefix}:rate:*`)).toEqual([]);
    expect(await redis.get(`${prefix}:trading:state`)).toBe('ACTIVE');
    expect(await g.acquire(place(), 11)).toEqual(GRANTED);
  });

  it('rejects clocks and charges the script cannot represent', async () => {
    const g = governor([{ id: 'orders:1s', kind: 'orders', limit: 1, windowMs: 1000 }]);
    await expect(g.acquire(place(), 1.5)).rejects.toThrow(RangeError);
    await expect(g.acquire({ kind: 'place', orders: -1, weight: 1 }, 0)).rejects.toThrow(RangeError);
    expect(() => governor([], { cancelReserve: 1 })).toThrow(RangeError);
  });
});

describe('rulesFromExchangeInfo', () => {
  it("maps Binance's ORDERS and REQUEST_WEIGHT entries over every interval and ignores RAW_REQUESTS", () => {
    expect(
      rulesFromExchangeInfo([
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 50 },
        { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 160_000 },
        { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61_000 },
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'HOUR', intervalNum: 2, limit: 90_000 },
      ]),
    ).toEqual([
      { id: 'weight:1m', kind: 'weight', limit: 6000, windowMs: 60_000 },
      { id: 'orders:10s', kind: 'orders', limit: 50, windowMs: 10_000 },
      { id: 'orders:1d', kind: 'orders', limit: 160_000, windowMs: 86_400_000 },
      { id: 'weight:2h', kind: 'weight', limit: 90_000, windowMs: 7_200_000 },
    ]);
  });

  it('throws on an interval it does not know rather than dropping a limit', () => {
    const weekly = [{ rateLimitType: 'ORDERS', interval: 'WEEK', intervalNum: 1, limit: 5 }];
    expect(() => rulesFromExchangeInfo(weekly)).toThrow(/WEEK/);
  });
});
