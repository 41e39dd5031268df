import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Fixed, SPOT_CATALOG, ZERO, fixed, fx, validateOrder } from '../../../src/domain/index.js';
import { buildGridPreview } from '../../../src/strategy/index.js';

const ENTRIES = SPOT_CATALOG.filter((e) =>
  ['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'TRXUSDT', 'LINKUSDT'].includes(e.instrument.symbol),
);

const input = fc.record({
  entry: fc.constantFrom(...ENTRIES),
  /** Reference price as a multiple of the demo price, 0.05× .. 20×. */
  priceFactor: fc.double({ min: 0.05, max: 20, noNaN: true }),
  levels: fc.integer({ min: 1, max: 100 }),
  spacingHundredths: fc.integer({ min: 1, max: 4999 }),
  geometric: fc.boolean(),
  amount: fc.integer({ min: 1, max: 5_000_000 }),
  feeBps: fc.integer({ min: 0, max: 20 }),
});

describe('buildGridPreview (property)', () => {
  it('every level it produces passes every filter of the symbol, in order and on the right side', () => {
    let withLevels = 0;
    let withMarketBuy = 0;
    fc.assert(
      fc.property(input, (x) => {
        const inst = x.entry.instrument;
        const tick = inst.filters.priceFilter.tickSize;
        // Floats only pick the inputs; everything after is exact.
        const ref = fixed.roundTo(fx((Number(x.entry.demoPrice) * x.priceFactor).toFixed(8)), tick, 'halfEven');
        fc.pre(ref > ZERO);
        const amountQuote = fixed.divRound(BigInt(x.amount) * fixed.SCALE, 100n, 'floor'); // 0.01 .. 50000
        const fee = fixed.divRound(BigInt(x.feeBps) * fixed.SCALE, 10_000n, 'floor');
        const res = buildGridPreview({
          params: {
            symbol: inst.symbol,
            levels: x.levels,
            spacingPct: fixed.divRound(BigInt(x.spacingHundredths) * fixed.SCALE, 100n, 'floor'),
            amountQuote,
            spacing: x.geometric ? 'geometric' : 'arithmetic',
          },
          instrument: inst,
          referencePrice: ref,
          baseFree: ZERO,
          quoteFree: fx('1000000'),
          makerFee: fee,
          takerFee: fee,
        });
        if (!res.ok) {
          expect(res.error.code).toBe('LADDER_BELOW_ZERO');
          return;
        }
        const p = res.value;
        if (p.levels.length > 0) withLevels++;
        if (p.marketBuy) withMarketBuy++;
        let last: Fixed = ZERO;
        let lastIndex = -Infinity;
        let base = ZERO;
        for (const l of p.levels) {
          const check = validateOrder(inst, { side: l.side, type: 'LIMIT', price: l.price, quantity: l.quantity, referencePrice: ref });
          if (!check.ok) throw new Error(`level ${l.index} ${check.error.message}`);
          expect(l.index).not.toBe(0);
          expect(l.index).toBeGreaterThan(lastIndex);
          expect(l.price).toBeGreaterThanOrEqual(last);
          expect(l.side).toBe(l.index < 0 ? 'BUY' : 'SELL');
          if (l.side === 'BUY') expect(l.price).toBeLessThanOrEqual(ref);
          else expect(l.price).toBeGreaterThanOrEqual(ref);
          // The level quantity is the amount's worth; a buy sized up over it still brings in, net of its fee, all of it.
          const levelQty = l.sellQuantity ?? l.quantity;
          expect(fixed.mul(l.price, levelQty, 'floor')).toBeLessThanOrEqual(amountQuote);
          if (l.side === 'BUY') expect(l.quantity - fixed.mul(l.quantity, fee, 'halfEven')).toBeGreaterThanOrEqual(levelQty);
          else expect(l.sellQuantity).toBeUndefined();
          if (l.side === 'SELL') base += l.quantity;
          last = l.price;
          lastIndex = l.index;
        }
        expect(p.baseForSells).toBe(base);
        if (p.marketBuy) {
          const check = validateOrder(inst, { side: 'BUY', type: 'MARKET', quantity: p.marketBuy.quantity, referencePrice: ref });
          if (!check.ok) throw new Error(`market buy ${check.error.message}`);
          // What the buy brings in net of its base fee covers the sells.
          expect(p.marketBuy.quantity - fixed.mul(p.marketBuy.quantity, fee, 'ceil')).toBeGreaterThanOrEqual(base);
        } else if (base > ZERO) {
          // Only a market buy that breaks a filter itself (too large for MARKET_LOT_SIZE) is left out, and said so.
          expect(p.warnings.map((w) => w.code)).toContain('MARKET_BUY_REJECTED_BY_FILTER');
        }
        const dropped = p.warnings.flatMap((w) => ('levels' in w && w.code !== 'LEVEL_COLLAPSED' ? (w.levels ?? []) : []));
        expect(p.levels.length + dropped.length).toBe(2 * x.levels);
      }),
      { numRuns: 400, seed: 20250304 },
    );
    // The generator must exercise real ladders, not only empty ones.
    expect(withLevels).toBeGreaterThan(200);
    expect(withMarketBuy).toBeGreaterThan(100);
  });
});
