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
    const side = o.side === 'BUY' ? this.bids : this.asks;
    const at = insertionPoint(side, o.price, o.side === 'BUY');
    // Moved up by hand rather than spliced: splice returns an array (of nothing removed) on every order.
    side.push(o);
    for (let i = side.length - 1; i > at; i--) side[i] = side[i - 1] as VenueOrder;
    side[at] = o;
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
 * Bids ascend (first index with price >= p); asks descend (first index with price <= p). Searched from the best end:
 * a grid re-arms next to the market, where a new order lands among the last few, and a side holds a few dozen orders.
 */
function insertionPoint(side: readonly VenueOrder[], price: Fixed, ascending: boolean): number {
  let at = side.length;
  if (ascending) while (at > 0 && !((side[at - 1] as VenueOrder).price < price)) at--;
  else while (at > 0 && !((side[at - 1] as VenueOrder).price > price)) at--;
  return at;
}
