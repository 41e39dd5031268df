import type { Candle, Fixed, FundingRateSeries, GridRoundTrip, Instrument } from '../../domain/index.js';
import type { RiskLimits } from '../../risk/index.js';
import type { GridParams, GridPreview } from '../../strategy/index.js';

/** One what-if: a grid as `/grid` parses it, replayed over candles in time order. */
export interface BacktestRequest {
  readonly params: GridParams;
  readonly instrument: Instrument;
  readonly candles: readonly Candle[];
  /** The candles' interval as Binance names it (1m, 1h): said in the report. */
  readonly interval: string;
  readonly fees: { readonly maker: Fixed; readonly taker: Fixed };
  /** The owner's limits; the replay's own clock makes staleness meaningless, so it is never judged. */
  readonly limits: RiskLimits;
  /** The paper account at the start; default: the grid's investment in quote, and nothing else. */
  readonly balances?: Readonly<Record<string, Fixed>>;
  /** Told every `progressEvery` candles (default 2,000) with how many of them are done. */
  readonly progress?: (done: number, total: number) => void;
  readonly progressEvery?: number;
  /** Told each round trip the grid books, as it books it (a test compares them with a running bot's, one by one). */
  readonly onRoundTrip?: (trip: GridRoundTrip) => void;
  // ── futures (params.futures set) ──
  /**
   * USD-M grids: the funding every settlement applies, a constant rate or a replayed series (loadFundingRates); default
   * the sandbox's constant 0.0001 (Binance's base 0.01 % per 8 h). `balances[quote]` is then the futures wallet.
   */
  readonly funding?: Fixed | FundingRateSeries;
}

/** A point of the equity curves, at a candle's close. */
export interface EquityPoint {
  readonly time: number;
  readonly close: Fixed;
  /** The grid's value: investment + its total PnL at the close. */
  readonly grid: Fixed;
  /** The same investment bought at the first price (taker fee paid) and held. */
  readonly hold: Fixed;
}

/** A fill of the grid's, for the chart's markers. */
export interface BacktestFill {
  readonly time: number;
  readonly side: 'BUY' | 'SELL';
  readonly price: Fixed;
  readonly quantity: Fixed;
}

/** What one strategy (the grid, or holding) made over the replay, in quote and percent of the investment. */
export interface Outcome {
  readonly totalPnl: Fixed;
  readonly returnPct: Fixed;
  /** Annualised return, percent (simple, not compounded, as /grids shows it). */
  readonly aprPct: Fixed;
  /** Largest fall from a peak of the equity curve at candle closes, percent of that peak. */
  readonly maxDrawdownPct: Fixed;
}

export interface BacktestReport {
  readonly symbol: string;
  readonly interval: string;
  readonly from: number;
  readonly to: number;
  readonly candles: number;
  readonly preview: GridPreview;
  readonly investment: Fixed;
  /** Σ matched round trips, net of both legs' fees. */
  readonly gridProfit: Fixed;
  readonly roundTrips: number;
  /** What the grid's unmatched inventory is worth against what it cost, at the last close. */
  readonly unrealizedPnl: Fixed;
  /** Every fee the grid's fills paid, valued in quote. */
  readonly fees: Fixed;
  readonly fills: number;
  readonly fillsPerDay: Fixed;
  /** Percent of candles whose close lay between the lowest and highest level. */
  readonly timeInRangePct: Fixed;
  readonly grid: Outcome;
  readonly hold: Outcome;
  /** Orders the risk gate refused during the replay, by code (an honest replay says when it could not place). */
  readonly denied: Readonly<Record<string, number>>;
  readonly equity: readonly EquityPoint[];
  readonly gridFills: readonly BacktestFill[];
  readonly wallMs: number;
  /** A futures grid's own figures (absent for spot). */
  readonly futures?: BacktestFutures;
}

// ── futures ──

/** One funding settlement the grid's position paid (negative) or received. */
export interface BacktestFunding {
  readonly time: number;
  readonly amount: Fixed;
  readonly rate?: Fixed;
}

/**
 * What only a futures replay has. Its `unrealizedPnl` above is then the position's alone, so the grid's total is grid
 * profit + unrealized + funding.
 */
export interface BacktestFutures {
  readonly mode: 'long' | 'short' | 'neutral';
  readonly leverage: number;
  readonly margin: 'cross' | 'isolated';
  /** The futures wallet the replay started with. */
  readonly wallet: Fixed;
  /** The futures wallet at the end, as the venue last reported it (realized PnL, fees and funding moved it; not uPnL). */
  readonly walletEnd: Fixed;
  /** Σ funding the grid's position paid (negative) or received. */
  readonly funding: Fixed;
  readonly settlements: readonly BacktestFunding[];
  /**
   * The venue liquidated the position during the replay: the grid stopped there, and from then on its figures are the
   * position closed at the liquidation price less the clearance fee (`unrealizedPnl` is then that close's result).
   */
  readonly liquidated: boolean;
}
