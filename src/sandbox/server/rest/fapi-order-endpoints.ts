import type { FuturesOrderView } from '../../futures/index.js';
import { acceptedView, futuresOrderJson } from './fapi-order-shapes.js';
import { type ParsedFuturesOrder, batchItems, cancelList, futuresOrderRef, futuresSymbol, parseFuturesOrder } from './fapi-order-params.js';
import { precisionFor, served, venueError, venueOf } from './fapi-trade-venue.js';
import type { Params } from './params.js';
import { type Handler, type RestContext, reply } from './rest-context.js';
import { type Checked, INVALID_SYMBOL, type RestError, isRestError, restError } from './rest-error.js';

/**
 * USD-M order endpoints (PROTOCOLS-FUTURES A.3) over the hub's futures account. ORDERS weight (1 on 10 s and 1 on the
 * minute for an order, 5 and 1 for a batch) is charged once the request's parameters are read, whatever the venue then
 * decides: Binance meters order requests, and a refused order is still one.
 */

function placedJson(ctx: RestContext, o: FuturesOrderView): object {
  return futuresOrderJson(o, precisionFor(ctx, o.symbol), 'placed');
}

function queriedJson(ctx: RestContext, o: FuturesOrderView): object {
  return futuresOrderJson(o, precisionFor(ctx, o.symbol), 'queried');
}

/** Places one parsed order; ACK answers the order as accepted, RESULT as it stands after matching. */
function place(ctx: RestContext, parsed: ParsedFuturesOrder, now: number): Checked<object> {
  const res = venueOf(ctx).placeOrder(parsed.order, now);
  if (!res.ok) return venueError(res.error);
  const o = res.value.order;
  return placedJson(ctx, parsed.respType === 'ACK' ? acceptedView(o) : o);
}

/** `{code, msg}` as a batch item carries a refusal. */
function itemError(e: RestError): object {
  return { code: e.code, msg: e.msg };
}

export const fapiNewOrder: Handler = (ctx, p) => {
  const parsed = parseFuturesOrder(p, served(ctx), ctx.nextClientId);
  if (isRestError(parsed)) return parsed;
  const now = ctx.hub.now();
  const limited = ctx.futuresLimiter.admitOrder(now, 1, 1);
  if (limited) return limited;
  ctx.futuresLimiter.countOrder(now, 1, 1);
  const out = place(ctx, parsed, now);
  return isRestError(out) ? out : reply(out, true);
};

/**
 * POST batchOrders: up to 5 orders, answered in input order, each an order or its own {code, msg}. Binance processes
 * the items concurrently; the sandbox places them one after another in input order, which is one of the orders
 * Binance may choose.
 */
export const fapiBatchOrders: Handler = (ctx, p) => {
  const items = batchItems(p);
  if (isRestError(items)) return items;
  const now = ctx.hub.now();
  const limited = ctx.futuresLimiter.admitOrder(now, 5, 1);
  if (limited) return limited;
  ctx.futuresLimiter.countOrder(now, 5, 1);
  const out = items.map((item) => {
    const parsed = parseFuturesOrder(item, served(ctx), ctx.nextClientId);
    if (isRestError(parsed)) return itemError(parsed);
    const placed = place(ctx, parsed, now);
    return isRestError(placed) ? itemError(placed) : placed;
  });
  return reply(out, true);
};

export const fapiCancelOrder: Handler = (ctx, p) => {
  const symbol = futuresSymbol(p, served(ctx));
  if (isRestError(symbol)) return symbol;
  const ref = futuresOrderRef(p);
  if (isRestError(ref)) return ref;
  const res = venueOf(ctx).cancelOrder(symbol, ref, ctx.hub.now());
  return res.ok ? reply(placedJson(ctx, res.value.order)) : venueError(res.error);
};

/** DELETE batchOrders: each listed order canceled in list order, answered as the order or its {code, msg}. */
export const fapiCancelBatch: Handler = (ctx, p) => {
  const symbol = futuresSymbol(p, served(ctx));
  if (isRestError(symbol)) return symbol;
  const refs = cancelList(p);
  if (isRestError(refs)) return refs;
  const now = ctx.hub.now();
  return reply(
    refs.map((ref) => {
      const res = venueOf(ctx).cancelOrder(symbol, ref, now);
      return res.ok ? placedJson(ctx, res.value.order) : itemError(venueError(res.error));
    }),
  );
};

/** DELETE allOpenOrders: Binance's fixed acknowledgement, also when there was nothing to cancel (A.3). */
export const fapiCancelAll: Handler = (ctx, p) => {
  const symbol = futuresSymbol(p, served(ctx));
  if (isRestError(symbol)) return symbol;
  const res = venueOf(ctx).cancelAllOpenOrders(symbol, ctx.hub.now());
  if (!res.ok) return venueError(res.error);
  return reply({ code: 200, msg: 'The operation of cancel all open order is done.' });
};

export const fapiGetOrder: Handler = (ctx, p) => {
  const symbol = futuresSymbol(p, served(ctx));
  if (isRestError(symbol)) return symbol;
  const ref = futuresOrderRef(p);
  if (isRestError(ref)) return ref;
  const res = venueOf(ctx).getOrder(symbol, ref);
  return res.ok ? reply(queriedJson(ctx, res.value)) : venueError(res.error);
};

function isOpen(o: FuturesOrderView): boolean {
  return o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
}

/** GET openOrder: the order only while it is open; a finished one is -2013, as Binance answers. */
export const fapiOpenOrder: Handler = (ctx, p) => {
  const symbol = futuresSymbol(p, served(ctx));
  if (isRestError(symbol)) return symbol;
  const ref = futuresOrderRef(p);
  if (isRestError(ref)) return ref;
  const res = venueOf(ctx).getOrder(symbol, ref);
  if (!res.ok) return venueError(res.error);
  return isOpen(res.value) ? reply(queriedJson(ctx, res.value)) : restError(-2013, 'Order does not exist.');
};

export const fapiOpenOrders: Handler = (ctx, p) => {
  const symbol = p.get('symbol');
  if (symbol !== undefined && !ctx.instruments.has(symbol)) return INVALID_SYMBOL;
  const res = venueOf(ctx).openOrders(symbol);
  return res.ok ? reply(res.value.map((o) => queriedJson(ctx, o))) : venueError(res.error);
};

/** Weight 1 for one symbol, 40 for every symbol (A.3). */
export function openOrdersWeight(p: Params): number {
  return p.has('symbol') ? 1 : 40;
}

const ALL_ORDERS_DEFAULT = 500;
const ALL_ORDERS_MAX = 1000;

/**
 * GET allOrders: with orderId, the first `limit` orders from that id on; otherwise the latest `limit` in the
 * startTime/endTime window (by creation time), oldest first. Chosen: no 7-day window is imposed (the sandbox keeps
 * every order of the run; Binance forgets canceled unfilled ones after 3 days and everything after 90).
 */
export const fapiAllOrders: Handler = (ctx, p) => {
  const symbol = futuresSymbol(p, served(ctx));
  if (isRestError(symbol)) return symbol;
  const fromId = p.integer('orderId');
  if (isRestError(fromId)) return fromId;
  const start = p.integer('startTime');
  if (isRestError(start)) return start;
  const end = p.integer('endTime');
  if (isRestError(end)) return end;
  const limit = p.limit(ALL_ORDERS_DEFAULT, ALL_ORDERS_MAX);
  if (isRestError(limit)) return limit;
  const res = venueOf(ctx).allOrders(symbol);
  if (!res.ok) return venueError(res.error);
  const rows = res.value.filter(
    (o) =>
      (fromId === undefined || o.orderId >= fromId) && (start === undefined || o.time >= start) && (end === undefined || o.time <= end),
  );
  const picked = fromId !== undefined ? rows.slice(0, limit) : rows.slice(Math.max(0, rows.length - limit));
  return reply(picked.map((o) => queriedJson(ctx, o)));
};

/**
 * POST countdownCancelAll: arms (ms > 0) or disarms (0) the symbol's countdown. `countdownTime` comes back as a string,
 * as the docs' example shows it.
 */
export const fapiCountdownCancelAll: Handler = (ctx, p) => {
  const symbol = futuresSymbol(p, served(ctx));
  if (isRestError(symbol)) return symbol;
  const ms = p.integer('countdownTime');
  if (isRestError(ms)) return ms;
  if (ms === undefined) return p.required('countdownTime') as RestError;
  const res = venueOf(ctx).countdownCancelAll(symbol, ms, ctx.hub.now());
  return res.ok ? reply({ symbol, countdownTime: String(ms) }) : venueError(res.error);
};
