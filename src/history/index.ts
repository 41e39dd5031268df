export { type DayRange, parseDayRange } from './day-range.js';
export {
  ARCHIVE_KINDS,
  KLINE_INTERVALS,
  type ArchiveKind,
  type ArchiveMarket,
  type ArchiveRequest,
  type ArchiveFile,
  checkArchiveRequest,
  archiveFiles,
} from './archive-layout.js';
export { type FetchOptions, type FetchReport, type RefusedArchive, fetchArchives } from './fetch-archives.js';
export { type CandleFile, type CandleGap, loadCandles } from './load-candles.js';
export { loadTrades } from './load-trades.js';
export { loadFundingRates } from './load-funding-rates.js';
export type { HistoryFailure, HistoryFailureCode } from './history-failure.js';
