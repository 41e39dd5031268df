import type { Candle, Result } from '../../domain/index.js';
import type { DayRange } from '../../history/index.js';
import type { BacktestReport, BacktestRequest } from './backtest-types.js';

/**
 * What a backtest worker is given (structured-cloned into it: bigints and plain objects cross intact): the request
 * without its candles and callback, and where the candles come from. History is read inside the worker, so a month of
 * minutes is parsed off the event loop too.
 */
export interface BacktestJob {
  readonly request: Omit<BacktestRequest, 'candles' | 'progress' | 'progressEvery'>;
  readonly candles:
    | { readonly kind: 'given'; readonly candles: readonly Candle[] }
    | { readonly kind: 'history'; readonly historyDir: string; readonly range: DayRange };
}

/** A finished replay, with what the history folder lacked (both zero for the bot's own candles). */
export interface BacktestOutcome {
  readonly report: BacktestReport;
  /** Days of the range without a file in the history folder. */
  readonly missingDays: readonly string[];
  /** Candles missing inside the files (exchange maintenance). */
  readonly missingCandles: number;
  /** The report drawn (backtest-picture.ts), rendered in the worker too; absent when it could not be drawn. */
  readonly picture?: { readonly png: Uint8Array; readonly caption: string; readonly filename: string };
}

/** What a worker says back: how far it is, then once what came of it. */
export type BacktestWorkerMessage =
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  | { readonly kind: 'done'; readonly result: Result<BacktestOutcome> };

/** Progress is told this many times over a replay (every 10 %), whatever its length. */
export const PROGRESS_STEPS = 10;
