import { type Fixed, type Result, type Side, type TimeInForce, failure, fixed, format, ok, parseFixed } from '../../../domain/index.js';
import type { VenueEvent } from '../../matching/index.js';

/** One of the account's fills, as myTrades reports it. */
export interface TradeRecord {
  readonly symbol: string;
  readonly id: number;
  readonly orderId: number;
  readonly side: Side;
  readonly price: Fixed;
  readonly qty: Fixed;
  readonly quoteQty: Fixed;
  readonly commission: Fixed;
  readonly commissionAsset: string;
  readonly time: number;
  readonly isMaker: boolean;
}

/** What the matching core's reports leave out but Binance's order responses carry. */
export interface OrderMeta {
  readonly time: number;
  timeInForce: TimeInForce;
  origQuoteOrderQty: Fixed;
}

type Decimal<T, K extends keyof T> = { readonly [P in keyof T]: P extends K ? string : T[P] };

/** TradeHistory as JSON-safe plain data: money fields as decimal strings. */
export interface TradeHistorySnapshot {
  readonly trades: readonly Decimal<TradeRecord, 'price' | 'qty' | 'quoteQty' | 'commission'>[];
  readonly orders: readonly {
    readonly orderId: number;
    readonly time: number;
    readonly timeInForce: TimeInForce;
    readonly origQuoteOrderQty: string;
  }[];
}

/** Fills kept, and order facts of finished orders kept, by default: the matching core's finished orders (10,000). */
const DEFAULT_HISTORY_LIMIT = 10_000;

/** Which of a restored history's orders still count: those the restored matching core knows (order ids). */
export interface KnownOrders {
  readonly open: readonly number[];
  /** Finished orders the core remembers, oldest first: their facts are forgotten in this order from now on. */
  readonly finished: readonly number[];
}

const isFinished = (status: string) => status !== 'NEW' && status !== 'PARTIALLY_FILLED';

/**
 * The fills and order facts the REST layer needs beyond the matching core, fed from the hub's venue events so orders
 * placed over the WebSocket API are seen too. Bounded, as Binance's own memory is not but a paper account that runs
 * for months must be (its document is saved to Redis after every fill): the last `limit` fills (myTrades answers from
 * them), and the facts of every open order and of the last `limit` finished ones, forgotten in the order they finished,
 * as the matching core forgets the orders themselves (the same limit), so facts live exactly as long as their order.
 */
export class TradeHistory {
  /**
   * Fills oldest first from `tradesHead`: a cursor instead of shifting a long array on every fill; a forgotten fill's
   * slot is emptied at once, and the array compacted once empty slots outnumber kept ones (amortised O(1) a fill).
   */
  private trades: (TradeRecord | undefined)[] = [];
  private tradesHead = 0;
  private readonly meta = new Map<number, OrderMeta>();
  /** Finished orders' ids oldest first from `finishedHead`, whose facts go beyond the limit. */
  private finished: number[] = [];
  private finishedHead = 0;

  constructor(private readonly limit = DEFAULT_HISTORY_LIMIT) {}

  /** Everything recorded, money as decimal strings, so it survives JSON.stringify/parse unchanged. */
  snapshot(): TradeHistorySnapshot {
    return {
      trades: this.kept().map((t) => ({
        ...t,
        price: format(t.price),
        qty: format(t.qty),
        quoteQty: format(t.quoteQty),
        commission: format(t.commission),
      })),
      orders: [...this.meta].map(([orderId, m]) => ({
        orderId,
        time: m.time,
        timeInForce: m.timeInForce,
        origQuoteOrderQty: format(m.origQuoteOrderQty),
      })),
    };
  }

  /**
   * Rebuilds a history from its snapshot, or names the first field that is not what snapshot() writes. Only the last
   * `limit` fills are kept, and the facts of the orders `known` names (a document saved before the bound held more).
   */
  static fromSnapshot(snap: TradeHistorySnapshot, known: KnownOrders, limit = DEFAULT_HISTORY_LIMIT): Result<TradeHistory> {
    const h = new TradeHistory(limit);
    for (const t of snap.trades.slice(-limit)) {
      const price = parseFixed(t.price);
      const qty = parseFixed(t.qty);
      const quoteQty = parseFixed(t.quoteQty);
      const commission = parseFixed(t.commission);
      if (price === undefined || qty === undefined || quoteQty === undefined || commission === undefined) {
        return failure('SNAPSHOT_INVALID', `trade ${t.id} of ${t.symbol} has a field that is not a decimal`);
      }
      h.trades.push({ ...t, price, qty, quoteQty, commission });
    }
    const wanted = new Set([...known.open, ...known.finished]);
    for (const o of snap.orders) {
      const origQuoteOrderQty = parseFixed(o.origQuoteOrderQty);
      if (origQuoteOrderQty === undefined) return failure('SNAPSHOT_INVALID', `order ${o.orderId}: origQuoteOrderQty is not a decimal`);
      if (wanted.has(o.orderId)) h.meta.set(o.orderId, { time: o.time, timeInForce: o.timeInForce, origQuoteOrderQty });
    }
    for (const id of known.finished) h.ended(id);
    return ok(h);
  }

  readonly onVenueEvent = (e: VenueEvent): void => {
    if (e.type !== 'execution') return;
    const r = e.report;
    const orderId = Number(r.exchangeOrderId);
    if (!this.meta.has(orderId)) this.meta.set(orderId, { time: r.orderTime, timeInForce: r.timeInForce, origQuoteOrderQty: 0n });
    // An order reports its end once; the facts of the one that has just ended stay (the placement's answer needs them).
    if (isFinished(r.status)) this.ended(orderId);
    const t = r.trade;
    if (t === undefined) return;
    this.push({
      symbol: r.symbol,
      id: t.tradeId,
      orderId,
      side: r.side,
      price: t.price,
      qty: t.quantity,
      quoteQty: fixed.mul(t.price, t.quantity, 'halfEven'),
      commission: t.commission,
      commissionAsset: t.commissionAsset,
      time: r.time,
      isMaker: t.isMaker,
    });
  };

  orderMeta(orderId: number): OrderMeta | undefined {
    return this.meta.get(orderId);
  }

  private push(t: TradeRecord): void {
    this.trades.push(t);
    if (this.trades.length - this.tradesHead > this.limit) this.trades[this.tradesHead++] = undefined;
    if (this.tradesHead * 2 > this.trades.length) {
      this.trades = this.trades.slice(this.tradesHead);
      this.tradesHead = 0;
    }
  }

  /** Queues a finished order's facts for forgetting, and forgets the oldest beyond the limit. */
  private ended(orderId: number): void {
    this.finished.push(orderId);
    while (this.finished.length - this.finishedHead > this.limit) this.meta.delete(this.finished[this.finishedHead++] as number);
    if (this.finishedHead * 2 > this.finished.length) {
      this.finished = this.finished.slice(this.finishedHead);
      this.finishedHead = 0;
    }
  }

  private kept(): TradeRecord[] {
    return this.trades.slice(this.tradesHead) as TradeRecord[];
  }

  /** Trades of a symbol, oldest first, filtered as myTrades' parameters say. */
  query(q: { symbol: string; orderId?: number; fromId?: number; startTime?: number; endTime?: number; limit: number }): TradeRecord[] {
    const out: TradeRecord[] = [];
    for (let i = this.tradesHead; i < this.trades.length; i++) {
      const t = this.trades[i] as TradeRecord;
      if (t.symbol !== q.symbol) continue;
      if (q.orderId !== undefined && t.orderId !== q.orderId) continue;
      if (q.fromId !== undefined && t.id < q.fromId) continue;
      if (q.startTime !== undefined && t.time < q.startTime) continue;
      if (q.endTime !== undefined && t.time > q.endTime) continue;
      out.push(t);
    }
    // Binance returns the most recent `limit` trades unless fromId pins the start.
    return q.fromId !== undefined ? out.slice(0, q.limit) : out.slice(-q.limit);
  }
}
