export * from './grid-types.js';
export { MAX_GRID_LEVELS, MAX_RANGE_GRIDS, MAX_SPACING_PCT, MIN_RANGE_GRIDS, validateGridParams } from './grid-params.js';
export { type GridPreviewInput, buildGridPreview } from './ladder.js';
export { type FuturesPreviewInput, MAX_FUTURES_LEVERAGE, buildFuturesGridPreview } from './futures-preview.js';
export { GridStrategy } from './grid-strategy.js';
export type { GridSnapshot } from './grid-snapshot.js';
export { holdCauseText } from './held-levels.js';
export { baseFromHoldings } from './holdings.js';
export { linePrice } from './trail-lines.js';
