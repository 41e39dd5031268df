export { DEFAULT_FEES, DEFAULT_STARTING_BALANCES, MatchingEngine } from './matching-engine.js';
export type { MatchingSnapshot, OrderSnapshot } from './snapshot.js';
export type {
  Canceled,
  FeeRates,
  MatchingConfig,
  NewOrder,
  OrderRef,
  Placed,
  VenueEvent,
  VenueOrder,
  VenueRejection,
} from './types.js';
