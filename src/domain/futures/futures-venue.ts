import type { VenueOrderStatus } from '../execution-report.js';
import type { Fixed } from '../fixed.js';
import type { Side } from '../order.js';

/**
 * What a USD-M futures venue says and is asked, in domain terms (facts file A.3–A.4, B.3). Every amount is an exact
 * Fixed in the margin asset (USDT); signed where Binance signs it. The bot trades one-way mode only, so every order
 * is on the BOTH side; LONG/SHORT appear only in what a venue in hedge mode would report.
 */

/** GTX is post-only: refused (-5022) when it would take. */
export type FuturesTimeInForce = 'GTC' | 'IOC' | 'FOK' | 'GTX';
export type FuturesPositionSide = 'BOTH' | 'LONG' | 'SHORT';
/** As requests spell it; Binance writes `isolated`/`cross` in positionRisk and ACCOUNT_UPDATE, mapped to these. */
export type FuturesMarginType = 'CROSSED' | 'ISOLATED';
/** LIQUIDATION is Binance's own order closing a position (client id `autoclose-…`); we never place one. */
export type FuturesOrderType = 'LIMIT' | 'MARKET' | 'LIQUIDATION';

/** A new futures order. The client order id is the caller's (deterministic); one-way mode, positionSide BOTH. */
export interface FuturesOrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: 'LIMIT' | 'MARKET';
  /** LIMIT only; default GTC. */
  readonly timeInForce?: FuturesTimeInForce;
  readonly quantity: Fixed;
  /** Required for LIMIT, never sent for MARKET. */
  readonly price?: Fixed;
  /** Only shrinks the position; exempt from MIN_NOTIONAL and from -1008 throttling. */
  readonly reduceOnly?: boolean;
}

/** One fill of a futures order. */
interface FuturesTrade {
  readonly tradeId: number;
  readonly price: Fixed;
  readonly quantity: Fixed;
  /** In `commissionAsset` (USDT on a USDT-margined account), positive as a cost. */
  readonly commission: Fixed;
  readonly commissionAsset: string;
  /** Pre-fee realized PnL of the part of this fill that reduced the position; zero for an opening fill. */
  readonly realizedPnl: Fixed;
  readonly isMaker: boolean;
}

/** What a futures venue says about one order: the spot ExecutionReport's facts plus the futures ones. */
export interface FuturesExecutionReport {
  readonly clientOrderId: string;
  readonly exchangeOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: FuturesOrderType;
  readonly timeInForce: FuturesTimeInForce;
  readonly status: VenueOrderStatus;
  /** Zero for MARKET and LIQUIDATION orders. */
  readonly price: Fixed;
  readonly origQty: Fixed;
  /** Cumulative filled quantity. */
  readonly cumQty: Fixed;
  /** Volume-weighted fill price; zero before any fill. */
  readonly avgPrice: Fixed;
  /**
   * Cumulative quote. REST orders and userTrades carry it; the stream's ORDER_TRADE_UPDATE does not (it has only the
   * average price, truncated), so it is absent there rather than guessed.
   */
  readonly cumQuote?: Fixed;
  readonly reduceOnly: boolean;
  readonly positionSide: FuturesPositionSide;
  /** The stream's execution type (`x`); absent on REST answers. */
  readonly executionType?: 'NEW' | 'CANCELED' | 'CALCULATED' | 'EXPIRED' | 'TRADE' | 'AMENDMENT';
  /** The stream's expire reason (`er`): 2 IOC remainder, 4 reduce-only would reverse, 9 market remainder; 0 otherwise. */
  readonly expireReason?: number;
  /** Set when this report is a fill (`x` TRADE or CALCULATED, or a userTrades row). */
  readonly trade?: FuturesTrade;
  /** Transaction time, ms. */
  readonly time: number;
}

/** One position as positionRisk reports it, every figure at the current mark. */
export interface FuturesPositionRisk {
  readonly symbol: string;
  readonly positionSide: FuturesPositionSide;
  /** Signed: long > 0, short < 0, zero when flat. */
  readonly positionAmt: Fixed;
  readonly entryPrice: Fixed;
  /** Entry with the opening fees (funding not included). */
  readonly breakEvenPrice: Fixed;
  readonly markPrice: Fixed;
  readonly unrealizedPnl: Fixed;
  /** Zero when flat or when no price liquidates the position (Binance's "0"). */
  readonly liquidationPrice: Fixed;
  readonly leverage: number;
  readonly marginType: FuturesMarginType;
  /** The isolated position's own wallet; zero in cross. */
  readonly isolatedWallet: Fixed;
  /** Signed: positionAmt · mark. */
  readonly notional: Fixed;
  readonly updateTime: number;
}

/** One margin asset of the futures account. */
export interface FuturesBalance {
  readonly asset: string;
  readonly walletBalance: Fixed;
  readonly unrealizedProfit: Fixed;
  /** Wallet plus unrealized PnL. */
  readonly marginBalance: Fixed;
  readonly crossWalletBalance: Fixed;
  readonly availableBalance: Fixed;
  readonly maxWithdrawAmount: Fixed;
}

/** The account's totals (in the margin asset) and its assets. */
export interface FuturesAccount {
  readonly totalWalletBalance: Fixed;
  readonly totalUnrealizedProfit: Fixed;
  readonly totalMarginBalance: Fixed;
  readonly totalInitialMargin: Fixed;
  readonly totalMaintMargin: Fixed;
  readonly availableBalance: Fixed;
  readonly maxWithdrawAmount: Fixed;
  readonly assets: readonly FuturesBalance[];
}

export interface FuturesCommissionRates {
  readonly symbol: string;
  readonly maker: Fixed;
  readonly taker: Fixed;
}

/** The income kinds the bot books; anything else Binance lists (TRANSFER, WELCOME_BONUS…) is OTHER. */
export type FuturesIncomeType = 'REALIZED_PNL' | 'FUNDING_FEE' | 'COMMISSION' | 'INSURANCE_CLEAR' | 'OTHER';

/** One GET /fapi/v1/income row: COMMISSION is negative, FUNDING_FEE signed as the wallet moved. */
export interface FuturesIncome {
  readonly symbol: string;
  readonly incomeType: FuturesIncomeType;
  /** Binance's own name for the kind, kept for OTHER. */
  readonly venueType: string;
  readonly income: Fixed;
  readonly asset: string;
  readonly info: string;
  readonly time: number;
  /** Kept as digits: Binance's transaction ids exceed 2^53. */
  readonly tranId: string;
  /** The trade's id for REALIZED_PNL and COMMISSION. */
  readonly tradeId?: string;
}

/** GET /fapi/v1/premiumIndex for one symbol: the mark and the coming funding. */
export interface FuturesPremiumIndex {
  readonly symbol: string;
  readonly markPrice: Fixed;
  readonly indexPrice: Fixed;
  /** The rate the next settlement will apply (Binance names it `lastFundingRate`). */
  readonly fundingRate: Fixed;
  readonly nextFundingTime: number;
  readonly time: number;
}

/** A position as ACCOUNT_UPDATE reports it (only the ones that changed). */
interface FuturesPositionUpdate {
  readonly symbol: string;
  readonly positionSide: FuturesPositionSide;
  readonly positionAmt: Fixed;
  readonly entryPrice: Fixed;
  readonly breakEvenPrice: Fixed;
  /** Pre-fee realized PnL accumulated on the position (`cr`). */
  readonly accumulatedRealized: Fixed;
  readonly unrealizedPnl: Fixed;
  readonly marginType: FuturesMarginType;
  readonly isolatedWallet: Fixed;
}

/** ACCOUNT_UPDATE: why (`m`: ORDER, FUNDING_FEE, DEPOSIT, MARGIN_TYPE_CHANGE…), the balances and the changed positions. */
export interface FuturesAccountUpdate {
  readonly reason: string;
  readonly time: number;
  readonly balances: readonly {
    readonly asset: string;
    readonly walletBalance: Fixed;
    readonly crossWalletBalance: Fixed;
    /** The change other than PnL and commission (`bc`): a funding fee, a transfer. */
    readonly balanceChange: Fixed;
  }[];
  /** Empty for a cross funding settlement. */
  readonly positions: readonly FuturesPositionUpdate[];
}

/** MARGIN_CALL: positions whose margin ratio is close to liquidation. */
export interface FuturesMarginCall {
  readonly time: number;
  readonly crossWalletBalance: Fixed;
  readonly positions: readonly {
    readonly symbol: string;
    readonly positionSide: FuturesPositionSide;
    readonly positionAmt: Fixed;
    readonly marginType: FuturesMarginType;
    readonly isolatedWallet: Fixed;
    readonly markPrice: Fixed;
    readonly unrealizedPnl: Fixed;
    readonly maintMargin: Fixed;
  }[];
}
