export * from './brackets.js';
export * from './position.js';
export * from './margin.js';
export * from './liquidation.js';
export { nextFundingTime, isFundingTime, fundingTimesBetween } from './funding-schedule.js';
export { FUNDING_FEE_ROUNDING, fundingWalletChange } from './funding-fee.js';
export { FundingRateSeries, parseFundingRateCsv, constantFundingRate } from './funding-rates.js';
export { TapeMarkPrice } from './mark-price.js';
export { PERPETUAL_SUFFIX, isPerpetual, perpetualSymbol, venueSymbol } from './perpetual-symbol.js';
