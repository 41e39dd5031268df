import { type Candle, format, parseFixed } from '../domain/index.js';

/**
 * A candle as the Redis copy keeps it: `openTime,open,high,low,close,volume`, the open time in ms and the rest exact
 * decimals (e.g. `1735689600000,50000.01,50000.5,49999.9,50000.2,0.123`). About 60 bytes where JSON would take twice
 * that; the close time is not stored, it follows from the interval.
 */
export function candleLine(c: Candle): string {
  return `${c.openTime},${format(c.open)},${format(c.high)},${format(c.low)},${format(c.close)},${format(c.volume)}`;
}

const TIME = /^\d{1,15}$/;
const AMOUNT = /^\d{1,20}(?:\.\d{1,8})?$/;

/** The candle a line holds at an interval of `intervalMs`, or undefined when the line is not one the copy writes. */
export function candleOfLine(line: string, intervalMs: number): Candle | undefined {
  const fields = line.split(',');
  if (fields.length !== 6 || !TIME.test(fields[0]!)) return undefined;
  const openTime = Number(fields[0]);
  if (openTime % intervalMs !== 0) return undefined;
  const amounts = fields.slice(1).map((f) => (AMOUNT.test(f) ? parseFixed(f) : undefined));
  const [open, high, low, close, volume] = amounts;
  if (open === undefined || high === undefined || low === undefined || close === undefined || volume === undefined) return undefined;
  if (low > open || low > close || high < open || high < close) return undefined;
  return { openTime, closeTime: openTime + intervalMs - 1, open, high, low, close, volume };
}
