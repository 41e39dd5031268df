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

/**
 * The fills and order facts the REST layer needs beyond the matching core, fed from the hub's venue events so orders
 * placed over the WebSocket API are seen too. Grows with the account's history (a sandbox session, not years).
 */
export class TradeHistory {
  private readonly trades: TradeRecord[] = [];
  private readonly meta = new Map<number, OrderMeta>();

  /** Everything recorded, money as decimal strings, so it survives JSON.stringify/parse unchanged. */
  snapshot(): TradeHistorySnapshot {
    return {
      trades: this.trades.map((t) => ({
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

  /** Rebuilds a history from its snapshot, or names the first field that is not what snapshot() writes. */
  static fromSnapshot(snap: TradeHistorySnapshot): Result<TradeHistory> {
    const h = new TradeHistory();
    for (const t of snap.trades) {
      const price = parseFixed(t.price);
      const qty = parseFixed(t.qty);
      const quoteQty = parseFixed(t.quoteQty);
      const commission = parseFixed(t.commission);
      if (price === undefined || qty === undefined || quoteQty === undefined || commission === undefined) {
        return failure('SNAPSHOT_INVALID', `trade ${t.id} of ${t.symbol} has a field that is not a decimal`);
      }
      h.trades.push({ ...t, price, qty, quoteQty, commission });
    }
    for (const o of snap.orders) {
      const origQuoteOrderQty = parseFixed(o.origQuoteOrderQty);
      if (origQuoteOrderQty === undefined) return failure('SNAPSHOT_INVALID', `order ${o.orderId}: origQuoteOrderQty is not a decimal`);
      h.meta.set(o.orderId, { time: o.time, timeInForce: o.timeInForce, origQuoteOrderQty });
    }
    return ok(h);
  }

  readonly onVenueEvent = (e: VenueEvent): void => {
    if (e.type !== 'execution') return;
    const r = e.report;
    const orderId = Number(r.exchangeOrderId);
    if (!this.meta.has(orderId)) this.meta.set(orderId, { time: r.orderTime, timeInForce: r.timeInForce, origQuoteOrderQty: 0n });
    const t = r.trade;
    if (t === undefined) return;
    this.trades.push({
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

  /** Trades of a symbol, oldest first, filtered as myTrades' parameters say. */
  query(q: { symbol: string; orderId?: number; fromId?: number; startTime?: number; endTime?: number; limit: number }): TradeRecord[] {
    const out: TradeRecord[] = [];
    for (const t of this.trades) {
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
