import type {
  Balance,
  ExecutionReport,
  Failure,
  FilterName,
  Fixed,
  Instrument,
  OrderRequest,
  OrderType,
  Side,
  TimeInForce,
  VenueOrderStatus,
} from '../../domain/index.js';

/** Maker and taker commission rates as fractions (0.001 = 0.1 %). */
export interface FeeRates {
  readonly maker: Fixed;
  readonly taker: Fixed;
}

export interface MatchingConfig {
  readonly instruments: readonly Instrument[];
  /** Starting free balances per asset; default 10,000 USDT. */
  readonly startingBalances?: Readonly<Record<string, Fixed>>;
  /** Default 0.1 % maker and taker. */
  readonly fees?: FeeRates;
  /** How many terminal orders stay queryable by id (oldest forgotten first); default 10,000. */
  readonly recentOrderLimit?: number;
  /**
   * Each order keeps its TRADE reports for as long as the venue knows it (`orderTrades`, the paper venue's userTrades):
   * they go with the order, so nothing is looked up or forgotten per fill. Off by default (the sandbox hub keeps none).
   */
  readonly keepTrades?: boolean;
}

/**
 * A new order as the venue receives it. `postOnly` makes a LIMIT order Binance's LIMIT_MAKER: it rests like GTC but is
 * refused (-2010) if it would take on arrival; the domain's OrderType stays LIMIT | MARKET.
 */
export type NewOrder = OrderRequest & { readonly postOnly?: boolean };

/** The order types the sandbox speaks on the wire: the domain's plus LIMIT_MAKER (a post-only LIMIT). */
export type BinanceOrderType = OrderType | 'LIMIT_MAKER';

/**
 * A report as the venue sends it: the domain report plus what Binance's wire shapes need and the bot does not (the
 * order's time in force and creation time), flagged when the order is a LIMIT_MAKER.
 */
export type VenueReport = ExecutionReport & { readonly timeInForce: TimeInForce; readonly orderTime: number; readonly postOnly?: true };

/** The wire type of an order or report: LIMIT_MAKER for a post-only LIMIT. */
export function binanceOrderType(o: { readonly type: OrderType; readonly postOnly?: boolean }): BinanceOrderType {
  return o.postOnly === true ? 'LIMIT_MAKER' : o.type;
}

/** Names an order the way Binance lets a client: by its client order id or the venue's order id. */
export type OrderRef = { readonly clientOrderId: string } | { readonly orderId: string };

/**
 * One order as the venue keeps it: plain, mutable data owned by the engine (copied out in snapshots and reports).
 * `locked` is what the order still holds of its account: quote for a resting buy, base for a resting sell.
 */
export interface VenueOrder {
  readonly orderId: number;
  /** `orderId` as the decimal string every report carries, made once per order (absent on a restored one). */
  readonly orderIdText?: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** A LIMIT_MAKER order (always a resting LIMIT). */
  readonly postOnly?: boolean;
  /** Zero for MARKET, as Binance reports it. */
  readonly price: Fixed;
  readonly origQty: Fixed;
  executedQty: Fixed;
  cumQuote: Fixed;
  status: VenueOrderStatus;
  locked: Fixed;
  readonly time: number;
  updateTime: number;
  /** With `keepTrades`: this order's TRADE reports, oldest first (never saved in a snapshot). */
  trades?: VenueReport[] | undefined;
}

/** What the venue tells its user data stream: an executionReport or an outboundAccountPosition. */
export type VenueEvent =
  | { readonly type: 'execution'; readonly report: VenueReport }
  | { readonly type: 'balances'; readonly balances: readonly Balance[]; readonly time: number };

/**
 * A refusal in Binance's words: `binanceCode`/`message` are what the REST API would send as `{code, msg}`,
 * `code` is the stable string form (`BINANCE_-2010`) the gateway port uses.
 */
export interface VenueRejection extends Failure {
  readonly binanceCode: number;
  /** The filter that failed, for -1013. */
  readonly filter?: FilterName;
  /** Why, for people and logs; Binance's own message stays terse. */
  readonly detail?: string;
}

/** An accepted order: its state once placement is done (Binance's FULL response without fills) and the events it caused. */
export interface Placed {
  readonly report: VenueReport;
  readonly events: readonly VenueEvent[];
}

/** A canceled order's final report and the events the cancel caused. */
export interface Canceled {
  readonly report: VenueReport;
  readonly events: readonly VenueEvent[];
}
