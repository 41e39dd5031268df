export { CandleBook, type CandleInterval, type CandleSource } from './candle-book.js';
