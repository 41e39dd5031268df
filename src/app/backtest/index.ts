export type { BacktestRequest, BacktestReport, BacktestFill, EquityPoint, Outcome } from './backtest-types.js';
export { runBacktest } from './run-backtest.js';
export { backtestText, honestyLine } from './backtest-text.js';
export { type HistoryCandles, historyCandles } from './history-candles.js';
export type { BacktestJob, BacktestOutcome } from './backtest-job.js';
export { type BacktestTask, startBacktest } from './backtest-runner.js';
