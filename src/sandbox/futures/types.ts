import type {
  Fixed,
  FuturesMarginType,
  FuturesOrderType,
  FuturesPositionSide,
  FuturesTimeInForce,
  Result,
  Side,
  TradeTick,
} from '../../domain/index.js';
import type { OrderRef, VenueRejection } from '../matching/index.js';

/**
 * The sandbox's USD-M account as the REST endpoints and the user data stream see it. The engine (`FuturesEngine`) owns
 * every figure here; the wire layers only translate them into Binance's field names and strings. Every amount is an
 * exact Fixed; computed figures are truncated to 8 places as Binance's are (PROTOCOLS-FUTURES A.0).
 */

/** The venue's words are the domain's (futures-venue.ts): one definition for the sandbox and the adapter. */
export type PositionSide = FuturesPositionSide;
export type { FuturesOrderType, FuturesTimeInForce };
/** As requests and symbolConfig spell it; positionRisk and ACCOUNT_UPDATE use lowercase `isolated`/`cross`. */
export type MarginType = FuturesMarginType;
export type FuturesOrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';

/** A new order as POST /fapi/v1/order (or one batchOrders item) carries it, already parsed. */
export interface FuturesNewOrder {
  readonly symbol: string;
  readonly side: Side;
  readonly type: 'LIMIT' | 'MARKET';
  /** LIMIT only; GTX is post-only (-5022 when it would take). */
  readonly timeInForce?: FuturesTimeInForce;
  readonly quantity: Fixed;
  /** LIMIT only. */
  readonly price?: Fixed;
  readonly reduceOnly?: boolean;
  /** BOTH unless given; LONG/SHORT in one-way mode is -4061. */
  readonly positionSide?: PositionSide;
  readonly clientOrderId: string;
}

/** One order as GET /fapi/v1/order reports it. */
export interface FuturesOrderView {
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly positionSide: PositionSide;
  readonly type: FuturesOrderType;
  readonly origType: FuturesOrderType;
  readonly timeInForce: FuturesTimeInForce;
  /** Zero for MARKET and LIQUIDATION orders' limit. */
  readonly price: Fixed;
  /** Volume-weighted fill price, truncated to 8 places; zero before any fill. */
  readonly avgPrice: Fixed;
  readonly origQty: Fixed;
  readonly executedQty: Fixed;
  readonly cumQuote: Fixed;
  readonly status: FuturesOrderStatus;
  readonly reduceOnly: boolean;
  readonly time: number;
  readonly updateTime: number;
}

/** One fill of one order (a userTrades row's facts, and the TRADE part of ORDER_TRADE_UPDATE). */
export interface FuturesFill {
  readonly tradeId: number;
  readonly price: Fixed;
  readonly quantity: Fixed;
  /** Positive, in the margin asset (USDT): price·qty·rate. */
  readonly commission: Fixed;
  readonly commissionAsset: string;
  /** Pre-fee realized PnL of the part of this fill that reduced the position. */
  readonly realizedPnl: Fixed;
  readonly isMaker: boolean;
}

/** A userTrades row. */
export interface FuturesTrade extends FuturesFill {
  readonly symbol: string;
  readonly orderId: number;
  readonly side: Side;
  readonly positionSide: PositionSide;
  readonly time: number;
}

export type IncomeType = 'REALIZED_PNL' | 'FUNDING_FEE' | 'COMMISSION' | 'INSURANCE_CLEAR';

/** A GET /fapi/v1/income row; COMMISSION is negative, FUNDING_FEE signed as the wallet moved. */
export interface IncomeRow {
  readonly symbol: string;
  readonly incomeType: IncomeType;
  readonly income: Fixed;
  readonly asset: string;
  readonly info: string;
  readonly time: number;
  readonly tranId: number;
  /** The trade's id for REALIZED_PNL and COMMISSION; absent otherwise (Binance sends ""). */
  readonly tradeId?: number;
}

/** One symbol's position as positionRisk (v2 and v3) reports it; every figure at the current mark. */
export interface PositionView {
  readonly symbol: string;
  readonly positionSide: PositionSide;
  /** Signed: long > 0, short < 0. */
  readonly positionAmt: Fixed;
  readonly entryPrice: Fixed;
  readonly breakEvenPrice: Fixed;
  readonly markPrice: Fixed;
  readonly unrealizedProfit: Fixed;
  /** Zero when flat or when the formula has no positive root (Binance's "0"). */
  readonly liquidationPrice: Fixed;
  readonly leverage: number;
  readonly marginType: MarginType;
  /** Isolated: wallet + uPnL; cross: zero. */
  readonly isolatedMargin: Fixed;
  /** Isolated: the position's own wallet; cross: zero. */
  readonly isolatedWallet: Fixed;
  /** Signed: positionAmt·mark. */
  readonly notional: Fixed;
  /** The leverage's bracket cap (leverage and maxNotionalValue as Binance pairs them). */
  readonly maxNotionalValue: Fixed;
  readonly initialMargin: Fixed;
  readonly maintMargin: Fixed;
  readonly positionInitialMargin: Fixed;
  readonly openOrderInitialMargin: Fixed;
  /** Resting buy and sell orders' notional (b and a in ORDER_TRADE_UPDATE, bidNotional/askNotional in v3). */
  readonly bidNotional: Fixed;
  readonly askNotional: Fixed;
  /** Pre-fee realized PnL accumulated on this position (ACCOUNT_UPDATE `cr`). */
  readonly accumulatedRealized: Fixed;
  readonly updateTime: number;
}

/** One margin asset's balance (v2/v3 balance and account `assets[]`). */
export interface FuturesBalanceView {
  readonly asset: string;
  readonly walletBalance: Fixed;
  readonly crossWalletBalance: Fixed;
  readonly crossUnPnl: Fixed;
  readonly unrealizedProfit: Fixed;
  readonly marginBalance: Fixed;
  readonly initialMargin: Fixed;
  readonly maintMargin: Fixed;
  readonly positionInitialMargin: Fixed;
  readonly openOrderInitialMargin: Fixed;
  readonly availableBalance: Fixed;
  readonly maxWithdrawAmount: Fixed;
  readonly updateTime: number;
}

/** GET /fapi/v2|v3/account: the totals are the margin asset's (USDT-only account). */
export interface FuturesAccountView {
  readonly totalWalletBalance: Fixed;
  readonly totalUnrealizedProfit: Fixed;
  readonly totalMarginBalance: Fixed;
  readonly totalInitialMargin: Fixed;
  readonly totalMaintMargin: Fixed;
  readonly totalPositionInitialMargin: Fixed;
  readonly totalOpenOrderInitialMargin: Fixed;
  readonly totalCrossWalletBalance: Fixed;
  readonly totalCrossUnPnl: Fixed;
  readonly availableBalance: Fixed;
  readonly maxWithdrawAmount: Fixed;
  readonly assets: readonly FuturesBalanceView[];
  /** Symbols with a position or an open order (v3's rule); v2 lists every symbol from positions(). */
  readonly positions: readonly PositionView[];
}

/** GET /fapi/v1/symbolConfig. */
export interface SymbolConfigView {
  readonly symbol: string;
  readonly marginType: MarginType;
  readonly isAutoAddMargin: false;
  readonly leverage: number;
  readonly maxNotionalValue: Fixed;
}

/** Why ACCOUNT_UPDATE was sent (`m`); the sandbox produces these. */
type AccountUpdateReason = 'ORDER' | 'FUNDING_FEE' | 'MARGIN_TYPE_CHANGE' | 'DEPOSIT' | 'INSURANCE_CLEAR';

/** ORDER_TRADE_UPDATE's execution type `x`. */
export type FuturesExecutionType = 'NEW' | 'CANCELED' | 'CALCULATED' | 'EXPIRED' | 'TRADE';

/**
 * What the account tells its user data stream, in the order it happened. The wire layer turns each into Binance's
 * frame (ORDER_TRADE_UPDATE, ACCOUNT_UPDATE, MARGIN_CALL, ACCOUNT_CONFIG_UPDATE) with Binance's names and types.
 */
export type FuturesEvent =
  | {
      readonly type: 'order';
      readonly time: number;
      readonly execution: FuturesExecutionType;
      readonly order: FuturesOrderView;
      /** With execution TRADE (and CALCULATED, the liquidation's fill). */
      readonly fill?: FuturesFill;
      /** `er`: 2 IOC remainder, 4 reduce-only would reverse or over-close, 9 market remainder; 0 otherwise. */
      readonly expireReason: number;
      /** `b`/`a`: the symbol's resting buy and sell notional after this event. */
      readonly bidNotional: Fixed;
      readonly askNotional: Fixed;
    }
  | {
      readonly type: 'account';
      readonly time: number;
      readonly reason: AccountUpdateReason;
      /** `B`: wallet balance, cross wallet balance, and the change other than PnL and commission (`bc`). */
      readonly balances: readonly {
        readonly asset: string;
        readonly walletBalance: Fixed;
        readonly crossWalletBalance: Fixed;
        readonly balanceChange: Fixed;
      }[];
      /** `P`: only the positions that changed; empty for a cross funding settlement (always sent, even empty). */
      readonly positions: readonly PositionView[];
    }
  | {
      readonly type: 'marginCall';
      readonly time: number;
      readonly crossWalletBalance: Fixed;
      readonly positions: readonly PositionView[];
    }
  | { readonly type: 'leverage'; readonly time: number; readonly symbol: string; readonly leverage: number };

export interface FuturesPlaced {
  readonly order: FuturesOrderView;
  readonly events: readonly FuturesEvent[];
}

/**
 * The USD-M account's commands and queries. Commands take the hub's time (ms) and return what they caused; the hub
 * announces the events. A refusal changes nothing and is Binance's {code, msg} (VenueRejection).
 */
export interface FuturesVenue {
  placeOrder(order: FuturesNewOrder, time: number): Result<FuturesPlaced, VenueRejection>;
  cancelOrder(symbol: string, ref: OrderRef, time: number): Result<FuturesPlaced, VenueRejection>;
  /** DELETE allOpenOrders (and the countdown's firing): every open order of the symbol. */
  cancelAllOpenOrders(symbol: string, time: number): Result<readonly FuturesEvent[], VenueRejection>;
  getOrder(symbol: string, ref: OrderRef): Result<FuturesOrderView, VenueRejection>;
  openOrders(symbol?: string): Result<FuturesOrderView[], VenueRejection>;
  /** Every order of a symbol, open and finished, oldest first (allOrders; the REST layer applies its window and limit). */
  allOrders(symbol: string): Result<FuturesOrderView[], VenueRejection>;
  userTrades(symbol: string): Result<FuturesTrade[], VenueRejection>;
  income(): readonly IncomeRow[];

  setLeverage(
    symbol: string,
    leverage: number,
    time: number,
  ): Result<{ leverage: number; maxNotionalValue: Fixed; events: readonly FuturesEvent[] }, VenueRejection>;
  setMarginType(symbol: string, marginType: MarginType, time: number): Result<readonly FuturesEvent[], VenueRejection>;
  /** Hedge mode: the sandbox trades one-way only and refuses `true` with Binance's error (documented). */
  setDualSidePosition(dual: boolean, time: number): Result<void, VenueRejection>;
  dualSidePosition(): boolean;
  symbolConfig(symbol?: string): Result<SymbolConfigView[], VenueRejection>;

  /** One view per symbol, BOTH side, flat ones included (positionRisk v2's rule; v3 filters to active ones). */
  positions(symbol?: string): Result<PositionView[], VenueRejection>;
  account(): FuturesAccountView;
  balances(): FuturesBalanceView[];
  commissionRate(symbol: string): Result<{ maker: Fixed; taker: Fixed }, VenueRejection>;

  /**
   * POST countdownCancelAll: arm (ms > 0) or disarm (0) the symbol's countdown; when `time` passes the deadline without
   * a refresh, advance() cancels every open order of the symbol.
   */
  countdownCancelAll(symbol: string, countdownMs: number, time: number): Result<void, VenueRejection>;

  /** One trade of the tape: matches resting orders, then checks margin calls and liquidations at the new mark. */
  onTrade(tick: TradeTick): readonly FuturesEvent[];
  /** The clock moved: settles funding due at or before `time`, fires countdowns, checks liquidation. */
  advance(time: number): readonly FuturesEvent[];
}
