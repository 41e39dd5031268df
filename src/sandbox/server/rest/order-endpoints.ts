import { type Fixed, type Side, type TimeInForce, fixed, isLegalClientOrderId, marketStepOf } from '../../../domain/index.js';
import type { BinanceOrderType, OrderRef, VenueRejection, VenueReport } from '../../matching/index.js';
import { canceledJson, fillJson, placementResult, queriedOrder, snapshotOrder } from './binance-shapes.js';
import type { Params } from './params.js';
import { type Handler, type RestContext, type Reply, reply } from './rest-context.js';
import {
  type Checked,
  INVALID_SYMBOL,
  type RestError,
  eitherMandatory,
  illegalChars,
  invalidValue,
  isRestError,
  notRequired,
  restError,
} from './rest-error.js';

const CLIENT_ID_RANGE = '^[a-zA-Z0-9-_]{1,36}$';
const ORDER_ID = /^[0-9]{1,20}$/;

function venueError(r: VenueRejection): RestError {
  return restError(r.binanceCode, r.message);
}

function symbolOf(ctx: RestContext, p: Params): Checked<string> {
  const symbol = p.required('symbol');
  if (isRestError(symbol)) return symbol;
  return ctx.instruments.has(symbol) ? symbol : INVALID_SYMBOL;
}

function clientIdParam(p: Params, name: string): Checked<string | undefined> {
  const id = p.get(name);
  if (id === undefined) return undefined;
  return isLegalClientOrderId(id) ? id : illegalChars(name, CLIENT_ID_RANGE);
}

/** An order named by `orderId` or `origClientOrderId`, as query and cancel take it. */
function orderRefOf(p: Params): Checked<OrderRef> {
  const orderId = p.get('orderId');
  if (orderId !== undefined) return ORDER_ID.test(orderId) ? { orderId } : illegalChars('orderId', '^[0-9]{1,20}$');
  const clientId = p.get('origClientOrderId');
  return clientId !== undefined ? { clientOrderId: clientId } : eitherMandatory('orderId', 'origClientOrderId');
}

interface ParsedOrder {
  readonly symbol: string;
  readonly side: Side;
  readonly type: BinanceOrderType;
  readonly timeInForce: TimeInForce;
  readonly price?: Fixed;
  readonly quantity: Fixed;
  readonly quoteOrderQty: Fixed;
  readonly clientOrderId: string;
  readonly respType: 'ACK' | 'RESULT' | 'FULL';
}

/** Reads and checks POST /api/v3/order's parameters in Binance's order of complaints. */
function parseOrder(ctx: RestContext, p: Params): Checked<ParsedOrder> {
  const symbol = symbolOf(ctx, p);
  if (isRestError(symbol)) return symbol;
  const side = p.required('side');
  if (isRestError(side)) return side;
  if (side !== 'BUY' && side !== 'SELL') return restError(-1117, 'Invalid side.');
  const type = p.required('type');
  if (isRestError(type)) return type;
  if (type !== 'LIMIT' && type !== 'MARKET' && type !== 'LIMIT_MAKER') return restError(-1116, 'Invalid orderType.');
  const clientId = clientIdParam(p, 'newClientOrderId');
  if (isRestError(clientId)) return clientId;
  // MARKET and LIMIT answer FULL by default, every other type ACK (PROTOCOLS A.9).
  const respText = p.get('newOrderRespType') ?? (type === 'LIMIT_MAKER' ? 'ACK' : 'FULL');
  if (respText !== 'ACK' && respText !== 'RESULT' && respText !== 'FULL') return invalidValue('newOrderRespType');
  let quantity = p.decimal('quantity');
  if (isRestError(quantity)) return quantity;
  const quoteQty = p.decimal('quoteOrderQty');
  if (isRestError(quoteQty)) return quoteQty;
  const price = p.decimal('price');
  if (isRestError(price)) return price;

  let timeInForce: TimeInForce = 'GTC';
  if (type === 'LIMIT') {
    const tif = p.required('timeInForce');
    if (isRestError(tif)) return tif;
    if (tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') return restError(-1115, 'Invalid timeInForce.');
    timeInForce = tif;
    if (quantity === undefined) return p.required('quantity') as RestError;
    if (price === undefined) return p.required('price') as RestError;
    if (quoteQty !== undefined) return notRequired('quoteOrderQty');
  } else if (type === 'LIMIT_MAKER') {
    // A LIMIT_MAKER is a GTC limit that must not take: no timeInForce to choose, so sending one is an error.
    if (p.has('timeInForce')) return notRequired('timeInForce');
    if (quantity === undefined) return p.required('quantity') as RestError;
    if (price === undefined) return p.required('price') as RestError;
    if (quoteQty !== undefined) return notRequired('quoteOrderQty');
  } else {
    if (p.has('timeInForce')) return notRequired('timeInForce');
    if (price !== undefined) return notRequired('price');
    if (quantity === undefined && quoteQty === undefined) return eitherMandatory('quantity', 'quoteOrderQty');
    if (quantity !== undefined && quoteQty !== undefined) return notRequired('quoteOrderQty');
    if (quantity === undefined) {
      // quoteOrderQty spends up to that much quote: the quantity it buys at the last price, rounded down to the step.
      const last = ctx.hub.engine.lastPrice(symbol);
      if (last === undefined) return restError(-2010, 'Market is closed.');
      const inst = ctx.instruments.get(symbol);
      const step = inst === undefined ? 0n : marketStepOf(inst);
      quantity = fixed.roundTo(fixed.div(quoteQty as Fixed, last, 'floor'), step, 'floor');
    }
  }
  return {
    symbol,
    side,
    type,
    timeInForce,
    price,
    quantity: quantity as Fixed,
    quoteOrderQty: quoteQty ?? 0n,
    clientOrderId: clientId ?? ctx.nextClientId(),
    respType: respText,
  };
}

/** POST /api/v3/order: placement through the hub (so the user data stream hears it), answered as ACK, RESULT or FULL. */
export const newOrder: Handler = (ctx, p) => {
  const o = parseOrder(ctx, p);
  if (isRestError(o)) return o;
  const now = ctx.hub.now();
  const limited = ctx.limiter.admitOrder(now);
  if (limited) return limited;
  const res = ctx.hub.placeOrder({
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type === 'LIMIT_MAKER' ? 'LIMIT' : o.type,
    postOnly: o.type === 'LIMIT_MAKER',
    price: o.price,
    quantity: o.quantity,
    timeInForce: o.timeInForce,
  });
  if (!res.ok) return venueError(res.error);
  const report = res.value.report;
  const orderId = Number(report.exchangeOrderId);
  const meta = ctx.history.orderMeta(orderId);
  if (meta) {
    meta.timeInForce = o.timeInForce;
    meta.origQuoteOrderQty = o.quoteOrderQty;
  }
  if (report.cumQty === 0n) ctx.limiter.countOrder(now);
  if (o.respType === 'ACK') {
    return reply({ symbol: o.symbol, orderId, orderListId: -1, clientOrderId: o.clientOrderId, transactTime: now }, true);
  }
  const result = placementResult(report, meta, now);
  if (o.respType === 'RESULT') return reply(result, true);
  const fills: object[] = [];
  for (const e of res.value.events) {
    if (e.type === 'execution' && e.report.trade !== undefined && e.report.exchangeOrderId === report.exchangeOrderId)
      fills.push(fillJson(e.report));
  }
  return reply({ ...result, fills }, true);
};

/** POST /api/v3/order/test: validates like a placement but never reaches the matching engine. */
export const testOrder: Handler = (ctx, p) => {
  const o = parseOrder(ctx, p);
  if (isRestError(o)) return o;
  if (p.get('computeCommissionRates') === 'true') {
    const rate = (r: Fixed): string => fixed.format(r, 8);
    return reply({
      standardCommissionForOrder: { maker: rate(ctx.fees.maker), taker: rate(ctx.fees.taker) },
      taxCommissionForOrder: { maker: '0.00000000', taker: '0.00000000' },
      discount: { enabledForAccount: false, enabledForSymbol: false, discountAsset: 'BNB', discount: '0.00000000' },
    });
  }
  return reply({});
};

export function testOrderWeight(p: Params): number {
  return p.get('computeCommissionRates') === 'true' ? 20 : 1;
}

function cancelOne(ctx: RestContext, symbol: string, ref: OrderRef, cancelId: string): Checked<object> {
  const res = ctx.hub.cancelOrder(symbol, ref);
  if (!res.ok) return venueError(res.error);
  const r: VenueReport = res.value.report;
  return canceledJson(r, ctx.history.orderMeta(Number(r.exchangeOrderId)), cancelId, ctx.hub.now());
}

export const cancelOrder: Handler = (ctx, p) => {
  const symbol = symbolOf(ctx, p);
  if (isRestError(symbol)) return symbol;
  const ref = orderRefOf(p);
  if (isRestError(ref)) return ref;
  const cancelId = clientIdParam(p, 'newClientOrderId');
  if (isRestError(cancelId)) return cancelId;
  const out = cancelOne(ctx, symbol, ref, cancelId ?? ctx.nextClientId());
  return isRestError(out) ? out : reply(out);
};

/** DELETE /api/v3/openOrders: cancels every open order on the symbol, oldest first. */
export const cancelAll: Handler = (ctx, p) => {
  const symbol = symbolOf(ctx, p);
  if (isRestError(symbol)) return symbol;
  const open = ctx.hub.engine.openOrders(symbol);
  if (!open.ok) return venueError(open.error);
  const out: object[] = [];
  for (const o of open.value) {
    const r = cancelOne(ctx, symbol, { orderId: o.exchangeOrderId }, ctx.nextClientId());
    if (!isRestError(r)) out.push(r);
  }
  // Binance answers -2011 when there was nothing to cancel.
  return out.length === 0 ? restError(-2011, 'Unknown order sent.') : reply(out);
};

export const getOrder: Handler = (ctx, p) => {
  const symbol = symbolOf(ctx, p);
  if (isRestError(symbol)) return symbol;
  const ref = orderRefOf(p);
  if (isRestError(ref)) return ref;
  const res = ctx.hub.engine.getOrder(symbol, ref);
  if (!res.ok) return venueError(res.error);
  return reply(queriedOrder(res.value, ctx.history.orderMeta(Number(res.value.exchangeOrderId))));
};

export const openOrders: Handler = (ctx, p) => {
  const symbol = p.get('symbol');
  if (symbol !== undefined && !ctx.instruments.has(symbol)) return INVALID_SYMBOL;
  const res = ctx.hub.engine.openOrders(symbol);
  if (!res.ok) return venueError(res.error);
  return reply(res.value.map((r) => queriedOrder(r, ctx.history.orderMeta(Number(r.exchangeOrderId)))));
};

/** GET /api/v3/allOrders: open and remembered finished orders of a symbol, by order id (limit default 500, max 1000). */
export const allOrders: Handler = (ctx, p): Checked<Reply> => {
  const symbol = symbolOf(ctx, p);
  if (isRestError(symbol)) return symbol;
  const limit = p.integer('limit');
  if (isRestError(limit)) return limit;
  const fromId = p.integer('orderId');
  if (isRestError(fromId)) return fromId;
  const n = Math.min(limit ?? 500, 1000);
  const snap = ctx.hub.engine.snapshot();
  const rows = [...snap.recentOrders, ...snap.openOrders]
    .filter((o) => o.symbol === symbol && (fromId === undefined || o.orderId >= fromId))
    .sort((a, b) => a.orderId - b.orderId);
  const picked = fromId !== undefined ? rows.slice(0, n) : rows.slice(-n);
  return reply(picked.map((o) => snapshotOrder(o, ctx.history.orderMeta(o.orderId))));
};
