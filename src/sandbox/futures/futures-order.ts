import { type Fixed, SCALE, type Side, ZERO, fixed } from '../../domain/index.js';
import type { OrderRef } from '../matching/index.js';
import type { FuturesOrderStatus, FuturesOrderType, FuturesOrderView, FuturesTimeInForce } from './types.js';

/** One futures order as the engine keeps it: plain mutable data, copied out in views and snapshots. */
export interface FuturesOrder {
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: FuturesOrderType;
  readonly timeInForce: FuturesTimeInForce;
  /** Zero for MARKET; the liquidation price for LIQUIDATION. */
  readonly price: Fixed;
  readonly origQty: Fixed;
  readonly reduceOnly: boolean;
  readonly time: number;
  executedQty: Fixed;
  /** Σ price·qty of the fills, exact (every fill lands on 8 places: tick·step ≥ 10⁻⁸, README). */
  cumQuote: Fixed;
  status: FuturesOrderStatus;
  updateTime: number;
}

export function isOpen(o: FuturesOrder): boolean {
  return o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
}

export function orderView(o: FuturesOrder): FuturesOrderView {
  return {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    positionSide: 'BOTH',
    type: o.type,
    origType: o.type,
    timeInForce: o.timeInForce,
    price: o.price,
    // Volume-weighted, truncated to 8 places as Binance's computed figures are.
    avgPrice: o.executedQty === ZERO ? ZERO : fixed.divRound(o.cumQuote * SCALE, o.executedQty, 'floor'),
    origQty: o.origQty,
    executedQty: o.executedQty,
    cumQuote: o.cumQuote,
    status: o.status,
    reduceOnly: o.reduceOnly,
    time: o.time,
    updateTime: o.updateTime,
  };
}

/**
 * Orders by id and client id: every open order and the most recent terminal ones (oldest forgotten beyond the limit).
 * A client id names its open order if it has one, else its latest terminal one (Binance's lookup rule).
 */
export class FuturesOrders {
  private readonly byId = new Map<number, FuturesOrder>();
  private readonly byClient = new Map<string, FuturesOrder>();
  private done: FuturesOrder[] = [];

  constructor(private readonly recentLimit: number) {}

  add(o: FuturesOrder): void {
    this.byId.set(o.orderId, o);
    const current = this.byClient.get(o.clientOrderId);
    if (isOpen(o) || current === undefined || !isOpen(current)) this.byClient.set(o.clientOrderId, o);
    if (!isOpen(o)) this.close(o);
  }

  /** Remembers an order that has just reached a terminal status; forgets the oldest beyond the limit. */
  close(o: FuturesOrder): void {
    this.done.push(o);
    if (this.done.length > this.recentLimit) {
      const cut = this.done.length - this.recentLimit;
      for (const old of this.done.slice(0, cut)) {
        if (this.byId.get(old.orderId) === old) this.byId.delete(old.orderId);
        if (this.byClient.get(old.clientOrderId) === old) this.byClient.delete(old.clientOrderId);
      }
      this.done = this.done.slice(cut);
    }
  }

  isOpenClientId(clientOrderId: string): boolean {
    const o = this.byClient.get(clientOrderId);
    return o !== undefined && isOpen(o);
  }

  find(ref: OrderRef): FuturesOrder | undefined {
    if ('clientOrderId' in ref) return this.byClient.get(ref.clientOrderId);
    return /^\d{1,15}$/.test(ref.orderId) ? this.byId.get(Number(ref.orderId)) : undefined;
  }

  /** Every remembered order, oldest (lowest id) first. */
  all(): IterableIterator<FuturesOrder> {
    return this.byId.values();
  }
}

/**
 * One symbol's resting orders, each side sorted with its best order LAST (bids ascending, asks descending; at one price
 * the oldest is last), so the per-trade test reads two cached prices and a fill pops.
 */
export class FuturesBook {
  readonly bids: FuturesOrder[] = [];
  readonly asks: FuturesOrder[] = [];
  /** -1 when the side is empty; real prices are positive. */
  bestBid: Fixed = -1n;
  bestAsk: Fixed = -1n;

  /** Whether a trade at `price` goes through a resting order (strictly: at the limit the queue ahead may take it). */
  crosses(price: Fixed): boolean {
    return price < this.bestBid || (this.bestAsk >= ZERO && price > this.bestAsk);
  }

  insert(o: FuturesOrder): void {
    const side = o.side === 'BUY' ? this.bids : this.asks;
    const ascending = o.side === 'BUY';
    let lo = 0;
    let hi = side.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = (side[mid] as FuturesOrder).price;
      if (ascending ? p < o.price : p > o.price) lo = mid + 1;
      else hi = mid;
    }
    side.splice(lo, 0, o);
    this.refresh();
  }

  remove(o: FuturesOrder): void {
    const side = o.side === 'BUY' ? this.bids : this.asks;
    const at = side.indexOf(o);
    if (at >= 0) side.splice(at, 1);
    this.refresh();
  }

  count(): number {
    return this.bids.length + this.asks.length;
  }

  /** Resting notional of one side, Σ price·open qty (ORDER_TRADE_UPDATE `b`/`a`). */
  notional(side: Side): Fixed {
    let sum = ZERO;
    for (const o of side === 'BUY' ? this.bids : this.asks) sum += o.price * (o.origQty - o.executedQty);
    return sum / SCALE;
  }

  /** Open orders oldest first (placement order: ids only grow). */
  orders(): FuturesOrder[] {
    return [...this.bids, ...this.asks].sort((a, b) => a.orderId - b.orderId);
  }

  refresh(): void {
    this.bestBid = this.bids.length > 0 ? (this.bids[this.bids.length - 1] as FuturesOrder).price : -1n;
    this.bestAsk = this.asks.length > 0 ? (this.asks[this.asks.length - 1] as FuturesOrder).price : -1n;
  }
}
