export { type DayRange, parseDayRange } from './day-range.js';
export {
  ARCHIVE_KINDS,
  type ArchiveKind,
  type ArchiveRequest,
  type ArchiveFile,
  checkArchiveRequest,
  archiveFiles,
} from './archive-layout.js';
export { type FetchReport, fetchArchives } from './fetch-archives.js';
export { loadCandles } from './load-candles.js';
export { loadTrades } from './load-trades.js';
export { loadFundingRates } from './load-funding-rates.js';
