export { type BinanceTradeFeedOptions, BinanceTradeFeed } from './binance-trade-feed.js';
export type { ConnectionEvent } from './trade-stream-connection.js';
export { backoffDelay, planFuturesConnections, planTradeConnections } from './stream-plan.js';
export { isMark, isSkip, parseFuturesFrame, parseTradeFrame } from './trade-message.js';
