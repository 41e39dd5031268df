export * from './grid-types.js';
export { MAX_GRID_LEVELS, MAX_SPACING_PCT, validateGridParams } from './grid-params.js';
export { type GridPreviewInput, buildGridPreview, gridLevelPrices, levelNotional, marketStep } from './ladder.js';
export { profitPerGrid } from './ladder-profit.js';
export { type ClosedPart, type Lot, closeLots, feeShare } from './round-trip-book.js';
export { GridStrategy, type GridStrategyOptions } from './grid-strategy.js';
export {
  GRID_SNAPSHOT_VERSION,
  type GridOrderSnapshot,
  type GridSnapshot,
  type HeldIntentSnapshot,
  type LotSnapshot,
} from './grid-snapshot.js';
export type { OrderRole } from './grid-state.js';
