export type { TickSource } from './tick-source.js';
export { type RealtimeTimers, type RealtimeOptions, type RealtimeEnd, type FeedPumpOptions, FeedPump, systemTimers } from './feed-pump.js';
export { type MarketQuote, type LastSeen, type MarketWatchOptions, MarketWatch } from './market-watch.js';
export * from './binance/index.js';
