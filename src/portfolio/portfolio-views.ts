import type { Fixed } from '../domain/index.js';
import type { GridSince, UnvaluedFee } from './grid-books.js';

/** One symbol's position as people see it; all money in the symbol's quote asset. */
export interface PositionSnapshot {
  readonly symbol: string;
  readonly quantity: Fixed;
  readonly avgCost: Fixed;
  /** The last trade seen on the symbol; undefined before the first. */
  readonly lastPrice?: Fixed;
  /** Gross of fees. */
  readonly realizedPnl: Fixed;
  /** At the last trade, or at the last fill price before any trade was seen. */
  readonly unrealizedPnl: Fixed;
  readonly fees: Fixed;
  /** What the account holds of the base asset (free + locked, as the venue last reported it plus fills since). */
  readonly accountHolds?: Fixed;
  /** How much of the base each grid started on the symbol manages (running grids with base), by grid id. */
  readonly grids?: readonly { readonly gridId: string; readonly quantity: Fixed }[];
}

/** Fees paid in one asset since start, and what they were worth in the quote asset when paid. */
export interface FeePaid {
  readonly asset: string;
  readonly amount: Fixed;
  /** The valued part's worth in quote (all of it unless some could not be valued). */
  readonly valueQuote: Fixed;
  /** The part paid while no market gave the asset a price: not in valueQuote, nor in `fees`. */
  readonly unvalued: Fixed;
}

export interface GridProfit {
  readonly gridId: string;
  readonly symbol: string;
  readonly roundTrips: number;
  /** Σ of the round trips' profit, net of their fees. */
  readonly profit: Fixed;
  /** The grid's books since its start (grid-books.ts); absent for a grid started before they were kept. */
  readonly since?: GridSince;
  /** Its third-asset fees no market valued (absent when none, and in snapshots written before they were kept). */
  readonly unvaluedFees?: readonly UnvaluedFee[];
}

/**
 * The account's PnL, summed over every symbol on the assumption that all are quoted in one asset (the portfolio's
 * `quoteAsset`, USDT by default).
 */
export interface PnlSummary {
  /** Gross realized PnL since start. */
  readonly realized: Fixed;
  readonly unrealized: Fixed;
  readonly fees: Fixed;
  /** Net for the current UTC day of the clock: realized today − fees today + current unrealized. */
  readonly today: Fixed;
  readonly grids: readonly GridProfit[];
  /** Fees paid in an asset with no known price in the quote asset (e.g. BNB before any BNBUSDT trade): not in `fees`. */
  readonly unpricedFees: readonly { readonly asset: string; readonly amount: Fixed }[];
  /** Fees per asset paid in, with their value in quote. */
  readonly feesByAsset: readonly FeePaid[];
}

/** What the store needs to restore the portfolio after a restart (balances come back from the venue instead). */
export interface PortfolioSnapshot {
  readonly positions: readonly {
    readonly symbol: string;
    readonly qty: Fixed;
    readonly cost: Fixed;
    readonly realized: Fixed;
    readonly fees: Fixed;
    readonly lastFillPrice: Fixed;
  }[];
  readonly grids: readonly GridProfit[];
  /** UTC day number (ms / 86 400 000, floored) the `today` figures belong to. */
  readonly day: number;
  readonly realizedToday: Fixed;
  readonly feesToday: Fixed;
  /** Absent in snapshots written before fees were kept per asset. */
  readonly feesByAsset?: readonly FeePaid[];
}
