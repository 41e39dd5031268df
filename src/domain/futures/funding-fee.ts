import { type Fixed, type Rounding, SCALE, divRound } from '../fixed.js';

/**
 * Rounding of a funding payment to the wallet's 8 decimals. Binance books FUNDING_FEE income with 8 decimals but does
 * not say how it rounds (UNVERIFIED): we floor the wallet change, so the account pays the ceiling of what it owes and
 * receives the floor of what it is owed, never credited a fraction Binance might not pay.
 */
export const FUNDING_FEE_ROUNDING: Rounding = 'floor';

/**
 * The wallet change at a settlement (PROTOCOLS-FUTURES D.6): −positionAmt · mark · rate. positionAmt is signed
 * (long > 0), so a positive rate makes longs pay and shorts receive, a negative rate the reverse. The three-way
 * product is taken exactly (10^24 scale) and rounded once.
 */
export function fundingWalletChange(positionAmt: Fixed, markPrice: Fixed, rate: Fixed): Fixed {
  return divRound(-positionAmt * markPrice * rate, SCALE * SCALE, FUNDING_FEE_ROUNDING);
}
