import type { Candle, Fixed, Side } from '../domain/index.js';

/** A running grid's levels; prices exact, as the strategy holds them. */
export interface ChartLadder {
  readonly buys: readonly Fixed[];
  readonly sells: readonly Fixed[];
}

/** One fill, drawn on the candle whose interval holds `time` (ms, UTC). */
export interface ChartFill {
  readonly time: number;
  readonly price: Fixed;
  readonly side: Side;
}

/** A second line in the PnL panel, drawn against the first (a backtest's holding instead of its grid). */
export interface PnlCompare {
  /** Its name in the panel's legend and the header ("hold PnL"). */
  readonly label: string;
  readonly points: readonly { readonly time: number; readonly value: Fixed }[];
}

/** The second panel: a grid's or the account's PnL over time. */
export interface PnlSeries {
  /** What it is ("PnL"); the panel's axis reads "PnL USDT". */
  readonly label: string;
  /** The quote asset the values are in ("USDT"). */
  readonly unit: string;
  readonly points: readonly { readonly time: number; readonly value: Fixed }[];
  /** Decimals of the printed values (default 2). */
  readonly decimals?: number;
  /** A line to read the first against; with it the panel gets a legend naming both, and its axis just the unit. */
  readonly compare?: PnlCompare;
}

/** Everything one chart shows: data only, so the same spec always gives the same bytes. */
export interface ChartSpec {
  readonly title: string;
  /** Oldest first, one interval apart; at least one. */
  readonly candles: readonly Candle[];
  /** The symbol's tick: prices are printed with its decimals (default: as many as the price has). */
  readonly tickSize?: Fixed;
  readonly ladder?: ChartLadder;
  /** Fills outside the candles' time span are left out. */
  readonly fills?: readonly ChartFill[];
  /** Tagged on the right; defaults to the last candle's close. */
  readonly lastPrice?: Fixed;
  readonly pnl?: PnlSeries;
  /** Pixels; default 1200 × 800. Everything scales with the width, so a phone shows it the same at any size. */
  readonly width?: number;
  readonly height?: number;
}

export interface RenderedChart {
  readonly png: Buffer;
  readonly svg: string;
}
