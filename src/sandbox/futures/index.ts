export { FuturesMarket, FUNDING_RATE_CAP, INTEREST_RATE } from './futures-market.js';
export type { ContractTerms, FundingHistoryRow, FuturesMarketOptions } from './futures-market.js';
export type * from './types.js';
