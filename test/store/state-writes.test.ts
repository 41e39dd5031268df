/** The store's write path on the real Redis: what changed, after each dispatch, in order, and nothing lost to an outage. */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { type ExecutionReport, type OrderFilled, catalogInstrument, decodeJson, fx } from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { OrderTracker } from '../../src/execution/index.js';
import { Portfolio } from '../../src/portfolio/index.js';
import { RiskGate, TradingStateMachine } from '../../src/risk/index.js';
import { BotStateStore } from '../../src/store/index.js';
import { GridStrategy } from '../../src/strategy/index.js';
import { aReport, aTrade, anOrderSent } from '../kit/builders.js';
import { connect, redisForEachTest } from '../kit/redis.js';
import { FakeRiskView } from '../kit/risk-rig.js';

const db = redisForEachTest();

/** The stateful parts on a bus of their own, with a store on the test's prefix over `on` (a connection the test may cut). */
function node(on: Redis) {
  const clock = new ManualClock(1_000);
  const ids = new SequentialIds();
  const kernel = new BusHost(clock, ids);
  const tradingState = new TradingStateMachine(kernel.bus, clock);
  const parts = {
    tracker: new OrderTracker(catalogInstrument),
    grids: new GridStrategy({ instrument: catalogInstrument }),
    portfolio: new Portfolio({ baseAssetOf: (s) => catalogInstrument(s)?.baseAsset }),
    ids,
    tradingState,
    risk: new RiskGate({ view: new FakeRiskView(), limits: {}, state: tradingState }),
  };
  const warnings: string[] = [];
  const store = new BotStateStore({ redis: on, prefix: db.prefix, parts, log: { warn: (_o, msg) => warnings.push(msg) } });
  kernel.add(parts.tracker).add(parts.portfolio).add(store);
  const fills: OrderFilled[] = [];
  kernel.bus.on('OrderFilled', (m) => fills.push(m));
  const reported = (report: ExecutionReport) => kernel.bus.publish({ type: 'OrderReported', report });
  return { kernel, parts, store, warnings, fills, reported };
}

/** What a fresh process would load from the test's prefix. */
async function loaded() {
  const result = await node(db.redis).store.load();
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('BotStateStore writes', () => {
  it('writes what a dispatch changed by itself, once the dispatch is over', async () => {
    const a = node(db.redis);
    a.kernel.bus.publish(anOrderSent({ clientOrderId: 'tg_G1_1_B-1' }));
    for (let i = 0; i < 1_000 && !(await db.redis.hexists(`${db.prefix}:state:orders`, 'tg_G1_1_B-1')); i++)
      await new Promise((r) => setTimeout(r, 2));
    const state = await loaded();
    expect(state?.orders.map((o) => o.record.intent.clientOrderId)).toEqual(['tg_G1_1_B-1']);
    expect(state?.orders[0]).toEqual(a.parts.tracker.exportOrder('tg_G1_1_B-1'));
  });

  it('rewrites only the entities that changed: an order nobody touched keeps what Redis holds', async () => {
    const a = node(db.redis);
    a.kernel.bus.publish(anOrderSent({ clientOrderId: 'tg_G1_1_B-1' }));
    a.kernel.bus.publish(anOrderSent({ clientOrderId: 'tg_G1_2_B-2' }));
    await a.store.commit();
    // The same order as Redis held it, spelled differently: a rewrite would spell it the store's way again.
    const orders = `${db.prefix}:state:orders`;
    const respelled = JSON.stringify(JSON.parse((await db.redis.hget(orders, 'tg_G1_1_B-1')) as string), null, 1);
    await db.redis.hset(orders, 'tg_G1_1_B-1', respelled);
    a.reported(aReport({ clientOrderId: 'tg_G1_2_B-2', origQty: fx('0.001') }));
    await a.store.commit();
    expect(await db.redis.hget(orders, 'tg_G1_1_B-1')).toBe(respelled);
    const state = await loaded();
    expect(state?.orders.map((o) => [o.record.intent.clientOrderId, o.record.status]).sort()).toEqual([
      ['tg_G1_1_B-1', 'new'],
      ['tg_G1_2_B-2', 'accepted'],
    ]);
  });

  it('journals every fill, in the order booked', async () => {
    const a = node(db.redis);
    a.kernel.bus.publish(anOrderSent({ clientOrderId: 'tg_G1_1_B-1', quantity: fx('0.002') }));
    a.reported(aReport({ status: 'PARTIALLY_FILLED', cumQty: fx('0.001'), cumQuote: fx('95'), trade: aTrade(1, '0.001') }));
    a.reported(aReport({ status: 'FILLED', cumQty: fx('0.002'), cumQuote: fx('190'), trade: aTrade(2, '0.001') }));
    await a.store.commit();
    expect(a.fills).toHaveLength(2);
    const journal = (await db.redis.lrange(`${db.prefix}:state:fills`, 0, -1)).map((text) => decodeJson<OrderFilled>(text));
    expect(journal).toEqual(a.fills);
  });

  it('keeps what it could not write while Redis is away, and writes it all once Redis answers', async () => {
    const cut = await connect();
    const a = node(cut);
    cut.disconnect();
    a.kernel.bus.publish(anOrderSent({ clientOrderId: 'tg_G1_1_B-1' }));
    a.reported(aReport({ status: 'FILLED', origQty: fx('0.001'), cumQty: fx('0.001'), cumQuote: fx('95'), trade: aTrade(1, '0.001') }));
    await a.store.commit();
    expect(a.warnings).toContain('state could not be saved to Redis; it is kept and written again');
    expect(await loaded()).toBeUndefined();

    await cut.connect();
    await a.store.commit();
    await cut.quit();
    const state = await loaded();
    expect(state?.orders[0]?.record.status).toBe('filled');
    expect(state?.portfolio).toEqual(a.parts.portfolio.exportState());
    expect(await db.redis.llen(`${db.prefix}:state:fills`)).toBe(1);
  });
});
