import { failure } from '../domain/index.js';
import type { CandleSource } from '../market/index.js';

/** Binance's klines cost 2 request weight, whatever the limit. */
const KLINES_WEIGHT = 2;
/** What the start-up history may spend of the exchange's request weight: the rest stays for trading and /ta. */
const HISTORY_SHARE = 0.25;
/** Calls made at once before the pace applies: a bot of a few symbols reads its history without waiting. */
const BURST = 30;

export interface CandlePace {
  /** The exchange's REQUEST_WEIGHT per minute (exchangeInfo; Binance spot's is 6,000). */
  readonly weightPerMinute: number;
  /** Wall time, ms. */
  readonly now: () => number;
  readonly wait: (ms: number) => Promise<void>;
}

/**
 * The exchange's klines at a pace the request weight allows: the start-up backfill asks three intervals of every
 * symbol, so 1,000 symbols are 3,000 calls, all of a minute's 6,000 weight, and the 429 that follows pauses every
 * request of the bot, orders and reconciliation included, for the rest of the minute. After a burst of BURST calls
 * the history spends at most HISTORY_SHARE of the weight (Binance's limits: 750 calls a minute, 1,000 symbols in 4).
 * `stop` (the bot is stopping) answers every call not yet made with a failure at once, so a long backfill ends.
 */
export function pacedCandles(source: CandleSource, pace: CandlePace): CandleSource & { stop(): void } {
  const gapMs = (KLINES_WEIGHT * 60_000) / (pace.weightPerMinute * HISTORY_SHARE);
  // A token bucket in time: `next` is when the next call may go once the burst is spent.
  let next = Number.NEGATIVE_INFINITY;
  let stopped = false;
  const stoppedFailure = failure('STOPPED', 'the bot is stopping');
  return {
    async candles(symbol, interval, query) {
      if (stopped) return stoppedFailure;
      const at = pace.now();
      next = Math.max(next, at - BURST * gapMs) + gapMs;
      if (next > at) await pace.wait(next - at);
      return stopped ? stoppedFailure : source.candles(symbol, interval, query);
    },
    stop: () => {
      stopped = true;
    },
  };
}

/** REQUEST_WEIGHT per minute from exchangeInfo's limits (the tightest, scaled to a minute); Binance spot's 6,000 if none. */
export function weightPerMinute(limits: readonly { rateLimitType: string; limit: number; windowMs: number }[]): number {
  const perMinute = limits
    .filter((l) => l.rateLimitType === 'REQUEST_WEIGHT' && l.windowMs > 0)
    .map((l) => (l.limit * 60_000) / l.windowMs);
  return perMinute.length > 0 ? Math.min(...perMinute) : 6_000;
}

/** The pace on wall time; its waits do not hold a stopping process open. */
export function wallPace(limits: Parameters<typeof weightPerMinute>[0]): CandlePace {
  return {
    weightPerMinute: weightPerMinute(limits),
    now: Date.now,
    wait: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()),
  };
}
