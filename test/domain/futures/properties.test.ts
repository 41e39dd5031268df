import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FLAT_POSITION,
  type LiquidationMargin,
  type SymbolBrackets,
  applyFill,
  fixed,
  liquidationPrice,
} from '../../../src/domain/index.js';
import { btcBrackets } from './brackets-file.js';

const SCALE = 100_000_000n;
const btc = btcBrackets();

/**
 * Margin balance − maintenance margin at price p, exactly (10²⁴ scale, no rounding), the bracket taken by the notional
 * |pa|·p written out here independently of the module: WB − TMM1 + UPNL1 + (p − ep)·pa − (|pa|·p·MMR − cum).
 */
function surplus(brackets: SymbolBrackets, base: bigint, amount: bigint, entryNotional: bigint, p: bigint): bigint {
  const size = fixed.abs(amount);
  const notional16 = size * p;
  const tier = [...brackets.brackets].reverse().find((b) => b.notionalFloor * SCALE <= notional16) ?? brackets.brackets[0]!;
  const signedEntry = amount > 0n ? entryNotional : -entryNotional;
  const upnl16 = amount * p - signedEntry * SCALE;
  return base * SCALE * SCALE + upnl16 * SCALE - (notional16 * tier.maintMarginRatio - tier.cum * SCALE * SCALE);
}

const position = fc.record({
  long: fc.boolean(),
  lots: fc.integer({ min: 1, max: 200_000 }), // 0.001 … 200 BTC: notionals across brackets 1–5
  ticks: fc.integer({ min: 100_000, max: 1_000_000 }), // entry 10000.0 … 100000.0 on a 0.1 tick
  cross: fc.boolean(),
  walletPermille: fc.integer({ min: 0, max: 1500 }), // wallet as ‰ of the entry notional
  otherMm: fc.integer({ min: 0, max: 500_000 }),
  otherUpnl: fc.integer({ min: -500_000, max: 500_000 }),
});

describe('futures maths properties', () => {
  it('the liquidation price is where margin balance meets maintenance margin, to within one price unit', () => {
    fc.assert(
      fc.property(position, (g) => {
        const amount = BigInt(g.lots) * 100_000n * (g.long ? 1n : -1n);
        const entry = BigInt(g.ticks) * 10_000_000n;
        const entryNotional = (fixed.abs(amount) * entry) / SCALE; // exact: 3 places × 1 place
        const wallet = (entryNotional * BigInt(g.walletPermille)) / 1000n;
        const margin: LiquidationMargin = g.cross
          ? {
              mode: 'cross',
              wallet,
              otherMaintenance: (BigInt(g.otherMm) * SCALE) / 100n,
              otherUnrealizedPnl: (BigInt(g.otherUpnl) * SCALE) / 100n,
            }
          : { mode: 'isolated', wallet };
        const base = margin.mode === 'cross' ? wallet - margin.otherMaintenance + margin.otherUnrealizedPnl : wallet;
        const at = (p: bigint) => surplus(btc, base, amount, entryNotional, p);
        const lp = liquidationPrice(amount, entryNotional, btc, margin);
        if (lp === undefined) {
          // No positive root: a long survives every positive price, a short none.
          if (g.long) expect(at(1n) >= 0n).toBe(true);
          else expect(at(1n) <= 0n).toBe(true);
          return;
        }
        // The exact root lies within half a unit of LP, so the surplus changes sign across LP ± 1 unit…
        const below = at(lp.price - 1n);
        const above = at(lp.price + 1n);
        if (g.long) expect(below < 0n && above > 0n).toBe(true);
        else expect(below > 0n && above < 0n).toBe(true);
        // …and at LP itself it is at most half a price unit's worth: |pa|·(1 ± MMR)·½ unit.
        const slope = fixed.abs(amount) * (SCALE + lp.bracket.maintMarginRatio);
        expect(2n * fixed.abs(at(lp.price)) <= slope).toBe(true);
        // The bracket reported is the one of the notional at LP.
        const notional16 = fixed.abs(amount) * lp.price;
        const floorOk = lp.bracket.notionalFloor * SCALE <= notional16 + fixed.abs(amount);
        const capOk = lp.bracket.bracket === 12 || notional16 - fixed.abs(amount) < lp.bracket.notionalCap * SCALE;
        expect(floorOk && capOk).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('entry price and realized PnL conserve quote across random fill sequences', () => {
    const fill = fc.record({
      buy: fc.boolean(),
      lots: fc.integer({ min: 1, max: 3000 }), // 0.001 … 3 BTC
      ticks: fc.integer({ min: 100_000, max: 1_000_000 }),
      feeBp: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(fill, { minLength: 1, maxLength: 60 }), fc.integer({ min: 100_000, max: 1_000_000 }), (seq, markTicks) => {
        let pos = FLAT_POSITION;
        let cash = 0n; // Σ sells − Σ buys, exact (10⁸: 3 places × 1 place fits)
        let realized = 0n;
        for (const f of seq) {
          const qty = BigInt(f.lots) * 100_000n;
          const price = BigInt(f.ticks) * 10_000_000n;
          const fee = fixed.mul(fixed.mul(qty, price, 'halfEven'), BigInt(f.feeBp) * 10_000n, 'halfEven');
          const before = pos;
          const r = applyFill(pos, f.buy ? 'BUY' : 'SELL', qty, price, fee);
          pos = r.position;
          realized += r.realizedPnl;
          cash += ((f.buy ? -1n : 1n) * qty * price) / SCALE;
          // D.2: a pure reduce keeps the entry price; whatever opens from flat opens at the fill price.
          const flipped = pos.amount !== 0n && before.amount !== 0n && pos.amount > 0n !== before.amount > 0n;
          if (r.closed > 0n && pos.amount !== 0n && !flipped) expect(pos.entryPrice).toBe(before.entryPrice);
          if (before.amount === 0n || flipped) expect(pos.entryPrice).toBe(price);
          // The signed amount moves by the signed fill.
          expect(pos.amount).toBe(before.amount + (f.buy ? qty : -qty));
        }
        const signedEntry = pos.amount > 0n ? pos.entryNotional : -pos.entryNotional;
        // Quote is conserved to the unit: realized PnL plus the open position's entry notional is the cash flow.
        expect(realized - signedEntry).toBe(cash);
        // Marked to any price: realized + (mark·pa − pa·ep) = cash + mark·pa (the uPnL with the exact entry).
        const mark = BigInt(markTicks) * 10_000_000n;
        expect(realized * SCALE + (mark * pos.amount - signedEntry * SCALE)).toBe(cash * SCALE + mark * pos.amount);
        if (pos.amount === 0n) expect([pos.entryPrice, pos.entryNotional, pos.openingFees]).toEqual([0n, 0n, 0n]);
      }),
      { numRuns: 500 },
    );
  });
});
