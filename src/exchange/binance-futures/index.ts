export { BinanceFuturesGateway, type BinanceFuturesGatewayOptions } from './binance-futures-gateway.js';
export type { FuturesClient, FuturesClientOptions } from './futures-client.js';
export { BINANCE_FUTURES_LIVE, BINANCE_FUTURES_TESTNET, type FuturesEndpoints } from './futures-urls.js';
export { classifyFuturesFailure } from './futures-failure-classification.js';
export { type SkippedContract, mapFuturesExchangeInfo } from './exchange-info-mapping.js';
export { mapFuturesOpenOrders, mapFuturesOrder, mapFuturesOrderTrades } from './order-mapping.js';
export { type FuturesUserEvent, mapFuturesUserEvent } from './user-event-mapping.js';
export {
  mapBrackets,
  mapCommissionRate,
  mapDualSidePosition,
  mapFuturesAccount,
  mapFuturesTime,
  mapIncome,
  mapLeverage,
  mapPositionRisk,
  mapPremiumIndex,
} from './account-mapping.js';
