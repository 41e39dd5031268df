import { type Fixed, type Instrument, format } from '../../../domain/index.js';
import { decimalsOf } from './fapi-shapes.js';
import { lastOf, spreadOf } from './market-endpoints.js';
import type { Params } from './params.js';
import { type Handler, type RestContext, reply } from './rest-context.js';
import { klinesReply } from './kline-rows.js';
import { type Checked, INVALID_SYMBOL, isRestError } from './rest-error.js';

/** USD-M depth, bookTicker and klines (PROTOCOLS-FUTURES A.1) over the same book and trades as spot's. */

/** Prices to the tick's decimals and quantities to the step's, as USD-M writes them ("50000.10", "0.500"). */
function writers(inst: Instrument): { price: (x: Fixed) => string; qty: (x: Fixed) => string } {
  const pd = decimalsOf(inst.filters.priceFilter.tickSize);
  const qd = decimalsOf(inst.filters.lotSize.stepSize);
  return { price: (x) => format(x, pd), qty: (x) => format(x, qd) };
}

function requiredInstrument(ctx: RestContext, p: Params): Checked<Instrument> {
  const symbol = p.required('symbol');
  if (isRestError(symbol)) return symbol;
  return ctx.instruments.get(symbol) ?? INVALID_SYMBOL;
}

/** Weight of GET /fapi/v1/depth: 2/5/10/20 for limit up to 50/100/500/1000 (default 500). */
export function fapiDepthWeight(p: Params): number {
  const limit = Number(p.get('limit') ?? '500');
  if (!(limit > 50)) return 2;
  if (limit <= 100) return 5;
  return limit <= 500 ? 10 : 20;
}

/**
 * The futures book, with the futures-only event and transaction times, both the clock's. The sandbox's book holds only
 * the account's own resting orders (the tape's liquidity is invisible), and futures orders are not served yet: the
 * futures book is empty until they are (spot's resting orders are not on it). Any limit from 1 to 1000 is served, not
 * only Binance's listed 5…1000 steps.
 */
export const fapiDepth: Handler = (ctx, p) => {
  const inst = requiredInstrument(ctx, p);
  if (isRestError(inst)) return inst;
  const n = p.limit(500, 1000);
  if (isRestError(n)) return n;
  const now = ctx.hub.now();
  // As spot: the clock stands in for the book's update id, which only grows.
  return reply({ lastUpdateId: now, E: now, T: now, bids: [], asks: [] });
};

/** Spot's one-tick spread around the last trade with zero sizes, plus the futures `time` (the clock's). */
export const fapiBookTicker: Handler = (ctx, p) => {
  const one = p.get('symbol');
  const insts = one === undefined ? [...ctx.instruments.values()] : [ctx.instruments.get(one)];
  if (insts.includes(undefined)) return INVALID_SYMBOL;
  const now = ctx.hub.now();
  const rows = (insts as Instrument[]).map((i) => {
    const { bid, ask } = spreadOf(i, lastOf(ctx, i.symbol));
    const w = writers(i);
    return { symbol: i.symbol, bidPrice: w.price(bid), bidQty: w.qty(0n), askPrice: w.price(ask), askQty: w.qty(0n), time: now };
  });
  return reply(one === undefined ? rows : rows[0]);
};

/** Weight of GET /fapi/v1/klines: 1/2/5/10 for limit below 100, below 500, up to 1000, above (default 500). */
export function fapiKlinesWeight(p: Params): number {
  const limit = Number(p.get('limit') ?? '500');
  if (!(limit >= 100)) return 1;
  if (limit < 500) return 2;
  return limit <= 1000 ? 5 : 10;
}

/** USD-M klines (kline-rows.ts): prices to the tick's decimals, base volumes to the step's; limit up to 1500. */
export const fapiKlines: Handler = (ctx, p) => {
  const inst = requiredInstrument(ctx, p);
  if (isRestError(inst)) return inst;
  return klinesReply(ctx, p, inst, 1500, writers(inst));
};
