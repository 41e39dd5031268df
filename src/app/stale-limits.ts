import type { TradeTick } from '../domain/index.js';
import { SYNTHETIC_DEFAULTS } from '../sandbox/index.js';
import type { Config } from './config.js';

/**
 * Every rule that calls market data stale, in ms, each from its own setting (0 = that rule is off). Staleness is always
 * time since a message was *received*, never the exchange's trade time (issue 9).
 */
export interface StaleLimits {
  /** The risk gate: no trade received on a symbol for this long denies new orders on it (RISK_STALE_AFTER_SECONDS). */
  readonly riskMs: number;
  /** The feed: an open stream with no trade this long is announced stale, cause quiet (MARKET_STALE_AFTER_SECONDS). */
  readonly quietMs: number;
  /** The feed: an open socket with no frame at all this long is cut and reopened (MARKET_DEAD_AFTER_SECONDS). */
  readonly deadMs: number;
}

/**
 * The settings (MARKET_STALE_AFTER_SECONDS unset follows RISK_STALE_AFTER_SECONDS, so 0 there stops both), fitted to
 * `ownTape` when it is the tape of the bot's own sandbox, played at MARKET_SPEED. A sandbox the BINANCE_* URLs name
 * plays a tape and speed the bot cannot know: the defaults are chosen to fit a 1m kline tape at 1× (30 s gaps).
 */
export function staleLimits(config: Config, ownTape?: { readonly largestGapMs: number }): StaleLimits {
  const limits = {
    riskMs: config.RISK_STALE_AFTER_SECONDS * 1000,
    quietMs: (config.MARKET_STALE_AFTER_SECONDS ?? config.RISK_STALE_AFTER_SECONDS) * 1000,
    deadMs: config.MARKET_DEAD_AFTER_SECONDS * 1000,
  };
  const external = Boolean(config.BINANCE_HTTP_BASE && config.BINANCE_WS_BASE && config.BINANCE_WS_API);
  if (ownTape === undefined || external) return limits;
  return fitToTape(limits, ownTape.largestGapMs, Number(config.MARKET_SPEED) / 1e8);
}

/**
 * How far above a tape's largest quiet time (in wall time) the quiet limits must sit: loopback delivery and timer
 * lateness add milliseconds, and a limit exactly at the gap would fire on every gap.
 */
const TAPE_MARGIN = 2;

/**
 * The quiet limits raised, when the bot's own sandbox plays a tape, to at least TAPE_MARGIN × the tape's largest gap
 * between two trades of a symbol divided by the speed: a 1m kline day at MARKET_SPEED=0.5 is quiet for 60 s between
 * trades, and that is the tape, not an outage. Limits that are off stay off; the dead-socket limit does not depend on
 * the tape (the sandbox pings every 20 s like Binance, whatever its tape does).
 */
export function fitToTape(limits: StaleLimits, largestGapMs: number, speed: number): StaleLimits {
  const quiet = Math.ceil((TAPE_MARGIN * largestGapMs) / speed);
  const fit = (ms: number) => (ms > 0 ? Math.max(ms, quiet) : 0);
  return { riskMs: fit(limits.riskMs), quietMs: fit(limits.quietMs), deadMs: limits.deadMs };
}

/** The longest time between two consecutive trades of one symbol on a recorded tape, ms (0 for fewer than two). */
export function largestGapMs(ticks: readonly TradeTick[]): number {
  const last = new Map<string, number>();
  let largest = 0;
  for (const t of ticks) {
    const before = last.get(t.symbol);
    if (before !== undefined && t.time - before > largest) largest = t.time - before;
    last.set(t.symbol, t.time);
  }
  return largest;
}

/**
 * The synthetic tape's trades arrive as a Poisson process (SYNTHETIC_DEFAULTS.tradesPerSecond per symbol): a gap of
 * 50 mean gaps has probability e⁻⁵⁰ per trade, never seen in any run; that is its largest gap for fitting.
 */
export const SYNTHETIC_LARGEST_GAP_MS = (50 * 1000) / SYNTHETIC_DEFAULTS.tradesPerSecond;
