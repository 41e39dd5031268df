export { BinanceGateway, type BinanceGatewayOptions, type GatewayActivity } from './binance-gateway.js';
export { type ApiRestrictions, mapApiRestrictions } from './api-restrictions.js';
export type { BinanceClient } from './binance-client.js';
export { BINANCE_LIVE, BINANCE_TESTNET } from './binance-urls.js';
export {
  type SkippedSymbol,
  mapAccountBalances,
  mapCanceledOrders,
  mapExchangeInfo,
  mapOpenOrders,
  mapRestOrder,
  mapServerTime,
  mapUserEvent,
} from './binance-mapping.js';
export { mapCandles } from './candle-mapping.js';
export { exchangeUsage } from './retry-after-capture.js';
export {
  BinanceTimeoutError,
  type CallKind,
  DEFAULT_RETRY_AFTER_MS,
  classifyFailure,
  retryAfterFromMessage,
} from './failure-classification.js';
export { Bad, type Mapped, type Obj, arr, attempt, bool, dec, decOrNumber, id, int, lot, obj, text } from './wire-readers.js';
