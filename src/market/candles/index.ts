export {
  CANDLE_INTERVAL_MS,
  CandleBook,
  type CandleClosed,
  type CandleInterval,
  type CandleSource,
  type CandlesKept,
} from './candle-book.js';
