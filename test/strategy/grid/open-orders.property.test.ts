import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Fixed, ZERO, fx } from '../../../src/domain/index.js';
import type { GridOrder, GridState } from '../../../src/strategy/grid/grid-state.js';
import { type LevelSizing, dustDrawOf } from '../../../src/strategy/grid/level-sizing.js';
import { OpenOrders } from '../../../src/strategy/grid/open-orders.js';

/** The sum the running total stands for: every open buy's draw at the sizing, summed from scratch. */
function summed(open: OpenOrders, sizing: LevelSizing): Fixed {
  let sum = ZERO;
  for (const o of open.values())
    if (o.side === 'BUY' && o.quantity !== undefined && o.levelQty !== undefined) sum += dustDrawOf(o.levelQty, o.quantity, sizing);
  return sum;
}

const order = (id: number, side: 'BUY' | 'SELL', levelUnits: number, extraUnits: number, sized: boolean): GridOrder => ({
  grid: undefined as unknown as GridState,
  clientOrderId: `o${id}`,
  side,
  level: 0,
  role: 'opener',
  lots: [],
  carryQty: ZERO,
  carryLots: [],
  ...(sized ? { quantity: BigInt(levelUnits + extraUnits) * 1000n, levelQty: BigInt(levelUnits) * 1000n } : {}),
});

const step = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    id: fc.integer({ min: 0, max: 12 }),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    level: fc.integer({ min: 1, max: 100_000 }),
    extra: fc.integer({ min: 0, max: 300 }),
    sized: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('clear' as const) }),
  fc.record({ kind: fc.constant('sizing' as const), feeBps: fc.integer({ min: 0, max: 100 }), inBase: fc.boolean() }),
  fc.record({ kind: fc.constant('ask' as const) }),
);

describe('open orders (property)', () => {
  it('the dust its buys claim, kept as it goes, is always the sum over every open order', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const open = new OpenOrders();
        let sizing: LevelSizing = { feeRate: fx('0.001'), feeInBase: true };
        for (const s of steps) {
          if (s.kind === 'set') open.set(`o${s.id}`, order(s.id, s.side, s.level, s.extra, s.sized));
          else if (s.kind === 'delete') open.delete(`o${s.id}`);
          else if (s.kind === 'clear') open.clear();
          else if (s.kind === 'sizing') sizing = { feeRate: (BigInt(s.feeBps) * fx('1')) / 10_000n, feeInBase: s.inBase };
          else expect(open.dustClaimed(sizing)).toBe(summed(open, sizing));
        }
        expect(open.dustClaimed(sizing)).toBe(summed(open, sizing));
      }),
      { seed: 14, numRuns: 500 },
    );
  });
});
