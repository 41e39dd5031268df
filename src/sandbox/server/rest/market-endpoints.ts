import { type Fixed, type Instrument, fixed } from '../../../domain/index.js';
import { d8, rateLimitsJson, symbolJson } from './binance-shapes.js';
import type { Params } from './params.js';
import { type Handler, type RestContext, reply } from './rest-context.js';
import { type Checked, INVALID_SYMBOL, invalidValue, isRestError } from './rest-error.js';

/** The instruments a request names with `symbol` or a JSON `symbols` array, or all of them. */
function selected(ctx: RestContext, p: Params): Checked<Instrument[]> {
  const one = p.get('symbol');
  if (one !== undefined) {
    const inst = ctx.instruments.get(one);
    return inst === undefined ? INVALID_SYMBOL : [inst];
  }
  const many = p.get('symbols');
  if (many === undefined) return [...ctx.instruments.values()];
  let names: unknown;
  try {
    names = JSON.parse(many);
  } catch {
    return invalidValue('symbols');
  }
  if (!Array.isArray(names)) return invalidValue('symbols');
  const out: Instrument[] = [];
  for (const n of names) {
    const inst = typeof n === 'string' ? ctx.instruments.get(n) : undefined;
    if (inst === undefined) return INVALID_SYMBOL;
    out.push(inst);
  }
  return out;
}

/** Last trade price, or zero for a symbol the tape has not traded yet. */
function lastOf(ctx: RestContext, symbol: string): Fixed {
  return ctx.hub.engine.lastPrice(symbol) ?? 0n;
}

export const ping: Handler = () => reply({});

export const time: Handler = (ctx) => reply({ serverTime: ctx.hub.now() });

export const exchangeInfo: Handler = (ctx, p) => {
  const insts = selected(ctx, p);
  if (isRestError(insts)) return insts;
  return reply({
    timezone: 'UTC',
    serverTime: ctx.hub.now(),
    rateLimits: rateLimitsJson(ctx.limiter.limits),
    exchangeFilters: [],
    symbols: insts.map(symbolJson),
  });
};

export const tickerPrice: Handler = (ctx, p) => {
  const insts = selected(ctx, p);
  if (isRestError(insts)) return insts;
  const rows = insts.map((i) => ({ symbol: i.symbol, price: d8(lastOf(ctx, i.symbol)) }));
  return reply(p.has('symbol') ? rows[0] : rows);
};

/**
 * The tape has no order book, so the best bid and ask are a one-tick spread around the last trade: the bid is the last
 * price rounded down to the tick, the ask one tick above it. Sizes are zero because the tape says nothing about depth.
 */
export const bookTicker: Handler = (ctx, p) => {
  const insts = selected(ctx, p);
  if (isRestError(insts)) return insts;
  const rows = insts.map((i) => {
    const last = lastOf(ctx, i.symbol);
    const tick = i.filters.priceFilter.tickSize;
    const bid = fixed.roundTo(last, tick, 'floor');
    const ask = last === 0n ? 0n : bid + (tick > 0n ? tick : 0n);
    return { symbol: i.symbol, bidPrice: d8(bid), bidQty: '0.00000000', askPrice: d8(ask), askQty: '0.00000000' };
  });
  return reply(p.has('symbol') ? rows[0] : rows);
};

/** Weight of GET /depth by its limit (PROTOCOLS A.10). */
export function depthWeight(p: Params): number {
  const limit = Number(p.get('limit') ?? '100');
  if (!(limit > 100)) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

/** The book as the account's own resting orders make it (the tape's liquidity is invisible), aggregated per price. */
export const depth: Handler = (ctx, p) => {
  const symbol = p.required('symbol');
  if (isRestError(symbol)) return symbol;
  if (!ctx.instruments.has(symbol)) return INVALID_SYMBOL;
  const limit = p.integer('limit');
  if (isRestError(limit)) return limit;
  const n = limit === undefined ? 100 : limit;
  if (n < 1 || n > 5000) return invalidValue('limit');
  const open = ctx.hub.engine.openOrders(symbol);
  const bids = new Map<Fixed, Fixed>();
  const asks = new Map<Fixed, Fixed>();
  if (open.ok) {
    for (const o of open.value) {
      const side = o.side === 'BUY' ? bids : asks;
      side.set(o.price, (side.get(o.price) ?? 0n) + o.origQty - o.cumQty);
    }
  }
  const levels = (m: Map<Fixed, Fixed>, desc: boolean): string[][] =>
    [...m.entries()]
      .sort((a, b) => (a[0] === b[0] ? 0 : (a[0] < b[0]) === desc ? 1 : -1))
      .slice(0, n)
      .map(([px, q]) => [d8(px), d8(q)]);
  // Server time stands in for the book's update id: it only grows, which is all a client relies on.
  return reply({ lastUpdateId: ctx.hub.now(), bids: levels(bids, true), asks: levels(asks, false) });
};
