import {
  type Balance,
  type ExecutionReport,
  type Fixed,
  type Instrument,
  type OrderType,
  type Side,
  type SymbolFilters,
  type VenueOrderStatus,
} from '../../domain/index.js';
import { Bad, type Mapped, type Obj, arr, attempt, bool, dec, id, int, lot, obj, text } from './wire-readers.js';

/** One exchangeInfo rate limit (ORDERS, REQUEST_WEIGHT, RAW_REQUESTS), with its window in ms. */
export interface BinanceRateLimit {
  readonly rateLimitType: string;
  readonly interval: 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY';
  readonly intervalNum: number;
  readonly limit: number;
  readonly windowMs: number;
}

/** A symbol the exchange lists whose filters telegrid could not read exactly, and why. */
export interface SkippedSymbol {
  readonly symbol: string;
  readonly reason: string;
}

export interface ExchangeInfo {
  readonly instruments: readonly Instrument[];
  /** Symbols whose filters could not be read exactly, with what was wrong; left out rather than traded on guesses. */
  readonly skipped: readonly SkippedSymbol[];
  readonly rateLimits: readonly BinanceRateLimit[];
}

function side(v: unknown): Side {
  if (v === 'BUY' || v === 'SELL') return v;
  throw new Bad(`side ${String(v)} is not BUY or SELL`);
}

/** LIMIT_MAKER rests like a LIMIT, so it maps to one; stop and take-profit types are not the bot's and do not map. */
function orderType(v: unknown): OrderType {
  if (v === 'LIMIT' || v === 'LIMIT_MAKER') return 'LIMIT';
  if (v === 'MARKET') return 'MARKET';
  throw new Bad(`order type ${String(v)} is not one telegrid trades`);
}

const STATUSES: ReadonlySet<string> = new Set(['NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'EXPIRED_IN_MATCH']);

function status(v: unknown): VenueOrderStatus {
  if (typeof v === 'string' && STATUSES.has(v)) return v as VenueOrderStatus;
  throw new Bad(`order status ${String(v)} is not known`);
}

/** One symbol's filters, exactly; the filters telegrid does not use are ignored. */
function symbolFilters(rawFilters: unknown): SymbolFilters {
  let priceFilter: SymbolFilters['priceFilter'] | undefined;
  let lotSize: SymbolFilters['lotSize'] | undefined;
  let marketLotSize: SymbolFilters['marketLotSize'];
  let minNotional: SymbolFilters['minNotional'];
  let maxNotional: SymbolFilters['maxNotional'];
  let percentPriceBySide: SymbolFilters['percentPriceBySide'];
  let maxNumOrders: number | undefined;
  for (const raw of arr(rawFilters, 'filters')) {
    const f = obj(raw, 'filter');
    switch (f.filterType) {
      case 'PRICE_FILTER':
        priceFilter = {
          minPrice: dec(f.minPrice, 'PRICE_FILTER minPrice'),
          maxPrice: dec(f.maxPrice, 'PRICE_FILTER maxPrice'),
          tickSize: dec(f.tickSize, 'PRICE_FILTER tickSize'),
        };
        break;
      case 'LOT_SIZE':
        lotSize = lot(f, 'LOT_SIZE');
        break;
      case 'MARKET_LOT_SIZE':
        marketLotSize = lot(f, 'MARKET_LOT_SIZE');
        break;
      case 'MIN_NOTIONAL':
        // NOTIONAL supersedes MIN_NOTIONAL when a symbol lists both.
        minNotional ??= {
          minNotional: dec(f.minNotional, 'MIN_NOTIONAL minNotional'),
          applyToMarket: bool(f.applyToMarket, 'MIN_NOTIONAL applyToMarket'),
        };
        break;
      case 'NOTIONAL':
        minNotional = {
          minNotional: dec(f.minNotional, 'NOTIONAL minNotional'),
          applyToMarket: bool(f.applyMinToMarket, 'NOTIONAL applyMinToMarket'),
        };
        maxNotional = {
          maxNotional: dec(f.maxNotional, 'NOTIONAL maxNotional'),
          applyToMarket: bool(f.applyMaxToMarket, 'NOTIONAL applyMaxToMarket'),
        };
        break;
      case 'PERCENT_PRICE_BY_SIDE':
        percentPriceBySide = {
          bidMultiplierUp: dec(f.bidMultiplierUp, 'bidMultiplierUp'),
          bidMultiplierDown: dec(f.bidMultiplierDown, 'bidMultiplierDown'),
          askMultiplierUp: dec(f.askMultiplierUp, 'askMultiplierUp'),
          askMultiplierDown: dec(f.askMultiplierDown, 'askMultiplierDown'),
        };
        break;
      case 'MAX_NUM_ORDERS':
        maxNumOrders = int(f.maxNumOrders, 'maxNumOrders');
        break;
      default:
        break;
    }
  }
  if (priceFilter === undefined) throw new Bad('no PRICE_FILTER');
  if (lotSize === undefined) throw new Bad('no LOT_SIZE');
  return {
    priceFilter,
    lotSize,
    ...(marketLotSize && { marketLotSize }),
    ...(minNotional && { minNotional }),
    ...(maxNotional && { maxNotional }),
    ...(percentPriceBySide && { percentPriceBySide }),
    ...(maxNumOrders !== undefined && { maxNumOrders }),
  };
}

const INTERVALS: Readonly<Record<string, number>> = { SECOND: 1_000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };

function rateLimit(raw: unknown): BinanceRateLimit {
  const r = obj(raw, 'rateLimit');
  const interval = r.interval;
  if (typeof interval !== 'string' || INTERVALS[interval] === undefined) throw new Bad(`rate limit interval ${String(interval)}`);
  const intervalNum = int(r.intervalNum, 'intervalNum');
  return {
    rateLimitType: text(r.rateLimitType, 'rateLimitType'),
    interval: interval as BinanceRateLimit['interval'],
    intervalNum,
    limit: int(r.limit, 'limit'),
    windowMs: intervalNum * INTERVALS[interval]!,
  };
}

/** GET /api/v3/exchangeInfo → instruments with exact filters, plus the rate limits Binance enforces. */
export function mapExchangeInfo(raw: unknown): Mapped<ExchangeInfo> {
  return attempt('exchangeInfo', () => {
    const body = obj(raw, 'exchangeInfo');
    const instruments: Instrument[] = [];
    const skipped: SkippedSymbol[] = [];
    for (const rawSymbol of arr(body.symbols, 'symbols')) {
      const s = obj(rawSymbol, 'symbol');
      const symbol = text(s.symbol, 'symbol');
      try {
        instruments.push({
          symbol,
          baseAsset: text(s.baseAsset, 'baseAsset'),
          quoteAsset: text(s.quoteAsset, 'quoteAsset'),
          filters: symbolFilters(s.filters),
        });
      } catch (e) {
        if (!(e instanceof Bad)) throw e;
        skipped.push({ symbol, reason: e.message });
      }
    }
    const rateLimits = body.rateLimits === undefined ? [] : arr(body.rateLimits, 'rateLimits').map(rateLimit);
    return { instruments, skipped, rateLimits };
  });
}

/** GET /api/v3/time → serverTime in ms. */
export function mapServerTime(raw: unknown): Mapped<number> {
  // binance-api-node's time() already unwraps serverTime; a raw body is accepted too.
  return attempt('server time', () =>
    int(typeof raw === 'object' && raw !== null && 'serverTime' in raw ? (raw as Obj).serverTime : raw, 'serverTime'),
  );
}

/**
 * An order as REST describes it (placement RESULT/FULL, cancel, query, openOrders) → ExecutionReport without a trade:
 * fills are reported by the user data stream. A cancel response's `clientOrderId` is the cancel request's own id, so
 * `origClientOrderId` wins when present.
 */
export function mapRestOrder(raw: unknown): Mapped<ExecutionReport> {
  return attempt('order', () => restOrder(raw));
}

function restOrder(raw: unknown): ExecutionReport {
  const o = obj(raw, 'order');
  const orig = o.origClientOrderId;
  const clientOrderId = typeof orig === 'string' && orig.length > 0 ? orig : text(o.clientOrderId, 'clientOrderId');
  const time = o.transactTime ?? o.updateTime ?? o.time;
  return {
    clientOrderId,
    exchangeOrderId: id(o.orderId, 'orderId'),
    symbol: text(o.symbol, 'symbol'),
    side: side(o.side),
    type: orderType(o.type),
    status: status(o.status),
    price: dec(o.price, 'price'),
    origQty: dec(o.origQty, 'origQty'),
    cumQty: dec(o.executedQty, 'executedQty'),
    cumQuote: dec(o.cummulativeQuoteQty, 'cummulativeQuoteQty'),
    time: int(time, 'transactTime'),
  };
}

/** GET /api/v3/openOrders → reports; an order of a type telegrid never places (stop orders) is not one of ours and is left out. */
export function mapOpenOrders(raw: unknown): Mapped<readonly ExecutionReport[]> {
  return attempt('openOrders', () => {
    const out: ExecutionReport[] = [];
    for (const o of arr(raw, 'openOrders')) {
      const t = obj(o, 'order').type;
      if (t !== 'LIMIT' && t !== 'LIMIT_MAKER' && t !== 'MARKET') continue;
      out.push(restOrder(o));
    }
    return out;
  });
}

/**
 * DELETE /api/v3/openOrders → one report per cancelled order, each read like a single cancel's answer. An order list
 * (OCO) is an element whose `orderReports` hold its legs; those legs, like any order of a type telegrid never places,
 * are not ours and are left out, as in `mapOpenOrders`.
 */
export function mapCanceledOrders(raw: unknown): Mapped<readonly ExecutionReport[]> {
  return attempt('canceled openOrders', () => {
    const out: ExecutionReport[] = [];
    for (const o of arr(raw, 'canceled openOrders')) {
      const element = obj(o, 'order');
      if (element.orderReports !== undefined) continue;
      const t = element.type;
      if (t !== 'LIMIT' && t !== 'LIMIT_MAKER' && t !== 'MARKET') continue;
      out.push(restOrder(element));
    }
    return out;
  });
}

/**
 * GET /api/v3/myTrades of one order → one report per trade, oldest first, each carrying the order's cumulative filled
 * quantity and quote as of that trade (summed from the trades, as the user data stream reports them).
 */
export function mapOrderTrades(raw: unknown, order: ExecutionReport): Mapped<readonly ExecutionReport[]> {
  return attempt('myTrades', () => {
    const trades = arr(raw, 'myTrades').map((t) => {
      const o = obj(t, 'trade');
      return {
        orderId: id(o.orderId, 'orderId'),
        tradeId: int(o.id, 'id'),
        price: dec(o.price, 'price'),
        quantity: dec(o.qty, 'qty'),
        quote: dec(o.quoteQty, 'quoteQty'),
        commission: dec(o.commission, 'commission'),
        commissionAsset: text(o.commissionAsset, 'commissionAsset'),
        isMaker: bool(o.isMaker, 'isMaker'),
        time: int(o.time, 'time'),
      };
    });
    trades.sort((a, b) => a.tradeId - b.tradeId);
    let cumQty: Fixed = 0n;
    let cumQuote: Fixed = 0n;
    const out: ExecutionReport[] = [];
    for (const t of trades) {
      if (t.orderId !== order.exchangeOrderId)
        throw new Bad(`trade ${t.tradeId} belongs to order ${t.orderId}, not ${order.exchangeOrderId}`);
      cumQty += t.quantity;
      cumQuote += t.quote;
      const { tradeId, price, quantity, commission, commissionAsset, isMaker } = t;
      out.push({
        ...order,
        status: cumQty >= order.origQty ? 'FILLED' : 'PARTIALLY_FILLED',
        cumQty,
        cumQuote,
        trade: { tradeId, price, quantity, commission, commissionAsset, isMaker },
        time: t.time,
      });
    }
    return out;
  });
}

function balance(raw: unknown): Balance {
  const b = obj(raw, 'balance');
  return { asset: text(b.asset, 'asset'), free: dec(b.free, 'free'), locked: dec(b.locked, 'locked') };
}

/** GET /api/v3/account → balances. */
export function mapAccountBalances(raw: unknown): Mapped<readonly Balance[]> {
  return attempt('account', () => arr(obj(raw, 'account').balances, 'balances').map(balance));
}

/** A user data event after binance-api-node's transform, in domain terms. */
export type UserEvent =
  | { readonly type: 'execution'; readonly report: ExecutionReport }
  | { readonly type: 'balances'; readonly balances: readonly Balance[]; readonly time: number }
  /** balanceUpdate, listStatus, eventStreamTerminated…: nothing the gateway port carries. */
  | { readonly type: 'ignored'; readonly eventType: string };

/**
 * A transformed `executionReport` (field names are the library's: `isBuyerMaker` is Binance's `m`, "is this trade the
 * maker side", mislabeled) or `outboundAccountPosition`. On a cancel Binance puts the canceled order's id in `C`
 * (originalClientOrderId) and the cancel request's id in `c`, so `C` wins when set.
 */
export function mapUserEvent(raw: unknown): Mapped<UserEvent> {
  return attempt('user data event', () => {
    const m = obj(raw, 'event');
    const eventType = m.eventType ?? m.type;
    if (eventType === 'outboundAccountPosition') {
      return {
        type: 'balances',
        balances: arr(m.balances, 'balances').map(balance),
        time: int(m.lastAccountUpdate ?? m.eventTime, 'lastAccountUpdate'),
      };
    }
    if (eventType !== 'executionReport') return { type: 'ignored', eventType: String(eventType) };
    const executionType = text(m.executionType, 'executionType');
    const original = m.originalClientOrderId;
    const clientOrderId = typeof original === 'string' && original.length > 0 ? original : text(m.newClientOrderId, 'newClientOrderId');
    const rejectReason = typeof m.orderRejectReason === 'string' && m.orderRejectReason !== 'NONE' ? m.orderRejectReason : undefined;
    const report: ExecutionReport = {
      clientOrderId,
      exchangeOrderId: id(m.orderId, 'orderId'),
      symbol: text(m.symbol, 'symbol'),
      side: side(m.side),
      type: orderType(m.orderType),
      status: status(m.orderStatus),
      price: dec(m.price, 'price'),
      origQty: dec(m.quantity, 'quantity'),
      cumQty: dec(m.totalTradeQuantity, 'totalTradeQuantity'),
      cumQuote: dec(m.totalQuoteTradeQuantity, 'totalQuoteTradeQuantity'),
      ...(executionType === 'TRADE' && {
        trade: {
          tradeId: int(m.tradeId, 'tradeId'),
          price: dec(m.priceLastTrade, 'priceLastTrade'),
          quantity: dec(m.lastTradeQuantity, 'lastTradeQuantity'),
          commission: dec(m.commission, 'commission'),
          commissionAsset: text(m.commissionAsset, 'commissionAsset'),
          isMaker: bool(m.isBuyerMaker, 'isMaker (m)'),
        },
      }),
      ...(rejectReason !== undefined && { rejectReason }),
      time: int(m.orderTime ?? m.eventTime, 'orderTime'),
    };
    return { type: 'execution', report };
  });
}
