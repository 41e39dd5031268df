export { DEFAULT_FEES, MatchingEngine } from './matching-engine.js';
export type { MatchingSnapshot, OrderSnapshot } from './snapshot.js';
export { binanceOrderType } from './types.js';
export type {
  BinanceOrderType,
  Canceled,
  FeeRates,
  MatchingConfig,
  NewOrder,
  OrderRef,
  Placed,
  VenueEvent,
  VenueRejection,
  VenueReport,
} from './types.js';
