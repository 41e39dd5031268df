export { type BinanceTradeFeedOptions, BinanceTradeFeed } from './binance-trade-feed.js';
export type { ConnectionEvent } from './trade-stream-connection.js';
export { backoffDelay, planTradeConnections } from './stream-plan.js';
export { isSkip, parseTradeFrame } from './trade-message.js';
