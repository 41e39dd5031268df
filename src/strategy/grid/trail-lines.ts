import { type Fixed, type Instrument, SCALE, ZERO, fixed, roundPrice, roundQuantity } from '../../domain/index.js';
import { rangeLinePrice } from './range-ladder.js';
import type { GridParams } from './grid-types.js';

/** 100 % in fixed units, as in ladder.ts: a spacing of p percent is the exact factor (HUNDRED + p) / HUNDRED. */
const HUNDRED = 100n * SCALE;

/**
 * The price of any level of a grid priced at `ref`, inside its ladder or beyond it (the lines a trailing grid moves
 * onto): the ladder's own rule continued (arithmetic step, geometric ratio, the range form's spacing) and rounded as
 * the ladder rounds, away from the reference (below level 0 down to the tick, above it up). For every level of the
 * ladder this is exactly `gridLevelPrices`' price. Undefined where the line is not above zero.
 */
export function linePrice(params: GridParams, inst: Instrument, ref: Fixed, level: number): Fixed | undefined {
  if (params.range !== undefined) return rangeLinePrice(params, inst, ref, level);
  if (level === 0) return fixed.roundTo(ref, inst.filters.priceFilter.tickSize, 'halfEven');
  const k = BigInt(Math.abs(level));
  let raw: Fixed;
  if (params.spacing === 'arithmetic') {
    const step = k * params.spacingPct;
    raw = level > 0 ? fixed.divRound(ref * (HUNDRED + step), HUNDRED, 'ceil') : fixed.divRound(ref * (HUNDRED - step), HUNDRED, 'floor');
  } else {
    const g = (HUNDRED + params.spacingPct) ** k;
    const h = HUNDRED ** k;
    raw = level > 0 ? fixed.divRound(ref * g, h, 'ceil') : fixed.divRound(ref * h, g, 'floor');
  }
  if (raw <= ZERO) return undefined;
  const price = roundPrice(inst, level > 0 ? 'SELL' : 'BUY', raw);
  return price > ZERO ? price : undefined;
}

/** A line's level quantity, as the ladder sets it: the amount per level over the line's price, down to the lot step. */
export function lineLevelQty(inst: Instrument, amountQuote: Fixed, price: Fixed): Fixed {
  return roundQuantity(inst, fixed.div(amountQuote, price, 'floor'));
}
