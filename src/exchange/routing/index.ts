export { MarketRouter, type MarketRouterOptions } from './market-router.js';
export { isVenueClosure } from './futures-report-mapping.js';
