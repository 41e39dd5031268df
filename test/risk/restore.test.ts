import { describe, expect, it } from 'vitest';
import { type Message, type OrderIntent, type OrderRecord, type OrderStatus, fx, decodeJson, encodeJson } from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { type RiskLimits, TradingStateMachine, type TradingStateSnapshot } from '../../src/risk/index.js';
import { aFillOf, anIntent } from '../kit/builders.js';
import { FakeRiskView, riskGateRig } from '../kit/risk-rig.js';

/** Through the store's own codec, to prove what is saved and restored is plain data. */
const roundTrip = <T>(v: T): T => decodeJson<T>(encodeJson(v));

function node(time = 1_000) {
  const clock = new ManualClock(time);
  const kernel = new BusHost(clock, new SequentialIds());
  const changes: Message[] = [];
  kernel.bus.on('TradingStateChanged', (m) => changes.push(m));
  const sm = new TradingStateMachine(kernel.bus, clock);
  return { clock, kernel, changes, sm };
}

describe('trading state across a restart', () => {
  it('exports state, reason and since as plain data', () => {
    const a = node();
    a.clock.advance(500);
    a.sm.set('HALTED', 'daily loss limit');
    const s = a.sm.exportState();
    expect(s).toEqual({ version: 1, state: 'HALTED', reason: 'daily loss limit', since: 1_500 });
    expect(roundTrip(s)).toEqual(s);
  });

  it('imports without announcing anything, then moves on from the restored state', () => {
    const a = node();
    a.sm.set('REDUCING', 'owner asked');
    const b = node(9_000);
    b.sm.importState(roundTrip(a.sm.exportState()));
    expect(b.changes).toEqual([]);
    expect(b.sm.describe()).toEqual({ state: 'REDUCING', reason: 'owner asked', since: 1_000 });
    expect(b.sm.set('REDUCING', 'again')).toBe(false);
    expect(b.sm.set('ACTIVE', 'resumed')).toBe(true);
    expect(b.changes).toEqual([{ type: 'TradingStateChanged', from: 'REDUCING', to: 'ACTIVE', reason: 'resumed', time: 9_000 }]);
  });

  it('restores ACTIVE over a machine that started elsewhere without releasing anything', () => {
    const clock = new ManualClock(0);
    const kernel = new BusHost(clock, new SequentialIds());
    const changes: Message[] = [];
    kernel.bus.on('TradingStateChanged', (m) => changes.push(m));
    const sm = new TradingStateMachine(kernel.bus, clock, 'HALTED');
    sm.importState({ version: 1, state: 'ACTIVE', reason: '', since: 0 });
    expect(sm.state()).toBe('ACTIVE');
    expect(changes).toEqual([]);
  });

  it('refuses an unknown version or state', () => {
    const { sm } = node();
    expect(() => sm.importState({ version: 2, state: 'ACTIVE', reason: '', since: 0 } as unknown as TradingStateSnapshot)).toThrow(
      /version/,
    );
    expect(() => sm.importState({ version: 1, state: 'PAUSED', reason: '', since: 0 } as unknown as TradingStateSnapshot)).toThrow(
      /PAUSED/,
    );
    expect(sm.state()).toBe('ACTIVE');
  });
});

const record = (status: OrderStatus, over: Partial<OrderIntent> = {}): OrderRecord => ({
  intent: anIntent(over),
  status,
  filledQty: 0n,
  filledQuote: 0n,
  createdAt: 0,
  updatedAt: 0,
});

/** A gate whose host starts with `tracked` in the tracker, as after a restart restored them. */
async function gate(limits: RiskLimits, tracked: readonly OrderRecord[]) {
  const v = new FakeRiskView({ BTCUSDT: '95000', ETHUSDT: '3000' });
  v.tracked = tracked;
  const { kernel, gate: g, submit } = riskGateRig(limits, v);
  await kernel.start();
  return { kernel, gate: g, submit: (i: OrderIntent) => submit(i)[0] };
}

describe('risk gate after a restart', () => {
  it('counts restored open orders against the limits and skips finished ones', async () => {
    const restored = [
      record('accepted'),
      record('partially_filled'),
      record('unknown'),
      record('accepted', { symbol: 'ETHUSDT', price: fx('3000') }),
      record('filled'),
      record('canceled'),
    ];
    const { gate: g, submit } = await gate({ maxOpenOrdersPerSymbol: 3, maxOpenOrdersTotal: 4 }, roundTrip(restored));
    expect(g.openOrders()).toBe(4);
    expect(g.openOrders('BTCUSDT')).toBe(3);
    expect(g.reserved('USDT')).toBe(0n);
    expect(submit(anIntent())).toMatchObject({ type: 'OrderDenied', code: 'MAX_OPEN_ORDERS_SYMBOL' });
    expect(submit(anIntent({ symbol: 'ETHUSDT', price: fx('3000'), quantity: fx('0.01') }))).toMatchObject({
      type: 'OrderDenied',
      code: 'MAX_OPEN_ORDERS_TOTAL',
    });
    // A restored open order cannot be sent a second time.
    expect(submit(restored[0]!.intent)).toMatchObject({ type: 'OrderDenied', code: 'DUPLICATE_ORDER' });
  });

  it('frees the count when a restored order finishes', async () => {
    const open = record('accepted');
    const { kernel, gate: g, submit } = await gate({ maxOpenOrdersPerSymbol: 1 }, [open, open]);
    expect(g.openOrders('BTCUSDT')).toBe(1);
    expect(submit(anIntent())).toMatchObject({ code: 'MAX_OPEN_ORDERS_SYMBOL' });
    kernel.bus.publish(aFillOf(open.intent));
    expect(g.openOrders()).toBe(0);
    expect(submit(anIntent())).toMatchObject({ type: 'PlaceOrder' });
  });
});
