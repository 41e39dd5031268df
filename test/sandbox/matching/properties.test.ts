import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Fixed, ZERO, fixed, fx } from '../../../src/domain/index.js';
import { MatchingEngine, type NewOrder, type VenueEvent } from '../../../src/sandbox/index.js';
import { BTC } from './fixtures.js';

type Op =
  | { kind: 'place'; side: 'BUY' | 'SELL'; ticks: number; lots: number; type: 'LIMIT' | 'MARKET'; tif: 'GTC' | 'IOC' | 'FOK' }
  | { kind: 'cancel'; pick: number }
  | { kind: 'trade'; ticks: number; lots: number };

// Prices as 50000 + n * 0.01 and quantities as n * 0.001, inside BTCUSDT's filters.
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      side: fc.constantFrom('BUY' as const, 'SELL' as const),
      ticks: fc.integer({ min: -300, max: 300 }),
      lots: fc.integer({ min: 1, max: 20 }),
      type: fc.constantFrom('LIMIT' as const, 'LIMIT' as const, 'MARKET' as const),
      tif: fc.constantFrom('GTC' as const, 'GTC' as const, 'IOC' as const, 'FOK' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('trade' as const),
      ticks: fc.integer({ min: -300, max: 300 }),
      lots: fc.integer({ min: 1, max: 30 }),
    }),
  },
);

const START = { USDT: fx('10000'), BTC: fx('0.2') };

function run(engine: MatchingEngine, ops: readonly Op[], startId: number, log: VenueEvent[] = []): VenueEvent[] {
  let n = startId;
  for (const o of ops) {
    const price = fx('50000') + BigInt(o.kind === 'cancel' ? 0 : o.ticks) * fx('0.01');
    switch (o.kind) {
      case 'place': {
        const order: NewOrder = {
          clientOrderId: `c${n++}`,
          symbol: 'BTCUSDT',
          side: o.side,
          type: o.type,
          price: o.type === 'LIMIT' ? price : undefined,
          quantity: BigInt(o.lots) * fx('0.001'),
          timeInForce: o.tif,
        };
        const r = engine.placeOrder(order, n);
        if (r.ok) log.push(...r.value.events);
        break;
      }
      case 'cancel': {
        const open = engine.openOrders();
        if (!open.ok || open.value.length === 0) break;
        const target = open.value[o.pick % open.value.length];
        const r = engine.cancelOrder('BTCUSDT', { clientOrderId: target?.clientOrderId ?? '' }, n);
        if (r.ok) log.push(...r.value.events);
        break;
      }
      case 'trade':
        log.push(
          ...engine.onTrade({ symbol: 'BTCUSDT', price, quantity: BigInt(o.lots) * fx('0.001'), time: n, tradeId: n, isBuyerMaker: false }),
        );
        break;
    }
  }
  return log;
}

function total(e: MatchingEngine, asset: string): Fixed {
  const b = e.balances().find((x) => x.asset === asset);
  return b ? b.free + b.locked : ZERO;
}

describe('matching invariants', () => {
  it('conserves every asset: balances move exactly by fills and fees', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 80 }), (ops) => {
        const e = new MatchingEngine({ instruments: [BTC], startingBalances: START });
        const events = run(e, ops, 1);
        let usdt = START.USDT;
        let btc = START.BTC;
        const filled = new Map<string, Fixed>();
        for (const ev of events) {
          if (ev.type !== 'execution' || !ev.report.trade) continue;
          const { report: r } = ev;
          const t = ev.report.trade;
          const quote = fixed.mul(t.price, t.quantity, 'halfEven');
          if (r.side === 'BUY') {
            usdt -= quote;
            btc += t.quantity - t.commission;
            expect(t.commissionAsset).toBe('BTC');
          } else {
            usdt += quote - t.commission;
            btc -= t.quantity;
            expect(t.commissionAsset).toBe('USDT');
          }
          const cum = (filled.get(r.exchangeOrderId) ?? ZERO) + t.quantity;
          filled.set(r.exchangeOrderId, cum);
          expect(r.cumQty).toBe(cum);
          expect(cum <= r.origQty).toBe(true);
          if (t.isMaker) expect(t.price).toBe(r.price);
        }
        expect(total(e, 'USDT')).toBe(usdt);
        expect(total(e, 'BTC')).toBe(btc);
        for (const b of e.balances()) expect(b.free >= ZERO && b.locked >= ZERO).toBe(true);
        // With every order gone, nothing may stay locked.
        const open = e.openOrders();
        for (const r of open.ok ? open.value : []) e.cancelOrder('BTCUSDT', { clientOrderId: r.clientOrderId }, 0);
        for (const b of e.balances()) expect(b.locked).toBe(ZERO);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('a restored snapshot behaves exactly like the engine it was taken from', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 40 }), fc.array(op, { minLength: 10, maxLength: 40 }), (before, after) => {
        const original = new MatchingEngine({ instruments: [BTC], startingBalances: START });
        run(original, before, 1);
        const snap = JSON.parse(JSON.stringify(original.snapshot()));
        const restored = MatchingEngine.fromSnapshot({ instruments: [BTC] }, snap);
        if (!restored.ok) throw new Error(restored.error.message);
        expect(restored.value.snapshot()).toEqual(original.snapshot());
        expect(run(restored.value, after, 1000)).toEqual(run(original, after, 1000));
        expect(restored.value.balances()).toEqual(original.balances());
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('refuses a snapshot with a bad number or an unconfigured symbol', () => {
    const e = new MatchingEngine({ instruments: [BTC], startingBalances: START });
    e.placeOrder({ clientOrderId: 'a', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: fx('40000'), quantity: fx('0.01') }, 1);
    const snap = e.snapshot();
    expect(MatchingEngine.fromSnapshot({ instruments: [] }, snap)).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_INVALID' } });
    const bad = { ...snap, balances: [{ asset: 'USDT', free: 'lots', locked: '0' }] };
    expect(MatchingEngine.fromSnapshot({ instruments: [BTC] }, bad)).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_INVALID' } });
  });
});
