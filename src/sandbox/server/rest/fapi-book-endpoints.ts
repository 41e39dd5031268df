import { type Fixed, type Instrument, SCALE, fixed, format } from '../../../domain/index.js';
import { d8 } from './binance-shapes.js';
import type { MinuteBar } from './daily-stats.js';
import { decimalsOf } from './fapi-shapes.js';
import { lastOf, spreadOf } from './market-endpoints.js';
import type { Params } from './params.js';
import { type Handler, type RestContext, reply } from './rest-context.js';
import { type Checked, INVALID_INTERVAL, INVALID_SYMBOL, isRestError } from './rest-error.js';

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

const MINUTE = 60_000;
/** The fixed-length intervals; 3d, 1w and 1M are refused, as the sandbox keeps only the last 24 h of minutes. */
const INTERVALS: Readonly<Record<string, number>> = {
  '1m': 1,
  '3m': 3,
  '5m': 5,
  '15m': 15,
  '30m': 30,
  '1h': 60,
  '2h': 120,
  '4h': 240,
  '6h': 360,
  '8h': 480,
  '12h': 720,
  '1d': 1440,
};

/** Weight of GET /fapi/v1/klines: 1/2/5/10 for limit below 100, below 500, up to 1000, above (default 500). */
export function fapiKlinesWeight(p: Params): number {
  const limit = Number(p.get('limit') ?? '500');
  if (!(limit >= 100)) return 1;
  if (limit < 500) return 2;
  return limit <= 1000 ? 5 : 10;
}

interface Kline {
  openTime: number;
  open: Fixed;
  high: Fixed;
  low: Fixed;
  close: Fixed;
  volume: Fixed;
  quoteRaw: bigint;
  takerBuyVolume: Fixed;
  takerBuyQuoteRaw: bigint;
  count: number;
}

/** Merges minute bars (ascending) into interval bars aligned on multiples of the interval since the epoch. */
function cut(bars: readonly MinuteBar[], ms: number): Kline[] {
  const out: Kline[] = [];
  for (const b of bars) {
    const openTime = b.openTime - (b.openTime % ms);
    const k = out[out.length - 1];
    if (k === undefined || k.openTime !== openTime) {
      out.push({ ...b, openTime });
      continue;
    }
    if (b.high > k.high) k.high = b.high;
    if (b.low < k.low) k.low = b.low;
    k.close = b.close;
    k.volume += b.volume;
    k.quoteRaw += b.quoteRaw;
    k.takerBuyVolume += b.takerBuyVolume;
    k.takerBuyQuoteRaw += b.takerBuyQuoteRaw;
    k.count += b.count;
  }
  return out;
}

/**
 * Klines cut from the minutes of trades the hub heard in the last 24 h (the 24hr ticker's source). Only intervals
 * with trades are listed (Binance also lists quiet ones, flat at the last close). With startTime: the first `limit`
 * from it; otherwise the latest `limit` up to endTime (or now). Prices to the tick, base volumes to the step, quote
 * volumes to 8 decimals.
 */
export const fapiKlines: Handler = (ctx, p) => {
  const inst = requiredInstrument(ctx, p);
  if (isRestError(inst)) return inst;
  const interval = p.required('interval');
  if (isRestError(interval)) return interval;
  const minutes = INTERVALS[interval];
  if (minutes === undefined) return INVALID_INTERVAL;
  const start = p.integer('startTime');
  if (isRestError(start)) return start;
  const end = p.integer('endTime');
  if (isRestError(end)) return end;
  const n = p.limit(500, 1500);
  if (isRestError(n)) return n;
  const ms = minutes * MINUTE;
  const all = cut(ctx.dailyStats.bars(inst.symbol, ctx.hub.now()), ms).filter(
    (k) => (start === undefined || k.openTime >= start) && (end === undefined || k.openTime <= end),
  );
  const picked = start !== undefined ? all.slice(0, n) : all.slice(Math.max(0, all.length - n));
  const w = writers(inst);
  const quote = (raw: bigint): string => d8(fixed.divRound(raw, SCALE, 'halfEven'));
  return reply(
    picked.map((k) => [
      k.openTime,
      w.price(k.open),
      w.price(k.high),
      w.price(k.low),
      w.price(k.close),
      w.qty(k.volume),
      k.openTime + ms - 1,
      quote(k.quoteRaw),
      k.count,
      w.qty(k.takerBuyVolume),
      quote(k.takerBuyQuoteRaw),
      '0',
    ]),
  );
};
