import type { ExecutionReport } from '../../domain/index.js';

interface Remembered {
  readonly symbol: string;
  readonly clientOrderId: string;
  reports: ExecutionReport[];
  /** Forgotten: its slot in the queue is skipped (and cleared out) without a lookup. */
  gone: boolean;
}

/**
 * Each order's trade reports as the paper venue emitted them, by symbol and client order id, for `orderTrades`; the
 * oldest order first remembered goes once more than `limit` are held. Keyed by the two strings as they come (no key
 * string built per fill), with the first-remembered order kept in a queue: an order forgotten and remembered again
 * goes to its end, as a Map's insertion order would have it.
 */
export class TradeMemory {
  private readonly bySymbol = new Map<string, Map<string, Remembered>>();
  /** Every order remembered, oldest first; entries forgotten since stay until the cursor passes them. */
  private queue: Remembered[] = [];
  private head = 0;
  private held = 0;
  /** Entries of the queue forgotten by `forget` (not yet passed by the cursor): cleared out once they are most of it. */
  private dead = 0;

  constructor(private readonly limit: number) {}

  reports(symbol: string, clientOrderId: string): readonly ExecutionReport[] | undefined {
    return this.bySymbol.get(symbol)?.get(clientOrderId)?.reports;
  }

  /** Forgets an order's reports (its client id is used again: the new order's trades start afresh). */
  forget(symbol: string, clientOrderId: string): void {
    const orders = this.bySymbol.get(symbol);
    const r = orders?.get(clientOrderId);
    if (orders === undefined || r === undefined) return;
    orders.delete(clientOrderId);
    r.reports = [];
    r.gone = true;
    this.held--;
    if (++this.dead > 4096 && this.dead * 2 > this.queue.length - this.head) this.compact();
  }

  remember(report: ExecutionReport): void {
    let orders = this.bySymbol.get(report.symbol);
    if (orders === undefined) {
      orders = new Map();
      this.bySymbol.set(report.symbol, orders);
    }
    const known = orders.get(report.clientOrderId);
    if (known !== undefined) {
      known.reports.push(report);
      return;
    }
    const r: Remembered = { symbol: report.symbol, clientOrderId: report.clientOrderId, reports: [report], gone: false };
    orders.set(report.clientOrderId, r);
    this.queue.push(r);
    if (++this.held > this.limit) this.forgetOldest();
  }

  private forgetOldest(): void {
    while (this.head < this.queue.length) {
      const r = this.queue[this.head++] as Remembered;
      if (r.gone) {
        this.dead--;
        continue;
      }
      this.bySymbol.get(r.symbol)?.delete(r.clientOrderId);
      r.gone = true;
      this.held--;
      break;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Drops the forgotten entries from the queue, keeping the order of the rest. */
  private compact(): void {
    const live: Remembered[] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const r = this.queue[i] as Remembered;
      if (!r.gone) live.push(r);
    }
    this.queue = live;
    this.head = 0;
    this.dead = 0;
  }
}
