import { type Fixed, ZERO, mul } from './fixed.js';
import type { Instrument } from './instrument.js';

/**
 * A fill's commission valued in the symbol's quote asset: base-asset fees at the fill price, quote fees as they are.
 * A fee in a third asset (BNB) has no exact quote value here; it is returned as undefined so callers say so
 * rather than guess.
 */
export function feeInQuote(inst: Instrument, commission: Fixed, asset: string, fillPrice: Fixed): Fixed | undefined {
  if (commission === ZERO) return ZERO;
  if (asset === inst.quoteAsset) return commission;
  if (asset === inst.baseAsset) return mul(commission, fillPrice, 'halfEven');
  return undefined;
}
