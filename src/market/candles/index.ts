export { CANDLE_INTERVAL_MS, CandleBook, type CandleInterval, type CandleSource, type CandlesKept } from './candle-book.js';
