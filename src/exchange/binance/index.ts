export { BinanceGateway, type BinanceGatewayOptions, DEFAULT_REQUEST_TIMEOUT_MS } from './binance-gateway.js';
export { type ApiRestrictions, mapApiRestrictions } from './api-restrictions.js';
export {
  API_RESTRICTIONS_PATH,
  type BinanceClient,
  type BinanceClientOptions,
  type BinanceOrderParams,
  type BinanceOrderRef,
  createBinanceClient,
} from './binance-client.js';
export { BINANCE_LIVE, BINANCE_TESTNET, type BinanceEndpoints } from './binance-urls.js';
export {
  type BinanceRateLimit,
  type ExchangeInfo,
  type MappingProblem,
  type SkippedSymbol,
  type UserEvent,
  mapAccountBalances,
  mapCanceledOrders,
  mapExchangeInfo,
  mapOpenOrders,
  mapOrderTrades,
  mapRestOrder,
  mapServerTime,
  mapUserEvent,
} from './binance-mapping.js';
export {
  BinanceTimeoutError,
  type CallKind,
  DEFAULT_RETRY_AFTER_MS,
  classifyFailure,
  retryAfterFromMessage,
} from './failure-classification.js';
