import { type Fixed, SCALE, ZERO, mul } from './fixed.js';
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

/**
 * The price of one `asset` in `quote` from the markets the bot watches: the direct pair (BNBUSDT), or else a cross
 * through one intermediate asset X, asset/X × X/quote (BNBBTC × BTCUSDT), each leg's last trade, half-even. Undefined
 * when no such market has traded: a fee is then told as unvalued, never valued at zero.
 */
export function assetPriceIn(
  asset: string,
  quote: string,
  instruments: Iterable<Instrument>,
  lastPrice: (symbol: string) => Fixed | undefined,
): Fixed | undefined {
  if (asset === quote) return SCALE;
  const direct = lastPrice(asset + quote);
  if (direct !== undefined) return direct;
  for (const leg of instruments) {
    if (leg.baseAsset !== asset || leg.quoteAsset === quote) continue;
    const first = lastPrice(leg.symbol);
    const second = first === undefined ? undefined : lastPrice(leg.quoteAsset + quote);
    if (first !== undefined && second !== undefined) return mul(first, second, 'halfEven');
  }
  return undefined;
}

/**
 * feeInQuote, and for a third asset its value at `priceOf(asset)` (the asset's price in the symbol's quote asset);
 * undefined only when that price is unknown too.
 */
export function feeValueInQuote(
  inst: Instrument,
  commission: Fixed,
  asset: string,
  fillPrice: Fixed,
  priceOf: (asset: string, quote: string) => Fixed | undefined,
): Fixed | undefined {
  const own = feeInQuote(inst, commission, asset, fillPrice);
  if (own !== undefined) return own;
  const price = priceOf(asset, inst.quoteAsset);
  return price === undefined ? undefined : mul(commission, price, 'halfEven');
}
