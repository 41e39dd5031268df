/**
 * Technical indicators for `/ta` and volatility advice for grids: pure functions over candles, computed by the
 * trading-signals library in float64. A float becomes a price only through `indicatorPrice` (explicit tick rounding).
 */
export { computeIndicators, indicatorLines } from './compute-indicators.js';
export type { IndicatorOutcome } from './indicator-report.js';
export { indicatorPrice } from './float-price.js';
export { volatilityAdvice, type VolatilityAdvice } from './volatility-advice.js';
