import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Fixed, type Instrument, SPOT_CATALOG, ZERO, fixed } from '../../../src/domain/index.js';
import { buyQuantityFor, levelShare, sizeBuyFill } from '../../../src/strategy/grid/level-sizing.js';

const INSTRUMENTS = SPOT_CATALOG.map((e) => e.instrument).filter((i) => ['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT'].includes(i.symbol));
const seed = { seed: 11, numRuns: 500 };

const case_ = fc.record({
  inst: fc.constantFrom(...INSTRUMENTS),
  steps: fc.integer({ min: 1, max: 1_000_000 }),
  feeBps: fc.integer({ min: 0, max: 100 }),
});

const levelOf = (inst: Instrument, steps: number): Fixed => BigInt(steps) * inst.filters.lotSize.stepSize;
const rateOf = (bps: number): Fixed => fixed.divRound(BigInt(bps) * fixed.SCALE, 10_000n, 'floor');

describe('level sizing (property)', () => {
  it('a buy sized for a fee in base brings in at least its level quantity, on the step, by less than a step and the fee over it', () => {
    fc.assert(
      fc.property(case_, ({ inst, steps, feeBps }) => {
        const q = levelOf(inst, steps);
        const f = rateOf(feeBps);
        const b = buyQuantityFor(inst, q, { feeRate: f, feeInBase: true });
        expect(fixed.isMultipleOf(b, inst.filters.lotSize.stepSize)).toBe(true);
        // Whatever the venue's rounding of the fee (half-even in the sandbox, up in the worst case), q arrives.
        for (const mode of ['halfEven', 'ceil'] as const) expect(b - fixed.mul(b, f, mode)).toBeGreaterThanOrEqual(q);
        // And it is the smallest such step: one step less would not cover q.
        const less = b - inst.filters.lotSize.stepSize;
        if (f > ZERO && less >= q) expect(less * (fixed.SCALE - f)).toBeLessThan(q * fixed.SCALE);
        expect(buyQuantityFor(inst, q, { feeRate: f, feeInBase: false })).toBe(q);
      }),
      seed,
    );
  });

  it('the shares of a level re-armed by an order`s fills add up to the level exactly, however the fills are cut', () => {
    fc.assert(
      fc.property(case_, fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 8 }), ({ inst, steps, feeBps }, cuts) => {
        const q = levelOf(inst, steps);
        const b = buyQuantityFor(inst, q, { feeRate: rateOf(feeBps), feeInBase: true });
        // Fills in proportion to `cuts`, on the step, the last one completing the order.
        const total = cuts.reduce((a, c) => a + c, 0);
        let cum = ZERO;
        let placed = ZERO;
        cuts.forEach((c, i) => {
          const last = i === cuts.length - 1;
          const next = last ? b : fixed.roundTo((b * BigInt(c)) / BigInt(total) + cum, inst.filters.lotSize.stepSize, 'floor');
          const fill = next > b ? b - cum : next - cum;
          if (fill <= ZERO && !last) return;
          const before = levelShare(inst, q, b, cum, false);
          cum += fill;
          const share = levelShare(inst, q, b, cum, last) - before;
          expect(share).toBeGreaterThanOrEqual(ZERO);
          expect(fixed.isMultipleOf(share, inst.filters.lotSize.stepSize)).toBe(true);
          placed += share;
        });
        expect(placed).toBe(q);
      }),
      seed,
    );
  });

  it('dust never goes negative: a shortfall past it comes off the sell, rounded up to the step', () => {
    fc.assert(
      fc.property(
        case_,
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        ({ inst, steps }, dustUnits, arrivedSteps) => {
          const q = levelOf(inst, steps);
          const arrived = fixed.divRound(BigInt(arrivedSteps) * q, 1_000_000n, 'floor');
          const r = sizeBuyFill(inst, q, arrived, BigInt(dustUnits));
          expect(r.dust).toBeGreaterThanOrEqual(ZERO);
          expect(r.sellPart + r.short).toBe(q);
          // Base is conserved: what the sell gets plus the dust is what arrived plus the dust before.
          expect(r.sellPart + r.dust).toBe(arrived + BigInt(dustUnits));
          if (r.short > ZERO) expect(r.dust).toBeLessThan(inst.filters.lotSize.stepSize);
        },
      ),
      seed,
    );
  });
});
