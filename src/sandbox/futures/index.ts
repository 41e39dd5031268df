export { DEFAULT_FUNDING_RATE, FuturesMarket, FUNDING_RATE_CAP, INTEREST_RATE } from './futures-market.js';
export type { ContractTerms, FundingHistoryRow, FuturesMarketOptions } from './futures-market.js';
export { DEFAULT_FUTURES_FEES, FuturesEngine, type FuturesEngineOptions } from './futures-engine.js';
export { AnnouncedFuturesVenue } from './announced-venue.js';
export { bracketsFor } from './default-brackets.js';
export { type FuturesSnapshot, decodeFuturesSnapshot, encodeFuturesState } from './futures-snapshot.js';
export type * from './types.js';
