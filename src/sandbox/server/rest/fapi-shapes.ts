import { type Fixed, type Instrument, format } from '../../../domain/index.js';
import { d8 } from './binance-shapes.js';
import type { ContractTerms, FundingHistoryRow } from '../../futures/index.js';
import type { FuturesRestLimits } from './fapi-limits.js';

/** Decimal places of a tick or step ("0.01" → 2, "1" → 0): what pricePrecision/quantityPrecision report here. */
export function decimalsOf(step: Fixed): number {
  const text = format(step);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * A price or quantity as Binance's futures endpoints write it: at least `decimals` places (pricePrecision or
 * quantityPrecision, e.g. "110001.00", "0.200"), padded with zeros, never cut: a value finer than the precision (an
 * 8-place average price) keeps every digit it has, so the wire never rounds money.
 */
export function padded(v: Fixed, decimals: number): string {
  const text = format(v);
  const dot = text.indexOf('.');
  const have = dot < 0 ? 0 : text.length - dot - 1;
  if (have >= decimals) return text;
  return (dot < 0 ? `${text}.` : text) + '0'.repeat(decimals - have);
}

/** The decimals Binance writes a symbol's prices, quantities and quote amounts with (quote = price·qty: both added). */
export interface FuturesPrecision {
  readonly price: number;
  readonly quantity: number;
  readonly quote: number;
}

export function precisionOf(inst: Instrument): FuturesPrecision {
  const price = decimalsOf(inst.filters.priceFilter.tickSize);
  const quantity = decimalsOf(inst.filters.lotSize.stepSize);
  return { price, quantity, quote: price + quantity };
}

/** In the order of the 2022 exchangeInfo file (weight, orders per minute, orders per 10 s). */
export function futuresRateLimitsJson(l: FuturesRestLimits): object[] {
  return [
    { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: l.weightPerMinute },
    { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: l.ordersPerMinute },
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: l.ordersPer10s },
  ];
}

/**
 * USD-M filters, written as Binance's futures exchangeInfo writes them: decimals without padding ("0.10", "1000"),
 * PERCENT_PRICE multipliers with `multiplierDecimal` 4 places. Tick and step are the instrument's; MARKET_LOT_SIZE
 * shares LOT_SIZE's minimum and step (as every symbol in the 2022 file does) with the instrument's market maximum.
 */
function futuresFiltersJson(inst: Instrument, terms: ContractTerms): object[] {
  const f = inst.filters;
  return [
    {
      filterType: 'PRICE_FILTER',
      minPrice: format(f.priceFilter.minPrice),
      maxPrice: format(f.priceFilter.maxPrice),
      tickSize: format(f.priceFilter.tickSize),
    },
    { filterType: 'LOT_SIZE', minQty: format(f.lotSize.minQty), maxQty: format(f.lotSize.maxQty), stepSize: format(f.lotSize.stepSize) },
    {
      filterType: 'MARKET_LOT_SIZE',
      minQty: format(f.lotSize.minQty),
      maxQty: format(f.marketLotSize?.maxQty ?? f.lotSize.maxQty),
      stepSize: format(f.lotSize.stepSize),
    },
    { filterType: 'MAX_NUM_ORDERS', limit: f.maxNumOrders ?? 200 },
    { filterType: 'MAX_NUM_ALGO_ORDERS', limit: terms.maxNumAlgoOrders },
    { filterType: 'MIN_NOTIONAL', notional: format(terms.minNotional) },
    {
      filterType: 'PERCENT_PRICE',
      multiplierUp: format(terms.multiplierUp, 4),
      multiplierDown: format(terms.multiplierDown, 4),
      multiplierDecimal: '4',
    },
  ];
}

/** Far in the future, as Binance dates a perpetual's delivery (BTCUSDT's in the 2022 file, 2100-12-25). */
const PERPETUAL_DELIVERY = 4133404800000;
/** BTCUSDT's and ETHUSDT's listing (2019-09-25), used for every symbol: the sandbox lists all of them from its start. */
const ONBOARD = 1569398400000;

/** A symbol in USD-M exchangeInfo's key order (PROTOCOLS-FUTURES A.2). Margin and fee terms not yet enforced are live BTCUSDT's. */
export function futuresSymbolJson(inst: Instrument, terms: ContractTerms): object {
  return {
    symbol: inst.symbol,
    pair: inst.symbol,
    contractType: 'PERPETUAL',
    deliveryDate: PERPETUAL_DELIVERY,
    onboardDate: ONBOARD,
    status: 'TRADING',
    // The 2022 file's values for BTCUSDT and ETHUSDT; Binance marks them informational (margin comes from the brackets).
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: inst.baseAsset,
    quoteAsset: inst.quoteAsset,
    marginAsset: inst.quoteAsset,
    // Binance says not to read these as tick and step; here they are the tick's and step's decimals.
    pricePrecision: decimalsOf(inst.filters.priceFilter.tickSize),
    quantityPrecision: decimalsOf(inst.filters.lotSize.stepSize),
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    filters: futuresFiltersJson(inst, terms),
    // Since 2025-12 POST /fapi/v1/order takes only these; conditional types live on the algo endpoints (A.3).
    orderTypes: ['LIMIT', 'MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
  };
}

/** The margin assets of the served symbols; autoAssetExchange is USDT's in the 2022 file. */
export function futuresAssetsJson(insts: readonly Instrument[]): object[] {
  const assets = [...new Set(insts.map((i) => i.quoteAsset))];
  return assets.map((asset) => ({ asset, marginAvailable: true, autoAssetExchange: '-100' }));
}

/** A fundingRate history row; `markPrice` is "" where the series does not carry it, as Binance's oldest rows have it. */
export function fundingRateJson(r: FundingHistoryRow): object {
  return {
    symbol: r.symbol,
    fundingRate: d8(r.rate),
    fundingTime: r.fundingTime,
    markPrice: r.markPrice === undefined ? '' : d8(r.markPrice),
  };
}
