import { type Fixed, type Instrument, SCALE, fixed } from '../../../domain/index.js';
import { d8 } from './binance-shapes.js';
import type { MinuteBar } from './daily-stats.js';
import type { Params } from './params.js';
import { type Handler, type RestContext, reply } from './rest-context.js';
import { INVALID_INTERVAL, INVALID_SYMBOL, type RestError, isRestError, restError } from './rest-error.js';

/** Klines as spot (`/api/v3/klines`, `uiKlines`) and USD-M (`/fapi/v1/klines`) serve them, from the same minutes. */

const MINUTE = 60_000;
/** The fixed-length intervals; 1s, 3d, 1w and 1M are refused, as the sandbox keeps only the last 24 h of minutes. */
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

/** How a market writes prices and base quantities (spot: 8 decimals; USD-M: the tick's and the step's). */
export interface KlineWriters {
  readonly price: (x: Fixed) => string;
  readonly qty: (x: Fixed) => string;
}

/**
 * Klines cut from the minutes of trades the hub heard in the last 24 h (the 24hr ticker's source). Only intervals
 * with trades are listed (Binance also lists quiet ones, flat at the last close). With startTime: the first `limit`
 * from it; otherwise the latest `limit` up to endTime (or now). Quote volumes to 8 decimals. Binance's 12-column rows.
 */
export function klinesReply(ctx: RestContext, p: Params, inst: Instrument, maxLimit: number, w: KlineWriters): ReturnType<Handler> {
  const interval = p.required('interval');
  if (isRestError(interval)) return interval;
  const minutes = INTERVALS[interval];
  if (minutes === undefined) return INVALID_INTERVAL;
  const start = p.integer('startTime');
  if (isRestError(start)) return start;
  const end = p.integer('endTime');
  if (isRestError(end)) return end;
  const n = p.limit(500, maxLimit);
  if (isRestError(n)) return n;
  const ms = minutes * MINUTE;
  const all = cut(ctx.dailyStats.bars(inst.symbol, ctx.hub.now()), ms).filter(
    (k) => (start === undefined || k.openTime >= start) && (end === undefined || k.openTime <= end),
  );
  const picked = start !== undefined ? all.slice(0, n) : all.slice(Math.max(0, all.length - n));
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
}

function spotInstrument(ctx: RestContext, p: Params): Instrument | RestError {
  const symbol = p.required('symbol');
  if (isRestError(symbol)) return symbol;
  return ctx.instruments.get(symbol) ?? INVALID_SYMBOL;
}

/**
 * GET /api/v3/klines and /api/v3/uiKlines (weight 2, limit up to 1000): spot writes every price and quantity with 8
 * decimals. uiKlines are klines "modified for the presentation of candlestick charts"; over the sandbox's own trades
 * there is nothing to adjust, so they are the same rows. `timeZone` is accepted as UTC only (0, +0, 0:00, +00:00):
 * another zone is refused with -1130 rather than served as UTC.
 */
const INVALID_TIME_ZONE = restError(-1130, "Data sent for parameter 'timeZone' is not valid.");

export const spotKlines: Handler = (ctx, p) => {
  const inst = spotInstrument(ctx, p);
  if (isRestError(inst)) return inst;
  const zone = p.get('timeZone');
  if (zone !== undefined && zone !== '0' && zone !== '+0' && zone !== '0:00' && zone !== '+00:00') return INVALID_TIME_ZONE;
  return klinesReply(ctx, p, inst, 1000, { price: d8, qty: d8 });
};
