import { type Fixed, SCALE, ZERO, format, isMultipleOf, mul, roundTo } from './fixed.js';
import type { OrderType, Side } from './order.js';
import { type Result, failure, ok } from './result.js';

/** Binance's symbol filters, with "0" (disabled) kept as 0n. Field names follow exchangeInfo. */
export interface SymbolFilters {
  readonly priceFilter: { readonly minPrice: Fixed; readonly maxPrice: Fixed; readonly tickSize: Fixed };
  readonly lotSize: { readonly minQty: Fixed; readonly maxQty: Fixed; readonly stepSize: Fixed };
  readonly marketLotSize?: { readonly minQty: Fixed; readonly maxQty: Fixed; readonly stepSize: Fixed };
  /** MIN_NOTIONAL (older symbols) or the lower bound of NOTIONAL. */
  readonly minNotional?: { readonly minNotional: Fixed; readonly applyToMarket: boolean };
  /** The upper bound of NOTIONAL, when the symbol has one. */
  readonly maxNotional?: { readonly maxNotional: Fixed; readonly applyToMarket: boolean };
  readonly percentPriceBySide?: {
    readonly bidMultiplierUp: Fixed;
    readonly bidMultiplierDown: Fixed;
    readonly askMultiplierUp: Fixed;
    readonly askMultiplierDown: Fixed;
  };
  readonly maxNumOrders?: number;
}

export interface Instrument {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly filters: SymbolFilters;
  /** Which market lists it: absent or 'spot' for Binance Spot, 'usdm' for a USD-M perpetual (margin asset = quote). */
  readonly market?: 'spot' | 'usdm';
}

export type FilterName =
  'PRICE_FILTER' | 'LOT_SIZE' | 'MARKET_LOT_SIZE' | 'MIN_NOTIONAL' | 'NOTIONAL' | 'PERCENT_PRICE_BY_SIDE' | 'MAX_NUM_ORDERS';

export interface FilterFailure {
  readonly code: 'FILTER_FAILURE';
  readonly filter: FilterName;
  readonly message: string;
}

/** What an order looks like to the filters. `referencePrice` is the average/last price MARKET and PERCENT_PRICE checks use. */
export interface OrderShape {
  readonly side: Side;
  readonly type: OrderType;
  readonly price?: Fixed;
  readonly quantity: Fixed;
  readonly referencePrice?: Fixed;
  /** Open orders the account already has on this symbol (MAX_NUM_ORDERS). */
  readonly openOrders?: number;
}

function fail(filter: FilterName, detail: string): Result<never, FilterFailure> {
  return { ok: false, error: { code: 'FILTER_FAILURE', filter, message: `Filter failure: ${filter} (${detail})` } };
}

/** Every passing check returns this one value: validation runs several times per order, and must not allocate. */
const PASSED: Result<true, FilterFailure> = Object.freeze(ok(true as const));

/** Checks an order against every filter Binance applies, naming the first that fails; exact rules in PROTOCOLS.md A.7. */
export function validateOrder(inst: Instrument, o: OrderShape): Result<true, FilterFailure> {
  const f = inst.filters;
  const isMarket = o.type === 'MARKET';
  const price = isMarket ? o.referencePrice : o.price;

  if (!isMarket) {
    if (o.price === undefined || o.price <= ZERO) return fail('PRICE_FILTER', 'price must be positive');
    const { minPrice, maxPrice, tickSize } = f.priceFilter;
    if (minPrice > ZERO && o.price < minPrice) return fail('PRICE_FILTER', `price ${format(o.price)} < minPrice ${format(minPrice)}`);
    if (maxPrice > ZERO && o.price > maxPrice) return fail('PRICE_FILTER', `price ${format(o.price)} > maxPrice ${format(maxPrice)}`);
    if (!isMultipleOf(o.price, tickSize))
      return fail('PRICE_FILTER', `price ${format(o.price)} is not a multiple of tickSize ${format(tickSize)}`);
  }

  const lotFailure = checkLot('LOT_SIZE', f.lotSize, o.quantity);
  if (lotFailure) return lotFailure;
  // MARKET orders answer to both LOT_SIZE and MARKET_LOT_SIZE on Binance.
  if (isMarket && f.marketLotSize) {
    const marketLotFailure = checkLot('MARKET_LOT_SIZE', f.marketLotSize, o.quantity);
    if (marketLotFailure) return marketLotFailure;
  }

  if (price !== undefined) {
    const lo = f.minNotional;
    const hi = f.maxNotional;
    const checkLo = lo !== undefined && (!isMarket || lo.applyToMarket);
    const checkHi = hi !== undefined && hi.maxNotional > ZERO && (!isMarket || hi.applyToMarket);
    if (checkLo || checkHi) {
      const notional = mul(price, o.quantity, 'floor');
      if (checkLo && notional < (lo as NonNullable<typeof lo>).minNotional) {
        return fail(
          f.maxNotional ? 'NOTIONAL' : 'MIN_NOTIONAL',
          `notional ${format(notional)} < minNotional ${format((lo as NonNullable<typeof lo>).minNotional)}`,
        );
      }
      if (checkHi && notional > (hi as NonNullable<typeof hi>).maxNotional) {
        return fail('NOTIONAL', `notional ${format(notional)} > maxNotional ${format((hi as NonNullable<typeof hi>).maxNotional)}`);
      }
    }
  }

  const band = f.percentPriceBySide;
  if (band && !isMarket && o.price !== undefined && o.referencePrice !== undefined && o.referencePrice > ZERO) {
    const up = o.side === 'BUY' ? band.bidMultiplierUp : band.askMultiplierUp;
    const down = o.side === 'BUY' ? band.bidMultiplierDown : band.askMultiplierDown;
    // price > floor(ref·up) ⇔ price·SCALE > ref·up, and price < ceil(ref·down) ⇔ price·SCALE < ref·down (integers):
    // the band is decided with multiplications only, and its rounded ends are computed only for the message.
    const scaled = o.price * SCALE;
    if (scaled > o.referencePrice * up || scaled < o.referencePrice * down) {
      const hiPx = mul(o.referencePrice, up, 'floor');
      const loPx = mul(o.referencePrice, down, 'ceil');
      return fail('PERCENT_PRICE_BY_SIDE', `price ${format(o.price)} outside ${format(loPx)}..${format(hiPx)}`);
    }
  }

  if (f.maxNumOrders !== undefined && !isMarket && (o.openOrders ?? 0) >= f.maxNumOrders) {
    return fail('MAX_NUM_ORDERS', `${o.openOrders} open orders, limit ${f.maxNumOrders}`);
  }
  return PASSED;
}

/** One LOT_SIZE-shaped filter against a quantity; undefined when it passes. */
function checkLot(name: FilterName, lot: SymbolFilters['lotSize'], quantity: Fixed): Result<never, FilterFailure> | undefined {
  if (quantity <= ZERO) return fail(name, 'quantity must be positive');
  if (lot.minQty > ZERO && quantity < lot.minQty) return fail(name, `quantity ${format(quantity)} < minQty ${format(lot.minQty)}`);
  if (lot.maxQty > ZERO && quantity > lot.maxQty) return fail(name, `quantity ${format(quantity)} > maxQty ${format(lot.maxQty)}`);
  if (!isMultipleOf(quantity, lot.stepSize))
    return fail(name, `quantity ${format(quantity)} is not a multiple of stepSize ${format(lot.stepSize)}`);
  return undefined;
}

/** Buy prices round down to the tick and sell prices up, so rounding never makes an order more aggressive. */
export function roundPrice(inst: Instrument, side: Side, price: Fixed): Fixed {
  return roundTo(price, inst.filters.priceFilter.tickSize, side === 'BUY' ? 'floor' : 'ceil');
}

/**
 * The step a MARKET order's quantity must be a multiple of: it answers to LOT_SIZE and MARKET_LOT_SIZE both, whose
 * steps are powers of ten, so the larger one satisfies both (a MARKET_LOT_SIZE step of 0 means "no own step").
 */
export function marketStepOf(inst: Instrument): Fixed {
  const lot = inst.filters.lotSize.stepSize;
  const market = inst.filters.marketLotSize?.stepSize ?? ZERO;
  return market > lot ? market : lot;
}

/** Quantities round down to the step the order type answers to. */
export function roundQuantity(inst: Instrument, qty: Fixed, type: OrderType = 'LIMIT'): Fixed {
  return roundTo(qty, type === 'MARKET' ? marketStepOf(inst) : inst.filters.lotSize.stepSize, 'floor');
}

export function minNotionalOf(inst: Instrument): Fixed {
  return inst.filters.minNotional?.minNotional ?? ZERO;
}

export function unknownSymbol(symbol: string): Result<never> {
  return failure('UNKNOWN_SYMBOL', `unknown symbol ${symbol}`);
}
