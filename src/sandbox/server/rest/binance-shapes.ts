import { type ExecutionReport, type Fixed, type Instrument, format, parseFixed } from '../../../domain/index.js';
import { type FeeRates, type OrderSnapshot, type VenueReport, binanceOrderType } from '../../matching/index.js';
import type { RestLimits } from './rate-limiter.js';
import type { OrderMeta, TradeRecord } from './trade-history.js';

/** Binance's 8-decimal string ("0.00100000"). */
export function d8(v: Fixed): string {
  return format(v, 8);
}

/** The order types the matching core implements; exchangeInfo advertises only these. */
const ORDER_TYPES = ['LIMIT', 'LIMIT_MAKER', 'MARKET'] as const;

export function rateLimitsJson(l: RestLimits): object[] {
  return [
    { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: l.weightPerMinute },
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: l.ordersPer10s },
    { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: l.ordersPerDay },
    { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: l.rawRequestsPer5m },
  ];
}

/** A symbol's filters in exchangeInfo's order and layout (multipliers as Binance writes them, without padding). */
function filtersJson(inst: Instrument): object[] {
  const f = inst.filters;
  const out: object[] = [
    {
      filterType: 'PRICE_FILTER',
      minPrice: d8(f.priceFilter.minPrice),
      maxPrice: d8(f.priceFilter.maxPrice),
      tickSize: d8(f.priceFilter.tickSize),
    },
    { filterType: 'LOT_SIZE', minQty: d8(f.lotSize.minQty), maxQty: d8(f.lotSize.maxQty), stepSize: d8(f.lotSize.stepSize) },
  ];
  if (f.marketLotSize) {
    const m = f.marketLotSize;
    out.push({ filterType: 'MARKET_LOT_SIZE', minQty: d8(m.minQty), maxQty: d8(m.maxQty), stepSize: d8(m.stepSize) });
  }
  if (f.percentPriceBySide) {
    const p = f.percentPriceBySide;
    out.push({
      filterType: 'PERCENT_PRICE_BY_SIDE',
      bidMultiplierUp: format(p.bidMultiplierUp),
      bidMultiplierDown: format(p.bidMultiplierDown),
      askMultiplierUp: format(p.askMultiplierUp),
      askMultiplierDown: format(p.askMultiplierDown),
      // The sandbox's reference price is the last trade, which Binance spells avgPriceMins 0.
      avgPriceMins: 0,
    });
  }
  if (f.maxNotional) {
    out.push({
      filterType: 'NOTIONAL',
      minNotional: d8(f.minNotional?.minNotional ?? 0n),
      applyMinToMarket: f.minNotional?.applyToMarket ?? false,
      maxNotional: d8(f.maxNotional.maxNotional),
      applyMaxToMarket: f.maxNotional.applyToMarket,
      avgPriceMins: 0,
    });
  } else if (f.minNotional) {
    out.push({
      filterType: 'MIN_NOTIONAL',
      minNotional: d8(f.minNotional.minNotional),
      applyToMarket: f.minNotional.applyToMarket,
      avgPriceMins: 0,
    });
  }
  if (f.maxNumOrders !== undefined) out.push({ filterType: 'MAX_NUM_ORDERS', maxNumOrders: f.maxNumOrders });
  return out;
}

export function symbolJson(inst: Instrument): object {
  return {
    symbol: inst.symbol,
    status: 'TRADING',
    baseAsset: inst.baseAsset,
    baseAssetPrecision: 8,
    quoteAsset: inst.quoteAsset,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: [...ORDER_TYPES],
    icebergAllowed: false,
    ocoAllowed: false,
    otoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: false,
    cancelReplaceAllowed: false,
    amendAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: filtersJson(inst),
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'NONE',
    allowedSelfTradePreventionModes: ['NONE'],
  };
}

/** The fields every order shape shares, from the matching core's report plus the REST layer's order facts. */
function orderCore(r: VenueReport, _meta: OrderMeta | undefined): Record<string, unknown> {
  return {
    symbol: r.symbol,
    orderId: Number(r.exchangeOrderId),
    orderListId: -1,
    clientOrderId: r.clientOrderId,
    price: d8(r.price),
    origQty: d8(r.origQty),
    executedQty: d8(r.cumQty),
    cummulativeQuoteQty: d8(r.cumQuote),
    status: r.status,
    timeInForce: r.timeInForce,
    type: binanceOrderType(r),
    side: r.side,
  };
}

/** The amounts and state a placement's and a cancel's answers share, in Binance's field order. */
function orderState(r: VenueReport, meta: OrderMeta | undefined): Record<string, unknown> {
  return {
    price: d8(r.price),
    origQty: d8(r.origQty),
    executedQty: d8(r.cumQty),
    origQuoteOrderQty: d8(meta?.origQuoteOrderQty ?? 0n),
    cummulativeQuoteQty: d8(r.cumQuote),
    status: r.status,
    timeInForce: r.timeInForce,
    type: binanceOrderType(r),
    side: r.side,
  };
}

/** RESULT (and FULL without fills) for a placement (PROTOCOLS A.9). */
export function placementResult(r: VenueReport, meta: OrderMeta | undefined, transactTime: number): Record<string, unknown> {
  return {
    symbol: r.symbol,
    orderId: Number(r.exchangeOrderId),
    orderListId: -1,
    clientOrderId: r.clientOrderId,
    transactTime,
    ...orderState(r, meta),
    workingTime: transactTime,
    selfTradePreventionMode: 'NONE',
  };
}

export function fillJson(r: ExecutionReport): object {
  const t = r.trade as NonNullable<ExecutionReport['trade']>;
  return { price: d8(t.price), qty: d8(t.quantity), commission: d8(t.commission), commissionAsset: t.commissionAsset, tradeId: t.tradeId };
}

/** GET /api/v3/order and openOrders rows. */
export function queriedOrder(r: VenueReport, meta: OrderMeta | undefined): object {
  const time = meta?.time ?? r.time;
  const open = r.status === 'NEW' || r.status === 'PARTIALLY_FILLED';
  return {
    ...orderCore(r, meta),
    stopPrice: '0.00000000',
    icebergQty: '0.00000000',
    time,
    updateTime: r.time,
    isWorking: open || r.cumQty > 0n,
    workingTime: time,
    origQuoteOrderQty: d8(meta?.origQuoteOrderQty ?? 0n),
    selfTradePreventionMode: 'NONE',
  };
}

/** allOrders rows, from the matching core's snapshot (the one place it lists finished orders). */
export function snapshotOrder(s: OrderSnapshot, meta: OrderMeta | undefined): object {
  const pad = (t: string): string => format(parseFixed(t) ?? 0n, 8);
  return {
    symbol: s.symbol,
    orderId: s.orderId,
    orderListId: -1,
    clientOrderId: s.clientOrderId,
    price: pad(s.price),
    origQty: pad(s.origQty),
    executedQty: pad(s.executedQty),
    cummulativeQuoteQty: pad(s.cumQuote),
    status: s.status,
    timeInForce: s.timeInForce,
    type: binanceOrderType(s),
    side: s.side,
    stopPrice: '0.00000000',
    icebergQty: '0.00000000',
    time: s.time,
    updateTime: s.updateTime,
    isWorking: s.status === 'NEW' || s.status === 'PARTIALLY_FILLED' || s.executedQty !== '0',
    workingTime: s.time,
    origQuoteOrderQty: d8(meta?.origQuoteOrderQty ?? 0n),
    selfTradePreventionMode: 'NONE',
  };
}

/** DELETE /api/v3/order, and each element of DELETE /api/v3/openOrders. */
export function canceledJson(r: VenueReport, meta: OrderMeta | undefined, cancelClientId: string, transactTime: number): object {
  return {
    symbol: r.symbol,
    origClientOrderId: r.clientOrderId,
    orderId: Number(r.exchangeOrderId),
    orderListId: -1,
    clientOrderId: cancelClientId,
    transactTime,
    ...orderState(r, meta),
    selfTradePreventionMode: 'NONE',
  };
}

export function tradeJson(t: TradeRecord): object {
  return {
    symbol: t.symbol,
    id: t.id,
    orderId: t.orderId,
    orderListId: -1,
    price: d8(t.price),
    qty: d8(t.qty),
    quoteQty: d8(t.quoteQty),
    commission: d8(t.commission),
    commissionAsset: t.commissionAsset,
    time: t.time,
    isBuyer: t.side === 'BUY',
    isMaker: t.isMaker,
    isBestMatch: true,
  };
}

/** Commission rate as Binance's integer basis points (0.001 → 10). */
export function basisPoints(rate: Fixed): number {
  return Number((rate * 10_000n) / 100_000_000n);
}

export function commissionRatesJson(fees: FeeRates): object {
  return { maker: d8(fees.maker), taker: d8(fees.taker), buyer: '0.00000000', seller: '0.00000000' };
}
