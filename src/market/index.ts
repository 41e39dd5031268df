export type { TickSource } from './tick-source.js';
export { type RealtimeTimers, FeedPump, systemTimers } from './feed-pump.js';
export { MarketWatch } from './market-watch.js';
export { CandleBook, type CandleInterval, type CandleSource } from './candles/index.js';
export * from './binance/index.js';
