import { type Fixed, type Result, ZERO, failure, fixed, format, ok } from '../../domain/index.js';
import type { GridParams } from './grid-types.js';

export const MAX_GRID_LEVELS = 100;
/** Spacing is a percent strictly between 0 and this. */
export const MAX_SPACING_PCT: Fixed = fixed.fromInt(50);
/** The range form's number of grids (intervals between lower and upper); up to the spacing form's 100 each side. */
export const MIN_RANGE_GRIDS = 2;
export const MAX_RANGE_GRIDS = 2 * MAX_GRID_LEVELS;

/**
 * Checks what the chat parsed for meaning against the current price: levels 1..100, 0 < spacing < 50 %, amount > 0,
 * stop-loss < price < take-profit, and an arithmetic ladder whose lowest buy stays above zero.
 */
export function validateGridParams(params: GridParams, referencePrice: Fixed): Result<GridParams> {
  const { levels, spacingPct, amountQuote, stopLoss, takeProfit } = params;
  // A range grid's lines may all but one sit on one side of the price: up to every grid on one side.
  const maxLevels = params.range !== undefined ? MAX_RANGE_GRIDS : MAX_GRID_LEVELS;
  if (!Number.isInteger(levels) || levels < 1 || levels > maxLevels) {
    return failure('INVALID_LEVELS', `levels must be a whole number from 1 to ${maxLevels} (got ${levels})`);
  }
  if (spacingPct <= ZERO || spacingPct >= MAX_SPACING_PCT) {
    return failure('INVALID_SPACING', `spacing must be above 0 % and below ${format(MAX_SPACING_PCT)} % (got ${format(spacingPct)} %)`);
  }
  if (amountQuote <= ZERO) {
    return failure('INVALID_AMOUNT', `the amount per level must be positive (got ${format(amountQuote)})`);
  }
  if (referencePrice <= ZERO) {
    return failure('NO_PRICE', `there is no usable price for ${params.symbol} yet`);
  }
  // An arithmetic ladder of N levels spaced s % reaches ref × (1 − N·s/100) at the bottom, which must stay positive.
  if (params.range === undefined && params.spacing === 'arithmetic' && BigInt(levels) * spacingPct >= fixed.fromInt(100)) {
    return failure(
      'LADDER_BELOW_ZERO',
      `${levels} levels × ${format(spacingPct)} % reaches ${format(BigInt(levels) * spacingPct)} % below the price; ` +
        'use fewer levels, a smaller spacing or geometric',
    );
  }
  if (stopLoss !== undefined && (stopLoss <= ZERO || stopLoss >= referencePrice)) {
    return failure('INVALID_STOP_LOSS', `stop-loss ${format(stopLoss)} must be above 0 and below the price ${format(referencePrice)}`);
  }
  if (takeProfit !== undefined && takeProfit <= referencePrice) {
    return failure('INVALID_TAKE_PROFIT', `take-profit ${format(takeProfit)} must be above the price ${format(referencePrice)}`);
  }
  return ok(params);
}
