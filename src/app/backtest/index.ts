export type { BacktestRequest, BacktestReport } from './backtest-types.js';
export { runBacktest } from './run-backtest.js';
export { backtestText, honestyLine } from './backtest-text.js';
export { historyCandles } from './history-candles.js';
export { historyFunding } from './history-funding.js';
export { backtestPicture } from './backtest-picture.js';
export { rankByReturn, sweepTable } from './sweep-text.js';
export type { BacktestJob, BacktestOutcome } from './backtest-job.js';
export { type BacktestTask, startBacktest } from './backtest-runner.js';
