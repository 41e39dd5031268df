import { type Fixed, SCALE, ZERO, fixed } from '../../domain/index.js';
import type { LadderLevel, LadderShape } from './grid-types.js';

/**
 * The ladder as a range (lowest to highest line, number of grids) and as a spacing (distance between neighbouring
 * lines in price and in percent of the lower line, floored), from its rounded prices, so both forms describe the same
 * orders. Zero prices are not lines (a range grid's padding, or a buy rounded away).
 */
export function ladderShape(prices: readonly Fixed[], levels: readonly LadderLevel[]): LadderShape {
  const centre = prices[(prices.length - 1) / 2] ?? ZERO;
  const lines = prices.filter((p) => p > ZERO);
  let stepMin: Fixed | undefined;
  let stepMax = ZERO;
  let pctMin: Fixed | undefined;
  let pctMax = ZERO;
  for (let i = 1; i < lines.length; i++) {
    const p0 = lines[i - 1] as Fixed;
    const step = (lines[i] as Fixed) - p0;
    const pct = fixed.divRound(100n * step * SCALE, p0, 'floor');
    if (stepMin === undefined || step < stepMin) stepMin = step;
    if (step > stepMax) stepMax = step;
    if (pctMin === undefined || pct < pctMin) pctMin = pct;
    if (pct > pctMax) pctMax = pct;
  }
  let qMin: Fixed | undefined;
  let qMax = ZERO;
  for (const l of levels) {
    // The level's quantity (what its sell sells), not a buy's fee-sized quantity: the figure the owner confirms.
    const q = l.sellQuantity ?? l.quantity;
    if (qMin === undefined || q < qMin) qMin = q;
    if (q > qMax) qMax = q;
  }
  return {
    lower: lines[0] ?? ZERO,
    upper: lines[lines.length - 1] ?? ZERO,
    centre,
    grids: Math.max(0, lines.length - 1),
    stepPrice: { min: stepMin ?? ZERO, max: stepMax },
    stepPct: { min: pctMin ?? ZERO, max: pctMax },
    quantity: { min: qMin ?? ZERO, max: qMax },
  };
}
