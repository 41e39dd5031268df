import type { OrderRef, VenueOrder } from './types.js';

/**
 * Finds orders by venue id or client id: every open order, plus the most recent terminal ones (bounded, oldest
 * forgotten first). A client id names at most one open order; after that order ends the id may be used again, and a
 * lookup by client id prefers the open order, then the latest terminal one, as Binance does.
 */
export class OrderRegistry {
  private readonly openById = new Map<number, VenueOrder>();
  private readonly openByClient = new Map<string, VenueOrder>();
  private readonly doneById = new Map<number, VenueOrder>();
  private readonly doneByClient = new Map<string, VenueOrder>();
  /** Terminal orders oldest first; a cursor instead of shifting, and no Map iteration (which slows after many deletes). */
  private doneOrder: VenueOrder[] = [];
  private doneHead = 0;

  constructor(private readonly recentLimit: number) {}

  addOpen(o: VenueOrder): void {
    this.openById.set(o.orderId, o);
    this.openByClient.set(o.clientOrderId, o);
  }

  /** Moves an order that has reached a terminal status out of the open set. */
  close(o: VenueOrder): void {
    if (this.openById.get(o.orderId) === o) {
      this.openById.delete(o.orderId);
      this.openByClient.delete(o.clientOrderId);
    }
    this.addDone(o);
  }

  /** Records a terminal order (also used when restoring a snapshot). */
  addDone(o: VenueOrder): void {
    this.doneById.set(o.orderId, o);
    this.doneByClient.set(o.clientOrderId, o);
    this.doneOrder.push(o);
    while (this.doneById.size > this.recentLimit && this.doneHead < this.doneOrder.length) {
      const oldest = this.doneOrder[this.doneHead++] as VenueOrder;
      if (this.doneById.get(oldest.orderId) === oldest) this.doneById.delete(oldest.orderId);
      if (this.doneByClient.get(oldest.clientOrderId) === oldest) this.doneByClient.delete(oldest.clientOrderId);
    }
    if (this.doneHead > 4096 && this.doneHead * 2 > this.doneOrder.length) {
      this.doneOrder = this.doneOrder.slice(this.doneHead);
      this.doneHead = 0;
    }
  }

  isOpenClientId(clientOrderId: string): boolean {
    return this.openByClient.has(clientOrderId);
  }

  findOpen(ref: OrderRef): VenueOrder | undefined {
    return 'clientOrderId' in ref ? this.openByClient.get(ref.clientOrderId) : this.openById.get(toId(ref.orderId));
  }

  find(ref: OrderRef): VenueOrder | undefined {
    if ('clientOrderId' in ref) return this.openByClient.get(ref.clientOrderId) ?? this.doneByClient.get(ref.clientOrderId);
    const id = toId(ref.orderId);
    return this.openById.get(id) ?? this.doneById.get(id);
  }

  /** Open orders, oldest first. */
  open(): IterableIterator<VenueOrder> {
    return this.openById.values();
  }

  /** Terminal orders still remembered, oldest first. */
  done(): IterableIterator<VenueOrder> {
    return this.doneById.values();
  }
}

/** Venue ids travel as decimal strings; anything else names no order. */
function toId(orderId: string): number {
  return /^\d{1,15}$/.test(orderId) ? Number(orderId) : -1;
}
