import type { Fixed, Instrument } from '../../domain/index.js';
import type { VenueOrder } from './types.js';

/** Marks an empty side or a symbol with no trade yet; real prices are positive. */
export const NONE: Fixed = -1n;

/**
 * One symbol's resting orders and last trade. Each side is a sorted array with its best order LAST, so a fill removes
 * with pop() and the per-tick test reads two cached prices:
 * bids by price ascending then newest first, asks by price descending then newest first.
 */
export class SymbolBook {
  readonly bids: VenueOrder[] = [];
  readonly asks: VenueOrder[] = [];
  bestBid: Fixed = NONE;
  bestAsk: Fixed = NONE;
  last: Fixed = NONE;

  constructor(readonly instrument: Instrument) {}

  /** Whether a trade at `price` goes through any resting order (strictly: a trade at the limit is not enough). */
  crosses(price: Fixed): boolean {
    return price < this.bestBid || (this.bestAsk !== NONE && price > this.bestAsk);
  }

  /** Inserts a resting order; it must be newer than every order already here (ids only grow). */
  insert(o: VenueOrder): void {
    if (o.side === 'BUY') {
      this.bids.splice(lowerBound(this.bids, o.price, true), 0, o);
    } else {
      this.asks.splice(lowerBound(this.asks, o.price, false), 0, o);
    }
    this.refresh();
  }

  remove(o: VenueOrder): boolean {
    const side = o.side === 'BUY' ? this.bids : this.asks;
    const at = side.indexOf(o);
    if (at < 0) return false;
    side.splice(at, 1);
    this.refresh();
    return true;
  }

  count(): number {
    return this.bids.length + this.asks.length;
  }

  refresh(): void {
    this.bestBid = this.bids.length > 0 ? (this.bids[this.bids.length - 1] as VenueOrder).price : NONE;
    this.bestAsk = this.asks.length > 0 ? (this.asks[this.asks.length - 1] as VenueOrder).price : NONE;
  }
}

/**
 * The index before every order at `price` or worse-placed, so a new order queues behind older ones at its price.
 * Bids ascend (first index with price >= p); asks descend (first index with price <= p).
 */
function lowerBound(side: readonly VenueOrder[], price: Fixed, ascending: boolean): number {
  let lo = 0;
  let hi = side.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const p = (side[mid] as VenueOrder).price;
    if (ascending ? p < price : p > price) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
