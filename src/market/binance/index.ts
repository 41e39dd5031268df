export { type BinanceTradeFeedOptions, BinanceTradeFeed, DEFAULT_DEAD_AFTER_MS, DEFAULT_STALE_AFTER_MS } from './binance-trade-feed.js';
export { type ConnectionEvent, type FeedLog } from './trade-stream-connection.js';
export { type Backoff, type ConnectionPlan, MAX_STREAMS_PER_CONNECTION, backoffDelay, planTradeConnections } from './stream-plan.js';
export { type StreamSkip, isSkip, parseTradeFrame } from './trade-message.js';
