import {
  type ExecutionReport,
  type Fixed,
  type Instrument,
  type OrderEvent,
  type OrderIntent,
  type OrderRecord,
  type OrderSent,
  type OrderStatus,
  type OrderSubmissionFailed,
  ZERO,
  feeValueInQuote,
  isTerminal,
  transition,
} from '../domain/index.js';
import type { Component, ComponentContext } from '../engine/index.js';

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
  /** Where the order entered the terminal retention (a count that only grows); undefined while it is open. */
  retiredSeq: number | undefined;
}

/**
 * A record and its tracking as an order is sent, built by constructors rather than as object literals: V8 pretenures a
 * literal's allocation site once most of its objects outlive a young collection (an order's record does), and on the
 * fill path allocating pretenured objects cost more than the young collections they spare.
 */
class SentRecord implements Mutable<OrderRecord> {
  readonly intent: OrderIntent;
  status: OrderStatus = 'new';
  // Named from the start: added at the acceptance it would cost a property store.
  exchangeOrderId: string | undefined = undefined;
  filledQty: Fixed = ZERO;
  filledQuote: Fixed = ZERO;
  readonly createdAt: number;
  updatedAt: number;

  constructor(intent: OrderIntent, time: number) {
    this.intent = intent;
    this.createdAt = time;
    this.updatedAt = time;
  }
}

class SentOrder implements Tracked {
  readonly record: Mutable<OrderRecord>;
  tradeIds: number[] | undefined = undefined;
  retiredSeq: number | undefined = undefined;

  constructor(record: Mutable<OrderRecord>) {
    this.record = record;
  }
}

/** One order as saved across a restart: plain data (no undefined values), so any store can serialise it. */
export interface TrackedOrderSnapshot {
  readonly version: 1;
  readonly record: OrderRecord;
  /** Trade ids already booked for it, so a trade reported again after the restart is not booked twice. */
  readonly tradeIds: readonly number[];
  /** True when the order is finished and kept only to recognise late or repeated reports. */
  readonly retained: boolean;
  /** Its place in the retention (older ones are forgotten first); present only when retained. */
  readonly retiredSeq?: number;
}

/**
 * How long finished orders are kept to recognise late or repeated reports: the oldest go first once they number more
 * than `maxCount`, or once they ended more than `maxAgeMs` ago on the bot's clock (so a replay at speed honours it).
 */
export interface FinishedOrderRetention {
  readonly maxAgeMs: number;
  readonly maxCount: number;
}

/** The settings' defaults (FINISHED_ORDERS_KEEP_DAYS, FINISHED_ORDERS_KEEP_MAX). */
const FINISHED_ORDER_RETENTION: FinishedOrderRetention = { maxAgeMs: 7 * 86_400_000, maxCount: 10_000 };

/**
 * The one place order state changes. It turns the venue's reports — which may repeat, arrive late or come twice
 * (stream and REST) — into order events that each happen exactly once: a fill is booked only when the cumulative
 * filled quantity grows, and a status moves only along the domain's transition table.
 */
export class OrderTracker implements Component {
  readonly name = 'order-tracker';
  private readonly orders = new Map<string, Tracked>();
  /** The order sent last, while held: the venue's acceptance of it is the report that comes next, found without a lookup. */
  private lastId: string | undefined;
  private last: Tracked | undefined;
  /** Finished orders in retirement order, as held (not by id: the oldest is read on every retirement). */
  private finished: Tracked[] = [];
  private finishedHead = 0;
  /** Finished orders dropped from retention since the store last asked, so it drops them too. */
  private forgotten: string[] = [];
  private openTotal = 0;
  private retiredCount = 0;
  private ctx!: ComponentContext;
  /** The bot's clock once attached: finished orders age on it. */
  private now: (() => number) | undefined;

  /**
   * `priceOf` values a commission paid in a third asset (BNB) in the symbol's quote asset, from the markets watched;
   * without it, or when it knows no price, such a fee leaves with feeQuote 0 and the portfolio tells it as unvalued.
   */
  constructor(
    private readonly instrument: (symbol: string) => Instrument | undefined,
    private readonly priceOf: (asset: string, quote: string) => Fixed | undefined = () => undefined,
    private readonly retention: FinishedOrderRetention = FINISHED_ORDER_RETENTION,
  ) {}

  attach(ctx: ComponentContext): void {
    this.ctx = ctx;
    this.now = () => ctx.clock.now();
    ctx.bus.on('OrderSent', (m) => this.onSent(m));
    ctx.bus.on('OrderReported', (m) => this.onReport(m.report));
    ctx.bus.on('OrderSubmissionFailed', (m) => this.onFailed(m));
  }

  /**
   * The ids forgotten since the last call (the state store deletes them from Redis). Asked at every state write, so
   * finished orders also age out while none ends.
   */
  takeForgotten(): string[] {
    this.trimFinished();
    const out = this.forgotten;
    this.forgotten = [];
    return out;
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

  /** Every order held, open and finished-but-retained, so a store can save them all and drop the ones forgotten. */
  orderIds(): string[] {
    return [...this.orders.keys()];
  }

  exportOrder(clientOrderId: string): TrackedOrderSnapshot | undefined {
    const t = this.orders.get(clientOrderId);
    if (t === undefined) return undefined;
    return {
      version: 1,
      record: plainRecord(t.record),
      tradeIds: t.tradeIds === undefined ? [] : [...t.tradeIds],
      retained: t.retiredSeq !== undefined,
      ...(t.retiredSeq !== undefined ? { retiredSeq: t.retiredSeq } : {}),
    };
  }

  /**
   * Puts back orders saved before a restart, replacing any held under the same id, and publishes nothing: their
   * events happened before the restart. Fills missed while down then arrive as ordinary reports (reconciliation),
   * which book only the trades not in the saved trade ids and only the quantity beyond the saved cumulative fill.
   * Meant for a fresh tracker, before any order flows; several calls add up.
   */
  importOrders(snapshots: readonly TrackedOrderSnapshot[]): void {
    for (const s of snapshots) {
      if (s.version !== 1) throw new Error(`unknown order snapshot version ${String(s.version)}`);
      const record: Mutable<OrderRecord> = plainRecord(s.record);
      const terminal = isTerminal(record.status);
      // A finished order saved without a place in the retention goes to its end, in the order given.
      const retiredSeq = terminal ? (s.retiredSeq ?? this.retiredCount + 1) : undefined;
      if (retiredSeq !== undefined && retiredSeq > this.retiredCount) this.retiredCount = retiredSeq;
      const tradeIds = s.tradeIds.length === 0 ? undefined : [...s.tradeIds];
      this.orders.set(record.intent.clientOrderId, { record, tradeIds, retiredSeq });
      if (record.intent.clientOrderId === this.lastId) this.forgetLast();
    }
    this.rebuildCounts();
  }

  private onSent(m: OrderSent): void {
    if (this.orders.has(m.clientOrderId)) return;
    // The intent as sent, whole: a placement queued again (after a restart, or Redis coming back) must be the same order.
    const t: Tracked = new SentOrder(new SentRecord(m.intent, m.time));
    this.orders.set(m.clientOrderId, t);
    this.lastId = m.clientOrderId;
    this.last = t;
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
    this.ctx.bus.publish(event);
  }

  private onReport(r: ExecutionReport): void {
    const t = r.clientOrderId === this.lastId ? this.last : this.orders.get(r.clientOrderId);
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
        this.ctx.bus.publish({ type: 'OrderCanceled', ...this.base(rec), filledQty: rec.filledQty, reason: r.rejectReason ?? 'canceled' });
        return;
      case 'expired':
        this.ctx.bus.publish({ type: 'OrderExpired', ...this.base(rec), filledQty: rec.filledQty });
        return;
      case 'rejected':
        this.ctx.bus.publish({
          type: 'OrderRejected',
          ...this.base(rec),
          code: 'VENUE_REJECTED',
          message: r.rejectReason ?? 'rejected by the venue',
        });
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
    // An order's first fill (most fills) is its cumulative figures themselves: no subtraction from zero.
    const quantity: Fixed = rec.filledQty === ZERO ? r.cumQty : r.cumQty - rec.filledQty;
    const quote: Fixed = rec.filledQuote === ZERO ? r.cumQuote : r.cumQuote - rec.filledQuote;
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
    const feeQuote = inst ? feeValueInQuote(inst, trade.commission, trade.commissionAsset, trade.price, this.priceOf) : undefined;
    // The fill path's one event: built field by field (a spread of a base object costs an allocation and a copy).
    const { clientOrderId, symbol, side, owner } = rec.intent;
    this.ctx.bus.publish({
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
    this.ctx.bus.publish({ type: 'OrderAccepted', clientOrderId, symbol, side, owner, time: rec.updatedAt, exchangeOrderId });
  }

  private isOpen(t: Tracked): boolean {
    return !isTerminal(t.record.status);
  }

  /** Stamps a change the caller has written into the record, and retires the order if it has just ended. */
  private changed(t: Tracked, wasOpen: boolean): void {
    t.record.updatedAt = this.ctx.clock.now();
    if (wasOpen && isTerminal(t.record.status)) this.retire(t);
  }

  /** Counts an order out of the open set and forgets the oldest finished ones beyond the retention. */
  private retire(t: Tracked): void {
    this.openTotal--;
    t.retiredSeq = ++this.retiredCount;
    this.finished.push(t);
    this.trimFinished();
  }

  /** Forgets finished orders beyond the count, then those that ended before the age; never an open or unknown one. */
  private trimFinished(): void {
    // Before the host attaches (an import into a bare tracker) only the count applies.
    const cutoff = this.now === undefined ? -Infinity : this.now() - this.retention.maxAgeMs;
    while (this.finishedHead < this.finished.length) {
      const t = this.finished[this.finishedHead] as Tracked;
      const over = this.finished.length - this.finishedHead > this.retention.maxCount;
      // Ended in retirement order, so the first one young enough ends the pass (a clock set back only delays it).
      if (!over && t.record.updatedAt >= cutoff) break;
      this.finishedHead++;
      const id = t.record.intent.clientOrderId;
      if (isTerminal(t.record.status) && this.orders.get(id) === t) {
        this.orders.delete(id);
        if (id === this.lastId) this.forgetLast();
        this.forgotten.push(id);
      }
    }
    if (this.finishedHead > 4096 && this.finishedHead * 2 > this.finished.length) {
      this.finished = this.finished.slice(this.finishedHead);
      this.finishedHead = 0;
    }
  }

  private forgetLast(): void {
    this.lastId = undefined;
    this.last = undefined;
  }

  /** Recounts the open orders and reorders the retention after an import (once per restart, so a full pass is fine). */
  private rebuildCounts(): void {
    this.openTotal = 0;
    const retained: Tracked[] = [];
    for (const t of this.orders.values()) {
      if (!isTerminal(t.record.status)) this.openTotal++;
      else retained.push(t);
    }
    retained.sort((a, b) => (a.retiredSeq ?? 0) - (b.retiredSeq ?? 0));
    this.finished = retained;
    this.finishedHead = 0;
    this.trimFinished();
  }

  private base(rec: OrderRecord) {
    return {
      clientOrderId: rec.intent.clientOrderId,
      symbol: rec.intent.symbol,
      side: rec.intent.side,
      owner: rec.intent.owner,
      time: this.ctx.clock.now(),
    };
  }
}

/** A record with its optional fields left out rather than undefined, and nothing shared with the live one. */
function plainRecord(rec: OrderRecord): OrderRecord {
  const i = rec.intent;
  const intent: OrderIntent = {
    clientOrderId: i.clientOrderId,
    symbol: i.symbol,
    side: i.side,
    type: i.type,
    ...(i.price !== undefined ? { price: i.price } : {}),
    quantity: i.quantity,
    ...(i.timeInForce !== undefined ? { timeInForce: i.timeInForce } : {}),
    owner: i.owner.kind === 'grid' ? { kind: 'grid', gridId: i.owner.gridId } : { kind: 'manual' },
    reducesPosition: i.reducesPosition,
  };
  return {
    intent,
    status: rec.status,
    ...(rec.exchangeOrderId !== undefined ? { exchangeOrderId: rec.exchangeOrderId } : {}),
    filledQty: rec.filledQty,
    filledQuote: rec.filledQuote,
    createdAt: rec.createdAt,
    updatedAt: rec.updatedAt,
    ...(rec.reason !== undefined ? { reason: rec.reason } : {}),
  };
}
