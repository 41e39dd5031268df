/**
 * Every message on the engine bus, in one place. Commands are imperative (SubmitOrder), events past tense
 * (OrderFilled). The bus routes by `type`, so a handler for one type receives exactly that payload.
 */
import type { Balance, ExecutionReport } from './execution-report.js';
import type { Fixed } from './fixed.js';
import type { FuturesAccountUpdate, FuturesExecutionReport, FuturesMarginCall } from './futures/futures-venue.js';
import type { TradeTick } from './market.js';
import type { OrderIntent, OrderOwner, OrderType, Side } from './order.js';

export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

// ── commands ────────────────────────────────────────────────────────────────────────────────────────────────

/** A strategy (or the owner) wants an order; the risk gate answers with PlaceOrder or OrderDenied. */
interface SubmitOrder {
  readonly type: 'SubmitOrder';
  readonly intent: OrderIntent;
}

/** Risk approved the intent: execution sends it to the venue. */
interface PlaceOrder {
  readonly type: 'PlaceOrder';
  readonly intent: OrderIntent;
}

/** Cancels pass every trading state, so they go straight to execution. */
export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly reason: string;
}

// ── market ──────────────────────────────────────────────────────────────────────────────────────────────────

export interface TradeTicked {
  readonly type: 'TradeTicked';
  readonly tick: TradeTick;
}

/**
 * A perpetual's mark price and coming funding (the `@markPrice@1s` stream or premiumIndex), for the bot's `.P` symbol.
 * The mark values positions (uPnL, margin, liquidation); the last trade (TradeTicked) still drives the grid.
 */
interface MarkPriceTicked {
  readonly type: 'MarkPriceTicked';
  readonly symbol: string;
  readonly markPrice: Fixed;
  /** The rate the next settlement will apply (premiumIndex lastFundingRate, the stream's `r`). */
  readonly fundingRate: Fixed;
  readonly nextFundingTime: number;
  /** The venue's event time. */
  readonly time: number;
}

/** A live market-data stream went quiet while open (or dropped): the risk gate's stale-data check reads the feed. */
interface MarketDataStale {
  readonly type: 'MarketDataStale';
  readonly symbols: readonly string[];
  readonly reason: string;
  /**
   * 'quiet': open, alive, but no trade for the feed's quiet limit (the risk gate leaves that to its own per-symbol
   * RISK_STALE_AFTER_SECONDS rule); 'outage' (or absent): the socket closed, failed or went dead, so no price is seen.
   */
  readonly cause?: 'quiet' | 'outage';
  readonly time: number;
}

/** Trades flow again on a stream that was stale. */
interface MarketDataResumed {
  readonly type: 'MarketDataResumed';
  readonly symbols: readonly string[];
  /** How long the data was missing, ms. */
  readonly gapMs: number;
  readonly time: number;
}

// ── orders ──────────────────────────────────────────────────────────────────────────────────────────────────

export type DenialCode =
  | 'DUPLICATE_ORDER'
  | 'TRADING_HALTED'
  | 'TRADING_REDUCING'
  | 'MAX_ORDER_NOTIONAL'
  | 'MAX_OPEN_ORDERS_SYMBOL'
  | 'MAX_OPEN_ORDERS_TOTAL'
  | 'MAX_POSITION_NOTIONAL'
  | 'PRICE_BAND'
  | 'STALE_MARKET_DATA'
  | 'NO_MARKET_DATA'
  | 'INSUFFICIENT_BALANCE'
  | 'MAX_DAILY_LOSS'
  | 'FILTER_FAILURE'
  | 'UNKNOWN_SYMBOL'
  /** Futures: the symbol's leverage is over the owner's limit. */
  | 'MAX_LEVERAGE'
  /** Futures: the order's margin is more than the account has available. */
  | 'INSUFFICIENT_MARGIN'
  /** Futures: the order would leave the position's liquidation price closer than the owner's setting. */
  | 'NEAR_LIQUIDATION';

/** Risk said no: the reason code, a sentence, and the numbers behind it (decimal strings, for people and logs). */
export interface OrderDenied {
  readonly type: 'OrderDenied';
  readonly intent: OrderIntent;
  readonly code: DenialCode;
  readonly message: string;
  readonly numbers: Readonly<Record<string, string>>;
}

/** The venue's own words about an order; execution turns these into the order events below. */
interface OrderReported {
  readonly type: 'OrderReported';
  readonly report: ExecutionReport;
  /**
   * Heard late: the venue's answer to a question about the order (a placement run again, an unknown outcome settled)
   * or an outcome read back after a restart. The order's trades may have streamed while nobody listened, so when this
   * report claims fills the bot has not booked, the reconciler fetches them rather than waiting for the stream.
   */
  readonly late?: true;
}

/** Execution could not place an order: `rejected` when the venue said no, `unknown` when nobody knows yet. */
export interface OrderSubmissionFailed {
  readonly type: 'OrderSubmissionFailed';
  readonly clientOrderId: string;
  readonly outcome: 'rejected' | 'unknown';
  readonly code: string;
  readonly message: string;
}

interface OrderEventBase {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly owner: OrderOwner;
  readonly time: number;
}

/** An approved order left for the venue, carrying the intent exactly as sent: a re-queue sends the same order again. */
export interface OrderSent extends OrderEventBase {
  readonly type: 'OrderSent';
  readonly intent: OrderIntent;
}

export interface OrderAccepted extends OrderEventBase {
  readonly type: 'OrderAccepted';
  readonly exchangeOrderId: string;
}

/** One new fill, booked exactly once however many times the venue reports it. */
export interface OrderFilled extends OrderEventBase {
  readonly type: 'OrderFilled';
  readonly tradeId: number;
  readonly price: Fixed;
  readonly quantity: Fixed;
  readonly quote: Fixed;
  readonly commission: Fixed;
  readonly commissionAsset: string;
  readonly isMaker: boolean;
  /** Cumulative after this fill, and whether the order is now complete. */
  readonly cumQty: Fixed;
  readonly complete: boolean;
  /** Fee valued in the symbol's quote asset (exact for base and quote fees; see portfolio for others). */
  readonly feeQuote: Fixed;
}

export interface OrderCanceled extends OrderEventBase {
  readonly type: 'OrderCanceled';
  readonly filledQty: Fixed;
  readonly reason: string;
}

export interface OrderRejected extends OrderEventBase {
  readonly type: 'OrderRejected';
  readonly code: string;
  readonly message: string;
}

export interface OrderExpired extends OrderEventBase {
  readonly type: 'OrderExpired';
  readonly filledQty: Fixed;
}

interface OrderUnknown extends OrderEventBase {
  readonly type: 'OrderUnknown';
  readonly code: string;
  readonly message: string;
}

// ── grids ───────────────────────────────────────────────────────────────────────────────────────────────────

interface GridStarted {
  readonly type: 'GridStarted';
  readonly gridId: string;
  readonly symbol: string;
  readonly levels: number;
  /** Opening orders placed, of `requested` sent (the rest were refused by the risk gate). */
  readonly orders: number;
  readonly requested: number;
  /** Confirmed with `at=PRICE`: the grid waits for the market to trade through this price and placed nothing yet. */
  readonly waitingFor?: Fixed;
  /** The trade that went through the grid's trigger: its ladder is placed now (`orders` is what was sent). */
  readonly triggeredAt?: Fixed;
  /**
   * The grid's books from its start (absent in events from before they existed): the price it started at, the quote
   * its buy levels lock, the base its sell levels need and how much of that base the account already held, which
   * enters the books as if bought at `startPrice` at the start.
   */
  readonly startPrice?: Fixed;
  readonly quoteForBuys?: Fixed;
  readonly baseForSells?: Fixed;
  readonly baseFromHoldings?: Fixed;
  /** A USD-M grid's investment: the margin its preview said it needs (spot's is the quote and base its levels lock). */
  readonly investment?: Fixed;
}

/** `liquidated`: the venue closed the grid's perpetual position (its orders were canceled by the venue with it). */
export type GridStopReason = 'user' | 'stop_loss' | 'take_profit' | 'kill' | 'start_failed' | 'liquidated';

export interface GridStopped {
  readonly type: 'GridStopped';
  readonly gridId: string;
  readonly symbol: string;
  readonly reason: GridStopReason;
  /** The trade price that triggered an sl/tp exit, when one did. */
  readonly triggerPrice?: Fixed;
}

/** A completed buy→sell (or sell→buy) pair at adjacent levels: profit = sellQuote − buyQuote − fees, exactly. */
export interface GridRoundTrip {
  readonly type: 'GridRoundTrip';
  readonly gridId: string;
  readonly symbol: string;
  readonly quantity: Fixed;
  readonly buyPrice: Fixed;
  readonly sellPrice: Fixed;
  readonly buyQuote: Fixed;
  readonly sellQuote: Fixed;
  readonly feesQuote: Fixed;
  readonly profit: Fixed;
  readonly time: number;
}

/**
 * A grid level refused for a lasting reason (funds, filters, the owner's limits): it is not placed, and the level stays
 * empty until the grid re-arms it again. Published once per level (not per refusal), so the owner is told once, urgently.
 */
export interface GridLevelRefused {
  readonly type: 'GridLevelRefused';
  readonly gridId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly level: number;
  readonly price?: Fixed;
  readonly quantity?: Fixed;
  readonly code: string;
  readonly message: string;
  readonly time: number;
}

/**
 * One move of a trailing grid (strategy/grid/README.md "Trailing"): its window of active lines shifted one line up or
 * down. `canceled` is the ladder order on the line that left the window (absent when none rested there: it had filled
 * or was never placed); `placed` is the order the move sent: the market buy that stocks the new top line's sell, or,
 * after a gap, the limit order on the line behind the new outer one. Each move is one message.
 */
export interface GridTrailed {
  readonly type: 'GridTrailed';
  readonly gridId: string;
  readonly symbol: string;
  readonly direction: 'up' | 'down';
  /** The active window after the move: its lowest and highest line (level index) and their prices. */
  readonly low: number;
  readonly high: number;
  readonly lowPrice: Fixed;
  readonly highPrice: Fixed;
  /** The trade that made the move. */
  readonly price: Fixed;
  readonly canceled?: string;
  readonly placed: readonly {
    readonly clientOrderId: string;
    readonly side: Side;
    readonly type: OrderType;
    readonly level: number;
    readonly price?: Fixed;
    readonly quantity: Fixed;
  }[];
  /** Moves made in this direction so far, this one included. */
  readonly moves: number;
  readonly time: number;
}

// ── portfolio and risk ──────────────────────────────────────────────────────────────────────────────────────

interface PositionChanged {
  readonly type: 'PositionChanged';
  readonly symbol: string;
  readonly quantity: Fixed;
  readonly avgCost: Fixed;
  readonly realizedPnl: Fixed;
  readonly unrealizedPnl: Fixed;
  readonly fees: Fixed;
  readonly time: number;
}

/**
 * USD-M ACCOUNT_UPDATE as the venue sent it, symbols already the bot's (`BTCUSDT.P`): after fills (reason ORDER),
 * funding settlements (FUNDING_FEE), margin type changes and transfers. The futures book is its one reader.
 */
export interface FuturesAccountReported {
  readonly type: 'FuturesAccountReported';
  readonly update: FuturesAccountUpdate;
}

/** USD-M MARGIN_CALL: positions close to liquidation. */
interface MarginCallReported {
  readonly type: 'MarginCallReported';
  readonly call: FuturesMarginCall;
}

/**
 * The venue closed a position itself: a LIQUIDATION order (client id `autoclose-…`), reported as its own
 * ORDER_TRADE_UPDATE. Not one of the bot's orders, so it never reaches the order tracker; the position change arrives
 * as a FuturesAccountReported.
 */
export interface PositionLiquidated {
  readonly type: 'PositionLiquidated';
  readonly report: FuturesExecutionReport;
}

/**
 * A perpetual's position as the futures book holds it after a change: a bot fill, a liquidation, or the venue's own
 * report adopted when the bot's fills do not explain it (`cause`). Figures at the last mark; the liquidation price is
 * absent when flat, when no price liquidates it, or before the symbol's brackets are known.
 */
interface FuturesPositionChanged {
  readonly type: 'FuturesPositionChanged';
  readonly symbol: string;
  /** Signed: long > 0, short < 0. */
  readonly amount: Fixed;
  readonly entryPrice: Fixed;
  readonly breakEvenPrice: Fixed;
  readonly mark?: Fixed;
  readonly unrealizedPnl: Fixed;
  readonly liquidationPrice?: Fixed;
  /** Pre-fee realized PnL and fees booked on the symbol so far. */
  readonly realizedPnl: Fixed;
  readonly fees: Fixed;
  readonly cause: 'fill' | 'liquidation' | 'venue';
  /** For `venue`: why the venue's position was adopted. */
  readonly note?: string;
  readonly time: number;
}

/**
 * One funding settlement on one perpetual: the wallet change (negative: the position paid), attributed per symbol from
 * the venue's FUNDING_FEE income rows (`income`) or, when those cannot be had, estimated as −position·mark·rate at the
 * settlement with the account's balance change as the total (`estimate`; README of portfolio/).
 */
interface FundingSettled {
  readonly type: 'FundingSettled';
  readonly symbol: string;
  readonly amount: Fixed;
  /** The position that paid or received it (absent when the venue's row is all that is known). */
  readonly positionAmount?: Fixed;
  readonly rate?: Fixed;
  readonly source: 'income' | 'estimate';
  readonly time: number;
}

export interface BalancesReported {
  readonly type: 'BalancesReported';
  readonly balances: readonly Balance[];
  readonly time: number;
}

interface TradingStateChanged {
  readonly type: 'TradingStateChanged';
  readonly from: TradingState;
  readonly to: TradingState;
  readonly reason: string;
  readonly time: number;
}

/** A handler threw: its component is FAULTED and silenced, and trading halts until a restart. */
interface ComponentFaulted {
  readonly type: 'ComponentFaulted';
  readonly component: string;
  /** The kind of message it failed on. */
  readonly messageType: string;
  readonly error: string;
  readonly time: number;
}

export type Command = SubmitOrder | PlaceOrder | CancelOrder;

export type OrderEvent = OrderSent | OrderAccepted | OrderFilled | OrderCanceled | OrderRejected | OrderExpired | OrderUnknown;

export type EngineEvent =
  | TradeTicked
  | MarketDataStale
  | MarketDataResumed
  | OrderDenied
  | OrderReported
  | OrderSubmissionFailed
  | OrderEvent
  | GridStarted
  | GridStopped
  | GridRoundTrip
  | GridLevelRefused
  | GridTrailed
  | PositionChanged
  | BalancesReported
  | MarkPriceTicked
  | FuturesAccountReported
  | MarginCallReported
  | PositionLiquidated
  | FuturesPositionChanged
  | FundingSettled
  | TradingStateChanged
  | ComponentFaulted;

export type Message = Command | EngineEvent;
export type MessageType = Message['type'];
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;
