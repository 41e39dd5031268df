import { type Fixed, ZERO, fixed, fundingWalletChange } from '../domain/index.js';

/** A position open at a settlement, with the mark and rate the bot last heard for it. */
export interface FundingHolder {
  readonly symbol: string;
  readonly amount: Fixed;
  readonly mark: Fixed;
  readonly rate: Fixed;
}

export interface FundingShare {
  readonly symbol: string;
  readonly amount: Fixed;
}

/**
 * Splits a FUNDING_FEE balance change (`bc`, the whole asset's) over the positions that paid it when the venue's
 * per-symbol income rows cannot be had. The balance change is the truth for the total: one holder takes all of it;
 * several take the domain's −pa·mark·rate each, at the mark and rate last heard, and the rounding left over (what the
 * venue's figures differ from those) goes to the largest payment, so the shares always add up to the wallet's change.
 */
export function attributeFunding(total: Fixed, holders: readonly FundingHolder[]): FundingShare[] {
  const open = holders.filter((h) => h.amount !== ZERO);
  if (open.length === 0) return [];
  if (open.length === 1) return [{ symbol: (open[0] as FundingHolder).symbol, amount: total }];
  const shares = open.map((h) => ({ symbol: h.symbol, amount: fundingWalletChange(h.amount, h.mark, h.rate) }));
  let largest = 0;
  let sum = ZERO;
  for (const [i, s] of shares.entries()) {
    sum += s.amount;
    if (fixed.abs(s.amount) > fixed.abs((shares[largest] as FundingShare).amount)) largest = i;
  }
  const big = shares[largest] as FundingShare;
  shares[largest] = { symbol: big.symbol, amount: big.amount + (total - sum) };
  return shares;
}
