import type { Candle } from '../domain/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Intervals a reader recognises, shortest first; past a week, whole weeks. */
const ROUND_INTERVALS = [1, 2, 3, 5, 10, 15, 30]
  .map((m) => m * MINUTE)
  .concat(
    [1, 2, 3, 4, 6, 8, 12].map((h) => h * HOUR),
    [DAY, 2 * DAY, 3 * DAY, 7 * DAY],
  );

/** Candles rolled up to fewer, longer ones, and the interval they now have. */
export interface RolledCandles {
  readonly candles: readonly Candle[];
  readonly intervalMs: number;
}

/**
 * The candles at the shortest round interval (1m, 5m, 15m, 1h, 4h, 1d, …) that their interval divides and that
 * draws at most `maxCount` of them: a phone reads a few hundred candles, not a month of minutes. Each rolled candle
 * starts on a multiple of its interval since the epoch (UTC), takes the first open, the last close, the extremes and
 * the summed volume, all exact; candles already few enough are returned as they are.
 */
export function rollUpCandles(candles: readonly Candle[], maxCount: number): RolledCandles {
  const first = candles[0];
  const last = candles.at(-1);
  if (first === undefined || last === undefined) return { candles, intervalMs: MINUTE };
  const base = first.closeTime + 1 - first.openTime;
  if (candles.length <= maxCount) return { candles, intervalMs: base };
  const span = last.closeTime + 1 - first.openTime;
  const fits = (ms: number) => ms % base === 0 && Math.ceil(span / ms) + 1 <= maxCount;
  const intervalMs = ROUND_INTERVALS.find(fits) ?? 7 * DAY * Math.ceil(span / (7 * DAY) / (maxCount - 1));
  return { candles: rollUp(candles, intervalMs), intervalMs };
}

/** An interval in Binance's words: 15m, 4h, 1d, 2w. */
export function intervalName(ms: number): string {
  if (ms % (7 * DAY) === 0) return `${ms / (7 * DAY)}w`;
  if (ms % DAY === 0) return `${ms / DAY}d`;
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE}m`;
  return `${ms / 1000}s`;
}

function rollUp(candles: readonly Candle[], ms: number): Candle[] {
  const out: Candle[] = [];
  for (const c of candles) {
    const start = c.openTime - (c.openTime % ms);
    const last = out.at(-1);
    if (last === undefined || last.openTime !== start) {
      out.push({ ...c, openTime: start, closeTime: start + ms - 1 });
      continue;
    }
    out[out.length - 1] = {
      ...last,
      high: c.high > last.high ? c.high : last.high,
      low: c.low < last.low ? c.low : last.low,
      close: c.close,
      volume: last.volume + c.volume,
    };
  }
  return out;
}
