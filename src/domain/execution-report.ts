import type { Fixed } from './fixed.js';
import type { OrderType, Side } from './order.js';

/** Binance's order statuses as the exchange reports them (executionReport `X`, REST `status`). */
export type VenueOrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED' | 'EXPIRED_IN_MATCH';

/**
 * What a venue says about one of our orders: a Binance executionReport in domain terms. Cumulative figures make a
 * report idempotent: a report whose cumulative quantity is not above what the bot already booked adds nothing.
 */
export interface ExecutionReport {
  readonly clientOrderId: string;
  readonly exchangeOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly status: VenueOrderStatus;
  readonly price: Fixed;
  readonly origQty: Fixed;
  /** Cumulative filled quantity (`z`). */
  readonly cumQty: Fixed;
  /** Cumulative quote quantity (`Z`). */
  readonly cumQuote: Fixed;
  /** The last trade, when this report is a trade (`x` = TRADE). */
  readonly trade?: {
    readonly tradeId: number;
    readonly price: Fixed;
    readonly quantity: Fixed;
    readonly commission: Fixed;
    readonly commissionAsset: string;
    readonly isMaker: boolean;
    /** USD-M: the venue's pre-fee realized PnL of the part of this fill that reduced the position. */
    readonly realizedPnl?: Fixed;
  };
  readonly rejectReason?: string;
  /** Transaction time, ms. */
  readonly time: number;
}

/** A balance as the venue reports it (outboundAccountPosition / account). */
export interface Balance {
  readonly asset: string;
  readonly free: Fixed;
  readonly locked: Fixed;
}
