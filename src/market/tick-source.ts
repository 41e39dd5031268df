import type { TradeTick } from '../domain/index.js';

/** A tape of trades, pulled one at a time: synthetic, a CSV replay, or (later) a live stream's buffer. */
export interface TickSource {
  readonly symbols: readonly string[];
  /** The next trade in time order, or undefined when the tape has ended. */
  next(): TradeTick | undefined;
}
