export { MarketRouter } from './market-router.js';
