import type { Fixed } from './fixed.js';

export type Side = 'BUY' | 'SELL';
export type OrderType = 'LIMIT' | 'MARKET';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';

/**
 * The bot's view of an order's life. `unknown` holds an order whose placement outcome is not yet known
 * (timeout, 5xx, -1007): it is settled only by asking the exchange, never by placing again.
 */
export type OrderStatus = 'new' | 'accepted' | 'partially_filled' | 'filled' | 'canceled' | 'rejected' | 'expired' | 'unknown';

const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['filled', 'canceled', 'rejected', 'expired']);

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Every legal transition; anything else is ignored by `transition` (a stale or duplicate report). */
const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  new: ['accepted', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired', 'unknown'],
  // An unknown order may turn out to be anything, including never placed (rejected) or already done.
  unknown: ['accepted', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired'],
  accepted: ['partially_filled', 'filled', 'canceled', 'expired'],
  // partially_filled → partially_filled is a further partial fill.
  partially_filled: ['partially_filled', 'filled', 'canceled', 'expired'],
  filled: [],
  canceled: [],
  rejected: [],
  expired: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The one function that changes an order's status: returns the next status, or undefined when the move is not legal. */
export function transition(from: OrderStatus, to: OrderStatus): OrderStatus | undefined {
  return canTransition(from, to) ? to : undefined;
}

/** Who asked for an order: the grid that owns it (ladder, re-arms, sl/tp exits), or the owner by hand. */
export type OrderOwner = { readonly kind: 'grid'; readonly gridId: string } | { readonly kind: 'manual' };

/** An order as a venue receives it (Binance `POST /api/v3/order` in domain terms). */
export interface OrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  /** Required for LIMIT, ignored for MARKET. */
  readonly price?: Fixed;
  readonly quantity: Fixed;
  /** LIMIT only; default GTC. */
  readonly timeInForce?: TimeInForce;
  /** USD-M only: the order may only shrink the position (Binance's reduceOnly; exempt from MIN_NOTIONAL there). */
  readonly reduceOnly?: boolean;
}

/** What a strategy wants: the request plus who asked and why; risk approves or denies it, execution places it. */
export interface OrderIntent extends OrderRequest {
  readonly owner: OrderOwner;
  /** True when the order only shrinks a position (grid exits, flattening): allowed while REDUCING. */
  readonly reducesPosition: boolean;
}

/** An order as the bot tracks it. */
export interface OrderRecord {
  readonly intent: OrderIntent;
  readonly status: OrderStatus;
  readonly exchangeOrderId?: string;
  readonly filledQty: Fixed;
  readonly filledQuote: Fixed;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly reason?: string;
}
