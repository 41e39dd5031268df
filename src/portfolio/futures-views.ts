import type { Fixed, FuturesMarginType } from '../domain/index.js';

/** One perpetual as people see it: all money in the margin asset (USDT). */
export interface FuturesPositionView {
  readonly symbol: string;
  /** Signed: long > 0, short < 0, zero when flat. */
  readonly amount: Fixed;
  readonly entryPrice: Fixed;
  /** Entry with the opening fees (funding not in it, as Binance shows it). */
  readonly breakEvenPrice: Fixed;
  /** The last mark heard; absent before the first. */
  readonly mark?: Fixed;
  /** At the mark (at the entry, so zero, before any mark). */
  readonly unrealizedPnl: Fixed;
  /** Absent when flat, when no price liquidates it, or before the brackets are known. */
  readonly liquidationPrice?: Fixed;
  /** How far the mark is from it, percent of the mark, toward the liquidating side. */
  readonly liquidationDistancePct?: Fixed;
  readonly leverage: number;
  readonly marginType: FuturesMarginType;
  readonly isolatedWallet: Fixed;
  /** Pre-fee, since the bot first traded the symbol. */
  readonly realizedPnl: Fixed;
  readonly fees: Fixed;
  /** Funding as the wallet moved: negative when paid. */
  readonly funding: Fixed;
  /** The coming settlement's rate and time, from the last mark tick. */
  readonly fundingRate?: Fixed;
  readonly nextFundingTime?: number;
}

/** The USD-M account as the book holds it. */
export interface FuturesTotals {
  readonly walletBalance: Fixed;
  readonly crossWalletBalance: Fixed;
  readonly availableMargin: Fixed;
  readonly realizedPnl: Fixed;
  readonly fees: Fixed;
  /** Every symbol's funding plus what no known position explained. */
  readonly funding: Fixed;
  readonly unattributedFunding: Fixed;
  readonly unrealizedPnl: Fixed;
}

/** What the store keeps of the futures book across a restart (positions are reconciled with the venue at start). */
export interface FuturesBookState {
  readonly version: 1;
  readonly walletBalance: Fixed;
  readonly crossWalletBalance: Fixed;
  readonly unattributedFunding: Fixed;
  /** UTC day number of `todayNet` (-1 before anything was booked), and realized − fees + funding booked in it. */
  readonly day: number;
  readonly todayNet: Fixed;
  /** FUNDING_FEE income row ids already booked, newest last. */
  readonly seenFundingIds: readonly string[];
  readonly symbols: readonly {
    readonly symbol: string;
    readonly amount: Fixed;
    readonly entryPrice: Fixed;
    readonly entryNotional: Fixed;
    readonly openingFees: Fixed;
    readonly realizedPnl: Fixed;
    readonly fees: Fixed;
    readonly funding: Fixed;
    readonly leverage: number;
    readonly marginType: FuturesMarginType;
    readonly isolatedWallet: Fixed;
  }[];
}
