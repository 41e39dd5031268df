import type {
  Fixed,
  OrderAccepted,
  OrderCanceled,
  OrderExpired,
  OrderFilled,
  OrderIntent,
  OrderRejected,
  OrderSubmissionFailed,
  OrderType,
} from '../domain/index.js';
import { ZERO } from '../domain/index.js';

/** The order events that move the ledger. */
export type LedgerEvent = OrderAccepted | OrderFilled | OrderCanceled | OrderRejected | OrderExpired | OrderSubmissionFailed;

/**
 * One counted order. A class, not an object literal: V8 pretenures a literal's allocation site once most of its objects
 * outlive a young collection (an open order's entry does), and on the fill path allocating pretenured objects cost more
 * than the young collections they spare.
 */
class Entry {
  constructor(
    readonly symbol: string,
    readonly type: OrderType,
    readonly asset: string,
    /** Zero once the venue accepted the order (it locks the funds itself and the balance reports show it). */
    public reserved: Fixed,
  ) {}
}

/**
 * The gate's own count of orders it approved that are not done yet, and of the funds those orders will need before the
 * venue locks them. It is updated the moment an order is approved, so a burst of intents inside one bus dispatch (a
 * grid placing its ladder) is counted before any venue answer arrives.
 */
export class ApprovalLedger {
  private readonly entries = new Map<string, Entry>();
  private readonly perSymbol = new Map<string, number>();
  private readonly reservedByAsset = new Map<string, Fixed>();
  private total = 0;
  /**
   * The entry approved last, while it is held: its order is sent and accepted next (OrderSent, then OrderAccepted), so
   * those two find it without a lookup in a map of every open order.
   */
  private lastId: string | undefined;
  private lastEntry: Entry | undefined;

  /**
   * Counts an approved order and reserves `amount` of `asset`. The id must be new to the ledger: the gate denies one it
   * holds (DUPLICATE_ORDER) before approving, so this does not look it up a second time.
   */
  approve(intent: OrderIntent, asset: string, amount: Fixed): void {
    const entry = new Entry(intent.symbol, intent.type, asset, amount);
    this.entries.set(intent.clientOrderId, entry);
    this.lastId = intent.clientOrderId;
    this.lastEntry = entry;
    this.perSymbol.set(intent.symbol, (this.perSymbol.get(intent.symbol) ?? 0) + 1);
    this.total++;
    this.addReserved(asset, amount);
  }

  /** Counts an order that is already open on the venue (found at start-up) without reserving anything. */
  adopt(clientOrderId: string, symbol: string, type: OrderType = 'LIMIT'): void {
    if (this.entryOf(clientOrderId) !== undefined) return;
    this.entries.set(clientOrderId, new Entry(symbol, type, '', ZERO));
    this.perSymbol.set(symbol, (this.perSymbol.get(symbol) ?? 0) + 1);
    this.total++;
  }

  apply(event: LedgerEvent): void {
    switch (event.type) {
      case 'OrderAccepted':
        this.release(this.entryOf(event.clientOrderId));
        return;
      case 'OrderFilled': {
        // A MARKET order is done after its fills (any rest expires); a LIMIT order only when complete.
        const entry = this.entryOf(event.clientOrderId);
        if (entry === undefined) return;
        if (event.complete || entry.type === 'MARKET') this.closeEntry(event.clientOrderId, entry);
        else this.release(entry);
        return;
      }
      case 'OrderCanceled':
      case 'OrderRejected':
      case 'OrderExpired':
        this.close(event.clientOrderId);
        return;
      case 'OrderSubmissionFailed':
        // An unknown outcome may still be a live order: keep counting it until it is settled.
        if (event.outcome === 'rejected') this.close(event.clientOrderId);
        return;
      default: {
        const never: never = event;
        return never;
      }
    }
  }

  openOn(symbol: string): number {
    return this.perSymbol.get(symbol) ?? 0;
  }

  openTotal(): number {
    return this.total;
  }

  reserved(asset: string): Fixed {
    return this.reservedByAsset.get(asset) ?? ZERO;
  }

  has(clientOrderId: string): boolean {
    return this.entryOf(clientOrderId) !== undefined;
  }

  private entryOf(clientOrderId: string): Entry | undefined {
    return clientOrderId === this.lastId ? this.lastEntry : this.entries.get(clientOrderId);
  }

  private release(entry: Entry | undefined): void {
    if (entry === undefined || entry.reserved === ZERO) return;
    this.addReserved(entry.asset, -entry.reserved);
    entry.reserved = ZERO;
  }

  private close(clientOrderId: string): void {
    const entry = this.entryOf(clientOrderId);
    if (entry !== undefined) this.closeEntry(clientOrderId, entry);
  }

  /** Closes an entry already looked up: a fill that completes an order finds it once, not three times. */
  private closeEntry(clientOrderId: string, entry: Entry): void {
    this.release(entry);
    this.entries.delete(clientOrderId);
    if (clientOrderId === this.lastId) {
      this.lastId = undefined;
      this.lastEntry = undefined;
    }
    const n = (this.perSymbol.get(entry.symbol) ?? 1) - 1;
    if (n > 0) this.perSymbol.set(entry.symbol, n);
    else this.perSymbol.delete(entry.symbol);
    this.total--;
  }

  private addReserved(asset: string, amount: Fixed): void {
    if (amount === ZERO) return;
    // A zero total stays in the map: every order reserves and releases, so deleting would churn the map per order,
    // and the assets an account trades are few.
    this.reservedByAsset.set(asset, (this.reservedByAsset.get(asset) ?? ZERO) + amount);
  }
}
