import { type Fixed, type Instrument, type Result, SCALE, ZERO, fixed } from '../../domain/index.js';
import type { VenueRejection } from '../matching/index.js';
import type { ContractTerms } from './futures-market.js';
import * as R from './futures-rejections.js';

type Refusal = Result<never, VenueRejection>;

/**
 * PRICE_FILTER (LIMIT) and LOT_SIZE / MARKET_LOT_SIZE with Binance USD-M's codes, tick and step from the instrument.
 * MARKET answers to MARKET_LOT_SIZE where it sets a bound or step, LOT_SIZE otherwise.
 */
export function checkFilters(inst: Instrument, isMarket: boolean, price: Fixed, qty: Fixed): Refusal | undefined {
  const f = inst.filters;
  if (!isMarket) {
    const { minPrice, maxPrice, tickSize } = f.priceFilter;
    if (price <= ZERO || (minPrice > ZERO && price < minPrice)) return R.priceBelowMin(price, minPrice);
    if (maxPrice > ZERO && price > maxPrice) return R.priceAboveMax(price, maxPrice);
    if (tickSize > ZERO && (price - minPrice) % tickSize !== ZERO) return R.priceOffTick(price, tickSize);
  }
  if (qty <= ZERO) return R.quantityNotPositive();
  const lot = f.lotSize;
  const mlot = isMarket ? f.marketLotSize : undefined;
  const minQty = mlot !== undefined && mlot.minQty > ZERO ? mlot.minQty : lot.minQty;
  const maxQty = mlot !== undefined && mlot.maxQty > ZERO ? mlot.maxQty : lot.maxQty;
  const step = mlot !== undefined && mlot.stepSize > ZERO ? mlot.stepSize : lot.stepSize;
  if (minQty > ZERO && qty < minQty) return R.quantityBelowMin(qty, minQty);
  if (maxQty > ZERO && qty > maxQty) return R.quantityAboveMax(qty, maxQty);
  if (step > ZERO && qty % step !== ZERO) return R.quantityOffStep(qty, step);
  return undefined;
}

/**
 * PERCENT_PRICE against the mark (a LIMIT order; skipped before the symbol's first trade, when there is no mark):
 * -4016 for a buy above mark·up, -4024 for a sell below mark·down, the bound in the message rounded to the tick inward.
 */
export function checkPercentPrice(inst: Instrument, terms: ContractTerms, buy: boolean, price: Fixed, mark: Fixed): Refusal | undefined {
  if (mark <= ZERO) return undefined;
  const tick = inst.filters.priceFilter.tickSize;
  if (buy && price * SCALE > mark * terms.multiplierUp)
    return R.priceAboveBand(fixed.roundTo(fixed.mul(mark, terms.multiplierUp, 'floor'), tick, 'floor'));
  if (!buy && price * SCALE < mark * terms.multiplierDown)
    return R.priceBelowBand(fixed.roundTo(fixed.mul(mark, terms.multiplierDown, 'ceil'), tick, 'ceil'));
  return undefined;
}
