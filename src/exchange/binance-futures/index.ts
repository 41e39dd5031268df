export { BinanceFuturesGateway } from './binance-futures-gateway.js';
export { BINANCE_FUTURES_LIVE, BINANCE_FUTURES_TESTNET, type FuturesEndpoints } from './futures-urls.js';
export { classifyFuturesFailure } from './futures-failure-classification.js';
export { mapFuturesExchangeInfo } from './exchange-info-mapping.js';
export { mapFuturesUserEvent } from './user-event-mapping.js';
export { mapBrackets, mapFuturesTime, mapIncome, mapPositionRisk, mapPremiumIndex } from './account-mapping.js';
