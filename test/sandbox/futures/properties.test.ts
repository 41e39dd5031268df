import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import { limit, market, rig } from './fixtures.js';

type Step =
  | { kind: 'trade'; ticks: number }
  | { kind: 'market'; side: 'BUY' | 'SELL'; lots: number; reduceOnly: boolean }
  | { kind: 'limit'; side: 'BUY' | 'SELL'; ticks: number; lots: number }
  | { kind: 'cancel' }
  | { kind: 'clock'; hours: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('trade' as const), ticks: fc.integer({ min: -300, max: 300 }) }),
  fc.record({
    kind: fc.constant('market' as const),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    lots: fc.integer({ min: 1, max: 500 }),
    reduceOnly: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('limit' as const),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    ticks: fc.integer({ min: 1, max: 300 }),
    lots: fc.integer({ min: 1, max: 500 }),
  }),
  fc.record({ kind: fc.constant('cancel' as const) }),
  fc.record({ kind: fc.constant('clock' as const), hours: fc.integer({ min: 0, max: 9 }) }),
);

describe('FuturesEngine invariants over random order flow', () => {
  it('the wallet is the start plus every income row; the position is the sum of the fills; realized PnL agrees everywhere', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.boolean(), (steps, isolated) => {
        const r = rig();
        let price = fx('60000');
        const tick = fx('0.5');
        r.trade('60000');
        if (isolated) r.engine.setMarginType('BTCUSDT', 'ISOLATED', r.clock.t);
        let n = 0;
        for (const s of steps) {
          const id = `c${n++}`;
          if (s.kind === 'trade') {
            price += BigInt(s.ticks) * tick;
            r.trade((Number(price) / 1e8).toFixed(2));
          } else if (s.kind === 'market') {
            r.engine.placeOrder(market(s.side, (s.lots / 1000).toFixed(3), id, { reduceOnly: s.reduceOnly }), r.clock.t);
          } else if (s.kind === 'limit') {
            const p = s.side === 'BUY' ? price - BigInt(s.ticks) * tick : price + BigInt(s.ticks) * tick;
            r.engine.placeOrder(limit(s.side, (Number(p) / 1e8).toFixed(2), (s.lots / 1000).toFixed(3), id), r.clock.t);
          } else if (s.kind === 'cancel') {
            const open = r.engine.openOrders();
            const first = open.ok ? open.value[0] : undefined;
            if (first) r.engine.cancelOrder('BTCUSDT', { orderId: String(first.orderId) }, r.clock.t);
          } else {
            r.at(r.clock.t + s.hours * 3_600_000);
          }
        }
        const income = r.engine.income();
        const sum = income.reduce((a, i) => a + i.income, 0n);
        expect(r.engine.balances()[0]?.walletBalance).toBe(fx('10000') + sum);
        const trades = r.engine.userTrades('BTCUSDT');
        if (!trades.ok) throw new Error('no trades');
        const net = trades.value.reduce((a, t) => a + (t.side === 'BUY' ? t.quantity : -t.quantity), 0n);
        const p = r.position();
        expect(p.positionAmt).toBe(net);
        const realized = trades.value.reduce((a, t) => a + t.realizedPnl, 0n);
        expect(income.filter((i) => i.incomeType === 'REALIZED_PNL').reduce((a, i) => a + i.income, 0n)).toBe(realized);
        expect(p.accumulatedRealized).toBe(realized);
        if (p.positionAmt === 0n) expect(p.isolatedWallet).toBe(0n);
      }),
      { numRuns: 150, seed: 12 },
    );
  });
});
