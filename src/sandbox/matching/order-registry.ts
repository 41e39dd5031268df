import type { OrderRef, VenueOrder } from './types.js';

/**
 * Finds orders by venue id or client id: every open order, plus the most recent terminal ones (bounded, oldest
 * forgotten first). A client id names at most one open order; after that order ends the id may be used again, and a
 * lookup by client id prefers the open order, then the latest terminal one, as Binance does.
 *
 * One map per key holds open and remembered terminal orders alike, so an order that ends stays where it is: every
 * fill that completes an order would otherwise move it between maps (two deletes and two inserts on large maps).
 * A client id's entry is its open order if it has one, else its latest terminal one, which is exactly the lookup rule.
 */
export class OrderRegistry {
  private readonly byId = new Map<number, VenueOrder>();
  private readonly byClient = new Map<string, VenueOrder>();
  /** Terminal orders oldest first; a cursor instead of shifting, and no Map iteration (which slows after many deletes). */
  private doneOrder: VenueOrder[] = [];
  private doneHead = 0;

  constructor(private readonly recentLimit: number) {}

  addOpen(o: VenueOrder): void {
    this.byId.set(o.orderId, o);
    // Replaces a terminal order under the same client id: the open one is what a lookup must find from now on.
    this.byClient.set(o.clientOrderId, o);
  }

  /** Remembers an order added with `addOpen` that has just reached a terminal status. */
  close(o: VenueOrder): void {
    this.remember(o);
  }

  /** Records a terminal order (used when restoring a snapshot). */
  addDone(o: VenueOrder): void {
    this.byId.set(o.orderId, o);
    const current = this.byClient.get(o.clientOrderId);
    if (current === undefined || !isOpen(current)) this.byClient.set(o.clientOrderId, o);
    this.remember(o);
  }

  isOpenClientId(clientOrderId: string): boolean {
    const o = this.byClient.get(clientOrderId);
    return o !== undefined && isOpen(o);
  }

  findOpen(ref: OrderRef): VenueOrder | undefined {
    const o = this.find(ref);
    return o !== undefined && isOpen(o) ? o : undefined;
  }

  find(ref: OrderRef): VenueOrder | undefined {
    return 'clientOrderId' in ref ? this.byClient.get(ref.clientOrderId) : this.byId.get(toId(ref.orderId));
  }

  /** Open orders, oldest first. */
  *open(): IterableIterator<VenueOrder> {
    for (const o of this.byId.values()) if (isOpen(o)) yield o;
  }

  /** Terminal orders still remembered, oldest first. */
  *done(): IterableIterator<VenueOrder> {
    for (let i = this.doneHead; i < this.doneOrder.length; i++) yield this.doneOrder[i] as VenueOrder;
  }

  /** Queues a terminal order for forgetting and forgets the oldest beyond the limit. */
  private remember(o: VenueOrder): void {
    this.doneOrder.push(o);
    while (this.doneOrder.length - this.doneHead > this.recentLimit) {
      const oldest = this.doneOrder[this.doneHead++] as VenueOrder;
      if (this.byId.get(oldest.orderId) === oldest) this.byId.delete(oldest.orderId);
      if (this.byClient.get(oldest.clientOrderId) === oldest) this.byClient.delete(oldest.clientOrderId);
    }
    if (this.doneHead > 4096 && this.doneHead * 2 > this.doneOrder.length) {
      this.doneOrder = this.doneOrder.slice(this.doneHead);
      this.doneHead = 0;
    }
  }
}

function isOpen(o: VenueOrder): boolean {
  return o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
}

/** Venue ids travel as decimal strings; anything else names no order. */
function toId(orderId: string): number {
  return /^\d{1,15}$/.test(orderId) ? Number(orderId) : -1;
}
