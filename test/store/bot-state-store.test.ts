import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTerminal } from '../../src/domain/index.js';
import { STATE_VERSION } from '../../src/store/index.js';
import { connect, deleteKeys, uniquePrefix } from '../kit/redis.js';
import { copyState, engineWithStore, tradeAMorning } from './state-kit.js';

let redis: Redis;
const source = uniquePrefix();
const prefixes: string[] = [source];
let rig: Awaited<ReturnType<typeof tradeAMorning>>;

beforeAll(async () => {
  redis = await connect();
  rig = await tradeAMorning(redis, source);
}, 60_000);

afterAll(async () => {
  await rig?.engine.stop();
  for (const p of prefixes) await deleteKeys(p);
  await redis.quit();
});

/** A copy of the morning's state under a prefix of its own, for one test to change. */
async function copy(): Promise<string> {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  await copyState(redis, source, prefix);
  return prefix;
}

/** What a fresh process makes of the state under `prefix`: load, then restore what loaded. Never throws. */
async function startFrom(prefix: string) {
  const fresh = engineWithStore(redis, prefix);
  const loaded = await fresh.store.load();
  if (!loaded.ok || loaded.value === undefined) return { fresh, result: loaded };
  return { fresh, result: fresh.store.restore(loaded.value) };
}

describe('BotStateStore', () => {
  it('a fresh process restores exactly what the last one saved: orders, grids, portfolio, ids, trading state', async () => {
    const a = rig.parts;
    // The morning touched every part of the state, optional ones included, so the schemas are tried on all of it.
    const grids = a.grids.gridIds().map((id) => a.grids.exportGrid(id)!);
    expect(grids.some((g) => g.status === 'stopped' && g.stopReason === 'user')).toBe(true);
    expect(
      grids.some((g) => g.held.length > 0 && g.issues.length > 0 && g.params.stopLoss !== undefined && g.params.takeProfit !== undefined),
    ).toBe(true);
    expect(a.tracker.orderIds().some((id) => isTerminal(a.tracker.get(id)!.status))).toBe(true);
    expect(a.portfolio.exportState().positions.length).toBeGreaterThan(0);

    const { fresh, result } = await startFrom(source);
    expect(result.ok).toBe(true);
    const b = fresh.parts;
    expect(b.tracker.orderIds().sort()).toEqual(a.tracker.orderIds().sort());
    for (const id of a.tracker.orderIds()) expect(b.tracker.exportOrder(id)).toEqual(a.tracker.exportOrder(id));
    expect(b.grids.gridIds().map((id) => b.grids.exportGrid(id))).toEqual(grids);
    expect(b.portfolio.exportState()).toEqual(a.portfolio.exportState());
    expect(b.ids.exportState()).toEqual(a.ids.exportState());
    expect(b.tradingState.exportState()).toEqual(a.tradingState.exportState());
    expect(b.tradingState.state()).toBe('HALTED');
  });

  it('says there is nothing to restore when nothing was ever saved', async () => {
    const prefix = uniquePrefix();
    const { result } = await startFrom(prefix);
    expect(result).toEqual({ ok: true, value: undefined });
  });

  it('refuses a state of another version, naming the key', async () => {
    const prefix = await copy();
    await redis.set(`${prefix}:state:version`, String(STATE_VERSION + 1));
    const { result } = await startFrom(prefix);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('STATE_VERSION');
    expect(result.error.message).toContain(`${prefix}:state:version`);
    expect(result.error.message).toContain('Upgrade telegrid');
  });
});

// The raw JSON as Redis holds it, edited freely: damaging it is the point.
type Json = Record<string, any>;

/** Rewrites one stored JSON document (or hash field) with `edit`, on the raw JSON text as Redis holds it. */
async function edit(key: string, field: string | undefined, change: (doc: Json) => unknown): Promise<void> {
  const text = field === undefined ? await redis.get(key) : await redis.hget(key, field);
  const doc = JSON.parse(text as string) as Json;
  const next = change(doc) ?? doc;
  const out = typeof next === 'string' ? next : JSON.stringify(next);
  if (field === undefined) await redis.set(key, out);
  else await redis.hset(key, field, out);
}

interface Variant {
  readonly name: string;
  /** The key (under the prefix) and hash field the refusal must name. */
  readonly key: 'orders' | 'grids' | 'portfolio' | 'ids' | 'trading';
  readonly field?: 'open' | 'G1' | 'tg_X_1_B0';
  readonly damage: (prefix: string, openOrder: string) => Promise<void>;
  /** What the refusal must say was wrong. */
  readonly says: RegExp;
}

const VARIANTS: readonly Variant[] = [
  {
    name: 'an order that is not JSON',
    key: 'orders',
    field: 'open',
    damage: (p, id) => redis.hset(`${p}:state:orders`, id, '{"version":1,"record":').then(() => undefined),
    says: /not JSON/,
  },
  {
    name: 'a grid of the wrong shape',
    key: 'grids',
    field: 'G1',
    damage: (p) => edit(`${p}:state:grids`, 'G1', () => ({ hello: 'world' })),
    says: /version/,
  },
  {
    name: 'a portfolio that is an array',
    key: 'portfolio',
    damage: (p) => edit(`${p}:state:portfolio`, undefined, () => []),
    says: /expected object, received array/,
  },
  {
    name: 'an order missing a field',
    key: 'orders',
    field: 'open',
    damage: (p, id) => edit(`${p}:state:orders`, id, (d) => void delete d.record.intent.side),
    says: /record\.intent\.side/,
  },
  {
    name: 'an order status outside the enum',
    key: 'orders',
    field: 'open',
    damage: (p, id) => edit(`${p}:state:orders`, id, (d) => void (d.record.status = 'done')),
    says: /record\.status.*"accepted"/,
  },
  {
    name: 'a plain number where an exact amount belongs (it would crash at the first fill)',
    key: 'orders',
    field: 'open',
    damage: (p, id) => edit(`${p}:state:orders`, id, (d) => void (d.record.filledQty = 0)),
    says: /record\.filledQty.*\{"\$big":"<integer>"\}.*got 0/,
  },
  {
    name: 'an exact amount that is not an integer',
    key: 'grids',
    field: 'G1',
    damage: (p) => edit(`${p}:state:grids`, 'G1', (d) => void (d.inventory = { $big: '1.5' })),
    says: /inventory\.\$big/,
  },
  {
    name: 'an empty exact amount (decodeJson read it as 0)',
    key: 'portfolio',
    damage: (p) => edit(`${p}:state:portfolio`, undefined, (d) => void (d.realizedToday = { $big: '' })),
    says: /realizedToday/,
  },
  {
    name: 'a negative id counter',
    key: 'ids',
    damage: (p) => edit(`${p}:state:ids`, undefined, (d) => void (d.G = -1)),
    says: /at G: .*>=0/,
  },
  {
    name: 'a grid on a symbol the exchange does not list',
    key: 'grids',
    field: 'G1',
    damage: (p) => edit(`${p}:state:grids`, 'G1', (d) => void (d.params.symbol = 'FOOUSDT')),
    says: /unknown symbol FOOUSDT.*MARKET_SYMBOLS/,
  },
  {
    name: 'a grid whose ladder contradicts itself',
    key: 'grids',
    field: 'G1',
    damage: (p) => edit(`${p}:state:grids`, 'G1', (d) => void d.prices.pop()),
    says: /20 prices for 10 levels/,
  },
  {
    name: 'an unknown trading state',
    key: 'trading',
    damage: (p) => edit(`${p}:state:trading`, undefined, (d) => void (d.state = 'PAUSED')),
    says: /at state: .*"HALTED"/,
  },
  {
    name: 'a trading state that is null',
    key: 'trading',
    damage: (p) => redis.set(`${p}:state:trading`, 'null').then(() => undefined),
    says: /received null/,
  },
  {
    name: 'a field the snapshot does not have',
    key: 'portfolio',
    damage: (p) => edit(`${p}:state:portfolio`, undefined, (d) => void (d.bonus = 1)),
    says: /bonus/,
  },
  {
    name: 'an order of a snapshot version this build does not read',
    key: 'orders',
    field: 'open',
    damage: (p, id) => edit(`${p}:state:orders`, id, (d) => void (d.version = 2)),
    says: /at version: .*1/,
  },
  {
    name: 'a client order id Binance would refuse',
    key: 'grids',
    field: 'G1',
    damage: (p) => edit(`${p}:state:grids`, 'G1', (d) => void (d.open[0].clientOrderId = 'tg_G1 7')),
    says: /at open\[0\]\.clientOrderId: expected a client order id/,
  },
  {
    name: 'an order filed under another order id',
    key: 'orders',
    field: 'tg_X_1_B0',
    damage: async (p, id) =>
      void (await redis.hset(`${p}:state:orders`, 'tg_X_1_B0', (await redis.hget(`${p}:state:orders`, id)) as string)),
    says: /holds order tg_G1_/,
  },
];

describe('a damaged state is refused at start, naming the key, what is wrong and what to do; nothing throws', () => {
  it.each(VARIANTS)('$name', async (v) => {
    const prefix = await copy();
    const openOrder = rig.parts.tracker.open().find((o) => o.status === 'accepted' && o.intent.owner.kind === 'grid')!.intent.clientOrderId;
    await v.damage(prefix, openOrder);
    const before = await redis.hgetall(`${prefix}:state:orders`);
    let outcome: Awaited<ReturnType<typeof startFrom>>['result'];
    try {
      outcome = (await startFrom(prefix)).result;
    } catch (error) {
      throw new Error(`load/restore threw instead of refusing: ${String(error)}`);
    }
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('STATE_CORRUPT');
    const message = outcome.error.message;
    const key = `${prefix}:state:${v.key}`;
    expect(message).toContain(key);
    const field = v.field === 'open' ? openOrder : v.field;
    if (field !== undefined) expect(message).toContain(`field ${field}`);
    expect(message).toMatch(v.says);
    // What to do, concretely: the command that removes exactly what is damaged, or the fix.
    expect(message).toMatch(/redis-cli -n 0 (HDEL|DEL|SET)|fix/i);
    if (field !== undefined) expect(message).toContain(`redis-cli -n 0 HDEL ${key} ${field}`);
    // Refused, not repaired: what was stored stays as it was.
    expect(await redis.hgetall(`${prefix}:state:orders`)).toEqual(before);
  });

  it('covers at least nine kinds of damage', () => {
    expect(VARIANTS.length).toBeGreaterThanOrEqual(9);
  });
});
