import {
  type ExecutionReport,
  type Fixed,
  type Instrument,
  type OrderEvent,
  type OrderRecord,
  type OrderSent,
  type OrderStatus,
  type OrderSubmissionFailed,
  ZERO,
  feeInQuote,
  isTerminal,
  transition,
} from '../domain/index.js';
import type { Component, Kernel } from '../engine/index.js';

/** Maps Binance's status to ours; FILLED and PARTIALLY_FILLED only count once the fills themselves are booked. */
function statusOf(report: ExecutionReport): OrderStatus {
  switch (report.status) {
    case 'NEW':
      return 'accepted';
    case 'PARTIALLY_FILLED':
      return 'partially_filled';
    case 'FILLED':
      return 'filled';
    case 'CANCELED':
      return 'canceled';
    case 'REJECTED':
      return 'rejected';
    case 'EXPIRED':
    case 'EXPIRED_IN_MATCH':
      return 'expired';
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Tracked {
  /** Changed in place (one order's record is only ever touched here); readers see it as readonly. */
  readonly record: Mutable<OrderRecord>;
  /** Trade ids already booked, from the first fill on; most orders fill once or twice, so an array beats a Set. */
  tradeIds: number[] | undefined;
}

/** Finished orders kept to recognise late or repeated reports; older ones are forgotten first. */
const TERMINAL_RETENTION = 10_000;

/**
 * The one place order state changes. It turns the venue's reports — which may repeat, arrive late or come twice
 * (stream and REST) — into order events that each happen exactly once: a fill is booked only when the cumulative
 * filled quantity grows, and a status moves only along the domain's transition table.
 */
export class OrderTracker implements Component {
  readonly name = 'order-tracker';
  private readonly orders = new Map<string, Tracked>();
  private finished: string[] = [];
  private finishedHead = 0;
  private openTotal = 0;
  private kernel!: Kernel;

  constructor(private readonly instrument: (symbol: string) => Instrument | undefined) {}

  attach(kernel: Kernel): void {
    this.kernel = kernel;
    kernel.bus.on('OrderSent', (m) => this.onSent(m));
    kernel.bus.on('OrderReported', (m) => this.onReport(m.report));
    kernel.bus.on('OrderSubmissionFailed', (m) => this.onFailed(m));
  }

  get(clientOrderId: string): OrderRecord | undefined {
    return this.orders.get(clientOrderId)?.record;
  }

  /** Orders that may still rest on the venue, including those whose placement outcome is unknown. */
  open(): OrderRecord[] {
    const out: OrderRecord[] = [];
    for (const t of this.orders.values()) if (!isTerminal(t.record.status)) out.push(t.record);
    return out;
  }

  openCount(symbol?: string): number {
    if (symbol === undefined) return this.openTotal;
    let n = 0;
    for (const t of this.orders.values()) {
      if (!isTerminal(t.record.status) && t.record.intent.symbol === symbol) n++;
    }
    return n;
  }

  private onSent(m: OrderSent): void {
    if (this.orders.has(m.clientOrderId)) return;
    const intent = {
      clientOrderId: m.clientOrderId,
      symbol: m.symbol,
      side: m.side,
      type: m.orderType,
      price: m.price,
      quantity: m.quantity,
      owner: m.owner,
      reducesPosition: false,
    };
    const record: Mutable<OrderRecord> = { intent, status: 'new', filledQty: ZERO, filledQuote: ZERO, createdAt: m.time, updatedAt: m.time };
    this.orders.set(m.clientOrderId, { record, tradeIds: undefined });
    this.openTotal++;
  }

  private onFailed(m: OrderSubmissionFailed): void {
    const t = this.orders.get(m.clientOrderId);
    if (!t) return;
    const next = transition(t.record.status, m.outcome);
    if (!next) return;
    const wasOpen = this.isOpen(t);
    t.record.status = next;
    t.record.reason = m.message;
    this.changed(t, wasOpen);
    const base = this.base(t.record);
    const event: OrderEvent =
      m.outcome === 'rejected'
        ? { type: 'OrderRejected', ...base, code: m.code, message: m.message }
        : { type: 'OrderUnknown', ...base, code: m.code, message: m.message };
    this.kernel.bus.publish(event);
  }

  private onReport(r: ExecutionReport): void {
    const t = this.orders.get(r.clientOrderId);
    if (!t) return; // not ours to track here; start-up reconciliation adopts or cancels orphans
    const rec = t.record;
    if (r.trade && r.cumQty > rec.filledQty && !t.tradeIds?.includes(r.trade.tradeId)) {
      this.bookFill(t, r);
      return;
    }
    // A status-only report may not claim fills the bot has not booked yet: those trades are still on their way.
    if (r.cumQty > rec.filledQty) return;
    const next = transition(rec.status, statusOf(r));
    if (!next || next === rec.status) {
      if (r.exchangeOrderId && !rec.exchangeOrderId) {
        rec.exchangeOrderId = r.exchangeOrderId;
        this.changed(t, this.isOpen(t));
      }
      return;
    }
    const wasOpen = this.isOpen(t);
    rec.status = next;
    rec.exchangeOrderId = r.exchangeOrderId || rec.exchangeOrderId;
    this.changed(t, wasOpen);
    switch (next) {
      case 'accepted':
        this.publishAccepted(rec, r.exchangeOrderId);
        return;
      case 'canceled':
        this.kernel.bus.publish({ type: 'OrderCanceled', ...this.base(rec), filledQty: rec.filledQty, reason: r.rejectReason ?? 'canceled' });
        return;
      case 'expired':
        this.kernel.bus.publish({ type: 'OrderExpired', ...this.base(rec), filledQty: rec.filledQty });
        return;
      case 'rejected':
        this.kernel.bus.publish({ type: 'OrderRejected', ...this.base(rec), code: 'VENUE_REJECTED', message: r.rejectReason ?? 'rejected by the venue' });
        return;
      case 'new':
      case 'unknown':
      case 'partially_filled':
      case 'filled':
        // Reached only when fills were already booked by trade reports; the status catches up silently.
        return;
    }
  }

  private bookFill(t: Tracked, r: ExecutionReport): void {
    const trade = r.trade;
    if (!trade) return;
    const rec = t.record;
    const quantity: Fixed = r.cumQty - rec.filledQty;
    const quote: Fixed = r.cumQuote - rec.filledQuote;
    const complete = r.cumQty >= rec.intent.quantity || r.status === 'FILLED';
    const next = transition(rec.status, complete ? 'filled' : 'partially_filled') ?? rec.status;
    if (t.tradeIds === undefined) t.tradeIds = [trade.tradeId];
    else t.tradeIds.push(trade.tradeId);
    const wasOpen = this.isOpen(t);
    rec.status = next;
    rec.filledQty = r.cumQty;
    rec.filledQuote = r.cumQuote;
    rec.exchangeOrderId = r.exchangeOrderId || rec.exchangeOrderId;
    this.changed(t, wasOpen);
    const inst = this.instrument(r.symbol);
    const feeQuote = inst ? feeInQuote(inst, trade.commission, trade.commissionAsset, trade.price) : undefined;
    // The fill path's one event: built field by field (a spread of a base object costs an allocation and a copy).
    const { clientOrderId, symbol, side, owner } = rec.intent;
    this.kernel.bus.publish({
      type: 'OrderFilled',
      clientOrderId,
      symbol,
      side,
      owner,
      time: rec.updatedAt,
      tradeId: trade.tradeId,
      price: trade.price,
      quantity,
      quote,
      commission: trade.commission,
      commissionAsset: trade.commissionAsset,
      isMaker: trade.isMaker,
      cumQty: r.cumQty,
      complete,
      feeQuote: feeQuote ?? ZERO,
    });
  }

  /** Every order is accepted once: built field by field, without the base object and spread of the rarer events. */
  private publishAccepted(rec: OrderRecord, exchangeOrderId: string): void {
    const { clientOrderId, symbol, side, owner } = rec.intent;
    this.kernel.bus.publish({ type: 'OrderAccepted', clientOrderId, symbol, side, owner, time: rec.updatedAt, exchangeOrderId });
  }

  private isOpen(t: Tracked): boolean {
    return !isTerminal(t.record.status);
  }

  /** Stamps a change the caller has written into the record, and retires the order if it has just ended. */
  private changed(t: Tracked, wasOpen: boolean): void {
    t.record.updatedAt = this.kernel.clock.now();
    if (wasOpen && isTerminal(t.record.status)) this.retire(t.record.intent.clientOrderId);
  }

  /** Counts an order out of the open set and forgets the oldest finished ones beyond the retention. */
  private retire(clientOrderId: string): void {
    this.openTotal--;
    this.finished.push(clientOrderId);
    while (this.finished.length - this.finishedHead > TERMINAL_RETENTION) {
      const oldest = this.finished[this.finishedHead++] as string;
      const t = this.orders.get(oldest);
      if (t && isTerminal(t.record.status)) this.orders.delete(oldest);
    }
    if (this.finishedHead > 4096 && this.finishedHead * 2 > this.finished.length) {
      this.finished = this.finished.slice(this.finishedHead);
      this.finishedHead = 0;
    }
  }

  private base(rec: OrderRecord) {
    return {
      clientOrderId: rec.intent.clientOrderId,
      symbol: rec.intent.symbol,
      side: rec.intent.side,
      owner: rec.intent.owner,
      time: this.kernel.clock.now(),
    };
  }
}
