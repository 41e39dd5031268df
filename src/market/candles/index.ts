export { CANDLES_KEPT, CandleBook, type CandleInterval, type CandleSource } from './candle-book.js';
