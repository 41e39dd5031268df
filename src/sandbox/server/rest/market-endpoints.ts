import { type Fixed, type Instrument, fixed, format } from '../../../domain/index.js';
import { d8, rateLimitsJson, symbolJson } from './binance-shapes.js';
import { DAY_MS } from './daily-stats.js';
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
export function lastOf(ctx: RestContext, symbol: string): Fixed {
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

/** The tape has no order book, so the best bid and ask are a one-tick spread around the last trade (see bookTicker). */
export function spreadOf(inst: Instrument, last: Fixed): { bid: Fixed; ask: Fixed } {
  const tick = inst.filters.priceFilter.tickSize;
  const bid = fixed.roundTo(last, tick, 'floor');
  return { bid, ask: last === 0n ? 0n : bid + (tick > 0n ? tick : 0n) };
}

/**
 * The tape has no order book, so the best bid and ask are a one-tick spread around the last trade: the bid is the last
 * price rounded down to the tick, the ask one tick above it. Sizes are zero because the tape says nothing about depth.
 */
export const bookTicker: Handler = (ctx, p) => {
  const insts = selected(ctx, p);
  if (isRestError(insts)) return insts;
  const rows = insts.map((i) => {
    const { bid, ask } = spreadOf(i, lastOf(ctx, i.symbol));
    return { symbol: i.symbol, bidPrice: d8(bid), bidQty: '0.00000000', askPrice: d8(ask), askQty: '0.00000000' };
  });
  return reply(p.has('symbol') ? rows[0] : rows);
};

/** Weight of GET /ticker/24hr: 2 for `symbol`; for `symbols` 2 up to 20, 40 up to 100, else 80; 80 for all (Binance's table). */
export function ticker24hrWeight(p: Params): number {
  if (p.has('symbol')) return 2;
  const many = p.get('symbols');
  if (many === undefined) return 80;
  let n = 0;
  try {
    const names: unknown = JSON.parse(many);
    n = Array.isArray(names) ? names.length : 0;
  } catch {
    n = 0;
  }
  if (n <= 20) return 2;
  return n <= 100 ? 40 : 80;
}

/** Binance's percent with 3 decimals ("-1.234"), half-even; zero when there is no opening price. */
function percent3(change: Fixed, open: Fixed): string {
  if (open === 0n) return '0.000';
  const thousandths = fixed.divRound(change * 100_000n, open, 'halfEven');
  return format(thousandths * 100_000n, 3);
}

/**
 * GET /api/v3/ticker/24hr (FULL): statistics over the trades the hub saw in the 1440 minutes ending with the current
 * minute of hub time; openTime/closeTime span the last 24 h up to now, as Binance's do.
 */
export const ticker24hr: Handler = (ctx, p) => {
  const insts = selected(ctx, p);
  if (isRestError(insts)) return insts;
  const now = ctx.hub.now();
  const rows = insts.map((i) => {
    const f = ctx.dailyStats.figures(i.symbol, now);
    const last = f?.last ?? 0n;
    const open = f?.open ?? 0n;
    const { bid, ask } = spreadOf(i, last);
    return {
      symbol: i.symbol,
      priceChange: d8(last - open),
      priceChangePercent: percent3(last - open, open),
      weightedAvgPrice: d8(f?.weightedAvg ?? 0n),
      prevClosePrice: d8(f?.prevClose ?? 0n),
      lastPrice: d8(last),
      lastQty: d8(f?.lastQty ?? 0n),
      bidPrice: d8(bid),
      bidQty: '0.00000000',
      askPrice: d8(ask),
      askQty: '0.00000000',
      openPrice: d8(open),
      highPrice: d8(f?.high ?? 0n),
      lowPrice: d8(f?.low ?? 0n),
      volume: d8(f?.volume ?? 0n),
      quoteVolume: d8(f?.quoteVolume ?? 0n),
      openTime: now - DAY_MS,
      closeTime: now,
      firstId: f?.firstId ?? -1,
      lastId: f?.lastId ?? -1,
      count: f?.count ?? 0,
    };
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

/** One side of a book, best price first: [price, remaining quantity] per level. */
type BookLevels = [Fixed, Fixed][];

/**
 * The book as the account's own resting orders make it (the tape's liquidity is invisible), aggregated per price, at
 * most `n` levels a side.
 */
function bookOf(ctx: RestContext, symbol: string, n: number): { bids: BookLevels; asks: BookLevels } {
  const open = ctx.hub.engine.openOrders(symbol);
  const bids = new Map<Fixed, Fixed>();
  const asks = new Map<Fixed, Fixed>();
  if (open.ok) {
    for (const o of open.value) {
      const side = o.side === 'BUY' ? bids : asks;
      side.set(o.price, (side.get(o.price) ?? 0n) + o.origQty - o.cumQty);
    }
  }
  const levels = (m: Map<Fixed, Fixed>, desc: boolean): BookLevels =>
    [...m.entries()].sort((a, b) => (a[0] === b[0] ? 0 : a[0] < b[0] === desc ? 1 : -1)).slice(0, n);
  return { bids: levels(bids, true), asks: levels(asks, false) };
}

export const depth: Handler = (ctx, p) => {
  const symbol = p.required('symbol');
  if (isRestError(symbol)) return symbol;
  if (!ctx.instruments.has(symbol)) return INVALID_SYMBOL;
  const n = p.limit(100, 5000);
  if (isRestError(n)) return n;
  const book = bookOf(ctx, symbol, n);
  const json = (side: BookLevels): string[][] => side.map(([px, q]) => [d8(px), d8(q)]);
  // Server time stands in for the book's update id: it only grows, which is all a client relies on.
  return reply({ lastUpdateId: ctx.hub.now(), bids: json(book.bids), asks: json(book.asks) });
};
