/**
 * When funding settles: on whole multiples of the interval counted from 00:00 UTC (8 h → 00:00, 08:00, 16:00;
 * 4 h and 1 h per fundingInfo's `fundingIntervalHours`). Pure functions of the times, so a replay at any speed
 * and a restart that resumes from the last settled instant compute the same settlements.
 */

const HOUR_MS = 3_600_000;
const DAY_HOURS = 24;

/** Binance's default when a symbol has no fundingInfo row (PROTOCOLS-FUTURES D.6). */
const DEFAULT_FUNDING_INTERVAL_HOURS = 8;

/** The interval in ms; only whole hours that divide a day keep the settlements on the same clock times every day. */
function intervalMs(hours: number): number {
  if (!Number.isInteger(hours) || hours <= 0 || DAY_HOURS % hours !== 0)
    throw new RangeError(`funding interval must be a whole number of hours dividing 24, got ${hours}`);
  return hours * HOUR_MS;
}

/**
 * The first settlement strictly after `t` (ms): what premiumIndex.nextFundingTime shows at `t`. At 08:00:00.000
 * exactly it already shows 16:00, because the 08:00 settlement belongs to the window that ends there.
 */
export function nextFundingTime(t: number, hours: number = DEFAULT_FUNDING_INTERVAL_HOURS): number {
  const step = intervalMs(hours);
  return (Math.floor(t / step) + 1) * step;
}

/** Whether `t` (ms) is a settlement instant. */
export function isFundingTime(t: number, hours: number = DEFAULT_FUNDING_INTERVAL_HOURS): boolean {
  return t % intervalMs(hours) === 0;
}

/**
 * Every settlement in (t0, t1], ascending. Half-open so consecutive windows (t0, t1], (t1, t2] share no instant and
 * leave none out: a replay that jumps the clock, or a restart that resumes from the last time it settled, neither
 * misses nor doubles a settlement.
 */
export function fundingTimesBetween(t0: number, t1: number, hours: number = DEFAULT_FUNDING_INTERVAL_HOURS): number[] {
  const step = intervalMs(hours);
  const out: number[] = [];
  for (let s = nextFundingTime(t0, hours); s <= t1; s += step) out.push(s);
  return out;
}
