import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Fixed, type Instrument, SPOT_CATALOG, SCALE, ZERO, fixed, fx, validateOrder } from '../../../src/domain/index.js';
import { type GridParams, type GridPreview, buildGridPreview } from '../../../src/strategy/index.js';
import { gridLevelPrices } from '../../../src/strategy/grid/ladder.js';

const ENTRIES = SPOT_CATALOG.filter((e) =>
  ['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'TRXUSDT', 'LINKUSDT'].includes(e.instrument.symbol),
);
const HUNDRED = 100n * SCALE;

function preview(params: GridParams, inst: Instrument, ref: Fixed, fee: Fixed, baseFree: Fixed) {
  return buildGridPreview({
    params,
    instrument: inst,
    referencePrice: ref,
    baseFree,
    quoteFree: fx('1000000'),
    makerFee: fee,
    takerFee: fee,
  });
}

/** Every order a preview would place passes every filter of the symbol, on the right side of the price. */
function expectEveryOrderPasses(p: GridPreview, inst: Instrument, ref: Fixed): void {
  for (const l of p.levels) {
    const check = validateOrder(inst, { side: l.side, type: 'LIMIT', price: l.price, quantity: l.quantity, referencePrice: ref });
    if (!check.ok) throw new Error(`level ${l.index}: ${check.error.message}`);
    expect(l.side).toBe(l.index < 0 ? 'BUY' : 'SELL');
    if (l.side === 'BUY') expect(l.price).toBeLessThan(ref);
    else expect(l.price).toBeGreaterThan(ref);
  }
  if (p.marketBuy) {
    const check = validateOrder(inst, { side: 'BUY', type: 'MARKET', quantity: p.marketBuy.quantity, referencePrice: ref });
    if (!check.ok) throw new Error(`market buy: ${check.error.message}`);
  }
}

/** The ladder itself: prices of every level (padding included), the orders, the capital and the profit per grid. */
function ladderOf(p: GridPreview, inst: Instrument) {
  return {
    prices: gridLevelPrices(p.params, inst, p.referencePrice),
    levels: p.levels,
    marketBuy: p.marketBuy,
    quoteForBuys: p.quoteForBuys,
    baseForSells: p.baseForSells,
    quoteNeeded: p.quoteNeeded,
    profitPerGrid: p.profitPerGrid,
    shape: p.shape,
  };
}

/** Greatest common divisor, to pick a spacing whose step ref·s/100 is an exact Fixed. */
function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * When the range form refuses what the spacing form accepts, it must be for a reason the spacing form only warns about:
 * the top order under the minimum size (the spacing form drops it), or one grid spanning 50 % or more.
 */
function expectRefusalExplained(code: string, spacingForm: GridPreview, inst: Instrument): void {
  const n = spacingForm.params.levels;
  if (code === 'INVESTMENT_TOO_SMALL') {
    expect(spacingForm.levels.some((l) => l.index === n)).toBe(false);
    return;
  }
  expect(code).toBe('GRIDS_TOO_WIDE');
  const prices = gridLevelPrices(spacingForm.params, inst, spacingForm.referencePrice).filter((p) => p > ZERO);
  const widest = prices.slice(1).reduce((m, p, i) => {
    const pct = fixed.divRound(100n * (p - (prices[i] as Fixed)) * SCALE, prices[i] as Fixed, 'floor');
    return pct > m ? pct : m;
  }, ZERO);
  expect(widest).toBeGreaterThanOrEqual(fx('50'));
}

describe('the range form and the spacing form (property)', () => {
  /*
   * Equivalent arguments, arithmetic: the spacing form at price r with N levels each side spaced s % is the range form
   * [r − N·d, r + N·d] with 2N grids, where d = r·s/100 is the price step. The range's ends are typed prices (Fixed), so
   * s is drawn such that d is an exact Fixed; then every raw line of both forms is the same exact number, r + k·d, and
   * both round it the same way (buys down, sells up, the line at the price half-even), so the ladders are equal.
   */
  it('arithmetic: equivalent arguments give the same ladder, and every order of either passes every filter', () => {
    let compared = 0;
    fc.assert(
      fc.property(
        fc.record({
          entry: fc.constantFrom(...ENTRIES),
          priceFactor: fc.double({ min: 0.05, max: 20, noNaN: true }),
          levels: fc.integer({ min: 1, max: 60 }),
          spacing: fc.double({ min: 0.001, max: 0.99, noNaN: true }),
          amount: fc.integer({ min: 100, max: 2_000_000 }),
          feeBps: fc.integer({ min: 0, max: 20 }),
          holdsBase: fc.boolean(),
        }),
        (x) => {
          const inst = x.entry.instrument;
          const tick = inst.filters.priceFilter.tickSize;
          const ref = fixed.roundTo(fx((Number(x.entry.demoPrice) * x.priceFactor).toFixed(8)), tick, 'halfEven');
          fc.pre(ref > ZERO);
          // s in fixed units must be a multiple of unit for ref·s/100 to be a whole number of 10⁻⁸.
          const unit = HUNDRED / gcd(ref, HUNDRED);
          const maxPct = fixed.div(HUNDRED, BigInt(x.levels) * SCALE, 'floor'); // keeps r − N·d above 0
          const target = fx((Math.min(49.99, Number(fixed.format(maxPct))) * x.spacing).toFixed(8));
          const spacingPct = (target / unit) * unit;
          fc.pre(spacingPct > ZERO);
          const step = (ref * spacingPct) / HUNDRED; // r·s/100, exact by the choice of unit
          expect((ref * spacingPct) % HUNDRED).toBe(0n);
          fc.pre(step >= tick); // lines a tick or more apart: the range form refuses denser grids outright
          const lower = ref - BigInt(x.levels) * step;
          const upper = ref + BigInt(x.levels) * step;
          fc.pre(lower >= tick);
          const amountQuote = fixed.divRound(BigInt(x.amount) * SCALE, 100n, 'floor');
          const fee = fixed.divRound(BigInt(x.feeBps) * SCALE, 10_000n, 'floor');
          const baseFree = x.holdsBase ? fx('1000000000') : ZERO;
          const spacingForm = preview(
            { symbol: inst.symbol, levels: x.levels, spacingPct, amountQuote, spacing: 'arithmetic' },
            inst,
            ref,
            fee,
            baseFree,
          );
          const rangeForm = preview(
            {
              symbol: inst.symbol,
              levels: 2 * x.levels,
              spacingPct: ZERO,
              amountQuote,
              spacing: 'arithmetic',
              range: { lower, upper, grids: 2 * x.levels },
            },
            inst,
            ref,
            fee,
            baseFree,
          );
          if (!spacingForm.ok) {
            expect(rangeForm.ok).toBe(false);
            return;
          }
          expectEveryOrderPasses(spacingForm.value, inst, ref);
          if (!rangeForm.ok) {
            expectRefusalExplained(rangeForm.error.code, spacingForm.value, inst);
            return;
          }
          expectEveryOrderPasses(rangeForm.value, inst, ref);
          expect(rangeForm.value.params.levels).toBe(x.levels);
          expect(ladderOf(rangeForm.value, inst)).toEqual(ladderOf(spacingForm.value, inst));
          compared++;
        },
      ),
      { numRuns: 400, seed: 11_2026 },
    );
    expect(compared).toBeGreaterThan(150);
  });

  /*
   * Geometric: the spacing form's lines are r·gᵏ with g = 1 + s/100; the range form's are (L^(2N−j)·U^j)^(1/2N). With
   * L = r/g^N and U = r·g^N they are the same numbers. L and U are typed prices, so g is drawn as a/b with b a
   * divisor of 10¹⁰ (s has at most 8 decimals) and r as a multiple of (a·b)^N, which makes both ends exact Fixed.
   */
  it('geometric: equivalent arguments give the same ladder, and every order of either passes every filter', () => {
    const RATIOS: ReadonlyArray<readonly [bigint, bigint]> = [
      [1001n, 1000n],
      [201n, 200n],
      [101n, 100n],
      [41n, 40n],
      [21n, 20n],
      [11n, 10n],
      [6n, 5n],
      [5n, 4n],
    ];
    let compared = 0;
    fc.assert(
      fc.property(
        fc.record({
          entry: fc.constantFrom(...ENTRIES),
          ratio: fc.constantFrom(...RATIOS),
          levels: fc.integer({ min: 1, max: 8 }),
          multiple: fc.bigInt({ min: 10n ** 4n, max: 10n ** 8n }),
          amount: fc.integer({ min: 100, max: 2_000_000 }),
          feeBps: fc.integer({ min: 0, max: 20 }),
        }),
        (x) => {
          const inst = x.entry.instrument;
          const tick = inst.filters.priceFilter.tickSize;
          const [a, b] = x.ratio;
          const n = BigInt(x.levels);
          const base = (a * b) ** n;
          fc.pre(base <= 10n ** 16n);
          // r = (a·b)^N·t, scaled so it lands near the symbol's demo price.
          const demo = fx(x.entry.demoPrice);
          const t = ((demo / base) * x.multiple) / 10n ** 6n + 1n;
          const ref = base * t;
          fc.pre(ref <= 100n * demo && ref >= demo / 100n);
          const lower = (ref / a ** n) * b ** n;
          const upper = (ref / b ** n) * a ** n;
          expect(lower * a ** n).toBe(ref * b ** n);
          expect(upper * b ** n).toBe(ref * a ** n);
          fc.pre(lower >= tick);
          const spacingPct = (HUNDRED * (a - b)) / b;
          const amountQuote = fixed.divRound(BigInt(x.amount) * SCALE, 100n, 'floor');
          const fee = fixed.divRound(BigInt(x.feeBps) * SCALE, 10_000n, 'floor');
          const spacingForm = preview(
            { symbol: inst.symbol, levels: x.levels, spacingPct, amountQuote, spacing: 'geometric' },
            inst,
            ref,
            fee,
            ZERO,
          );
          const rangeForm = preview(
            {
              symbol: inst.symbol,
              levels: 2 * x.levels,
              spacingPct: ZERO,
              amountQuote,
              spacing: 'geometric',
              range: { lower, upper, grids: 2 * x.levels },
            },
            inst,
            ref,
            fee,
            ZERO,
          );
          expect(spacingForm.ok).toBe(true);
          if (!spacingForm.ok) return;
          expectEveryOrderPasses(spacingForm.value, inst, ref);
          const prices = gridLevelPrices(spacingForm.value.params, inst, ref);
          // Lines within one tick: the range form refuses them (GRIDS_TOO_DENSE) where the spacing form warns.
          const distinct = prices.every((p, i) => i === 0 || p > (prices[i - 1] as Fixed));
          if (!rangeForm.ok) {
            if (rangeForm.error.code === 'GRIDS_TOO_DENSE') expect(distinct).toBe(false);
            else expectRefusalExplained(rangeForm.error.code, spacingForm.value, inst);
            return;
          }
          expectEveryOrderPasses(rangeForm.value, inst, ref);
          expect(ladderOf(rangeForm.value, inst)).toEqual(ladderOf(spacingForm.value, inst));
          compared++;
        },
      ),
      { numRuns: 400, seed: 11_2027 },
    );
    expect(compared).toBeGreaterThan(100);
  });
});

describe('the range form on its own (property)', () => {
  /*
   * Any range, count and price inside it: one order per grid but the line nearest the price, buys below it and sells
   * above, each line the exact line rounded away from the price (checked against an independent oracle: integer
   * comparisons of the fraction, or of N-th powers for geometric), and every order passes every filter.
   */
  it('places each exact line rounded away from the price, skips the nearest, and every order passes every filter', () => {
    let placed = 0;
    fc.assert(
      fc.property(
        fc.record({
          entry: fc.constantFrom(...ENTRIES),
          priceFactor: fc.double({ min: 0.05, max: 20, noNaN: true }),
          widthPct: fc.double({ min: 0.5, max: 80, noNaN: true }),
          where: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
          grids: fc.integer({ min: 2, max: 200 }),
          geometric: fc.boolean(),
          onTicks: fc.boolean(),
          amount: fc.integer({ min: 100, max: 2_000_000 }),
        }),
        (x) => {
          const inst = x.entry.instrument;
          const tick = inst.filters.priceFilter.tickSize;
          const mid = Number(x.entry.demoPrice) * x.priceFactor;
          // The owner may type ends finer than the tick: then lines fall just off tick multiples, where rounding is hardest.
          const end = (v: number) => (x.onTicks ? fixed.roundTo(fx(v.toFixed(8)), tick, 'halfEven') : fx(v.toFixed(8)));
          const lower = end(mid * (1 - x.widthPct / 200));
          const upper = end(mid * (1 + x.widthPct / 200));
          const ref = fixed.roundTo(lower + fixed.mul(upper - lower, fx(x.where.toFixed(8)), 'floor'), tick, 'floor');
          fc.pre(lower >= tick && ref > lower && ref < upper);
          const params: GridParams = {
            symbol: inst.symbol,
            levels: x.grids,
            spacingPct: ZERO,
            amountQuote: fixed.divRound(BigInt(x.amount) * SCALE, 100n, 'floor'),
            spacing: x.geometric ? 'geometric' : 'arithmetic',
            range: { lower, upper, grids: x.grids },
          };
          const res = preview(params, inst, ref, fx('0.001'), ZERO);
          if (!res.ok) {
            expect(['GRIDS_TOO_DENSE', 'GRIDS_TOO_WIDE', 'INVESTMENT_TOO_SMALL']).toContain(res.error.code);
            return;
          }
          const p = res.value;
          expectEveryOrderPasses(p, inst, ref);
          const n = p.params.levels;
          const prices = gridLevelPrices(p.params, inst, ref);
          const lines = prices.filter((v) => v > ZERO);
          expect(lines).toHaveLength(x.grids + 1);
          const centre = prices.findIndex((v) => v > ZERO); // position of line 0
          const N = BigInt(x.grids);
          lines.forEach((price, j) => {
            const level = centre + j - n;
            const J = BigInt(j);
            // raw < v ⟺ below(v); the rounded price must be the tick multiple just below (buys) or above (sells).
            const isAbove = (v: Fixed): boolean =>
              x.geometric ? v ** N > lower ** (N - J) * upper ** J : v * N > lower * (N - J) + upper * J;
            const isBelow = (v: Fixed): boolean =>
              x.geometric ? v ** N < lower ** (N - J) * upper ** J : v * N < lower * (N - J) + upper * J;
            expect(price % tick).toBe(0n);
            if (level < 0) {
              expect(isAbove(price)).toBe(false);
              expect(isAbove(price + tick)).toBe(true);
            } else if (level > 0) {
              expect(isBelow(price)).toBe(false);
              expect(isBelow(price - tick)).toBe(true);
            } else {
              // The line nearest the price, rounded to the nearest tick: within half a tick of it.
              expect(isBelow(price - tick / 2n - 1n)).toBe(true);
              expect(isAbove(price + tick / 2n + 1n)).toBe(true);
            }
          });
          // One order per grid, less the levels a filter dropped (each named in a warning).
          const dropped = p.warnings.flatMap((w) => ('levels' in w && w.code !== 'LEVEL_COLLAPSED' ? (w.levels ?? []) : []));
          expect(p.levels.length + dropped.length).toBe(x.grids);
          expect(p.levels.some((l) => l.index === 0)).toBe(false);
          placed += p.levels.length;
        },
      ),
      { numRuns: 300, seed: 11_2028 },
    );
    expect(placed).toBeGreaterThan(1000);
  });
});
