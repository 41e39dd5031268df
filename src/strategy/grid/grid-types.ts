import type { Fixed, Side } from '../../domain/index.js';
import type { WaitingLevels } from './held-levels.js';

type Spacing = 'arithmetic' | 'geometric';

/** What `/grid SYMBOL LEVELS SPACING [AMOUNT] [geometric] [sl=PRICE] [tp=PRICE]` asks for. */
export interface GridParams {
  readonly symbol: string;
  /**
   * `/grid SYMBOL auto`: levels and spacing are left to the hourly volatility (the app resolves them before the
   * preview is built; a preview's params never carry it).
   */
  readonly auto?: true;
  /** Levels on each side of the reference price. */
  readonly levels: number;
  /** Percent between neighbouring levels, e.g. 0.5 for 0.5 %. */
  readonly spacingPct: Fixed;
  /** Quote currency per level. */
  readonly amountQuote: Fixed;
  readonly spacing: Spacing;
  readonly stopLoss?: Fixed;
  readonly takeProfit?: Fixed;
  /**
   * The range form (`/grid SYMBOL LOWER-UPPER GRIDS`): the ladder is `grids + 1` price lines from lower to upper, and
   * `levels`/`spacingPct` are filled in by the preview from the lines and the price (see range-ladder.ts).
   */
  readonly range?: GridRange;
  /** `at=PRICE`: the grid is confirmed but places nothing until the market trades through this price. */
  readonly trigger?: Fixed;
  /** `trail` / `trail=PRICE`: the grid moves up a line at a time when the market leaves its top (README "Trailing"). */
  readonly trailUp?: GridTrail;
  /** `trail-down` / `trail-down=PRICE`: the mirror below the bottom line; off by default. */
  readonly trailDown?: GridTrail;
  /** `long|short|neutral [xN] [cross|isolated]`: a USD-M perpetual grid (README "Futures grids"); absent on spot. */
  readonly futures?: FuturesGridTerms;
}

type FuturesGridMode = 'long' | 'short' | 'neutral';
type FuturesMarginMode = 'cross' | 'isolated';

/** What makes a grid a futures grid: its direction, leverage and margin mode. */
export interface FuturesGridTerms {
  readonly mode: FuturesGridMode;
  /** Whole number, x1 up to the symbol's first bracket's initial leverage. */
  readonly leverage: number;
  readonly margin: FuturesMarginMode;
}

/** One side's worst case in a futures preview: the market on the outermost opening level, every level before it filled. */
export interface FuturesWorstCase {
  readonly side: 'long' | 'short';
  readonly level: number;
  readonly levelPrice: Fixed;
  /** Signed position there (long > 0). */
  readonly position: Fixed;
  readonly entryPrice: Fixed;
  /** Absent when the formula has no positive root (Binance's "--": the margin covers the whole move). */
  readonly liquidationPrice?: Fixed;
  /** How far the liquidation price is from the price now, in percent of it (floored). */
  readonly distanceFromPricePct?: Fixed;
  /** How far it is from that level, in percent of the level (floored). */
  readonly distanceFromLevelPct?: Fixed;
}

/** What leverage adds to a grid's preview (futures-preview.ts says how each figure is made). */
export interface FuturesGridFigures {
  readonly terms: FuturesGridTerms;
  /** Opened at market on start: long grids buy what their sells will sell, short grids sell what their buys will buy. */
  readonly initialPosition?: { readonly quantity: Fixed; readonly price: Fixed; readonly fee: Fixed };
  /** Initial margin of the worst one-sided position plus the fees of reaching it. */
  readonly marginNeeded: Fixed;
  /** The wallet the estimate assumed (cross: the account's available balance). */
  readonly walletBalance: Fixed;
  readonly worst: readonly FuturesWorstCase[];
  /** Wallet change per funding interval at the coming rate (negative: the position pays). */
  readonly funding: {
    readonly rate: Fixed;
    readonly intervalHours: number;
    readonly initial: Fixed;
    readonly full: Fixed;
    readonly fullPosition: Fixed;
  };
  /** Opening levels closer to their liquidation price than the risk setting allows. */
  readonly tooCloseLevels: readonly number[];
}

export type FuturesGridPreview = GridPreview & { readonly futures: FuturesGridFigures };

/** One direction of trailing; `limit` is the price the moved ladder's outer line may not pass (none: no limit). */
export interface GridTrail {
  readonly limit?: Fixed;
}

/** How far a trailing grid has moved: its active lines (level indices, lowest and highest) and the moves made. */
export interface GridTrailView {
  readonly low: number;
  readonly high: number;
  readonly lowPrice: Fixed;
  readonly highPrice: Fixed;
  readonly movesUp: number;
  readonly movesDown: number;
  /** Set once a move was not made because its new outer line would pass the limit price. */
  readonly upLimitReached?: boolean;
  readonly downLimitReached?: boolean;
  /** Trailing was switched off after a trailing order failed for a lasting reason (the grid runs on, in place). */
  readonly off?: string;
}

/** Binance's grid as its users describe it: `grids` intervals between `lower` and `upper`, so `grids + 1` lines. */
export interface GridRange {
  readonly lower: Fixed;
  readonly upper: Fixed;
  readonly grids: number;
  /** The total investment the owner typed, when they gave one (the per-grid amount is `amountQuote`). */
  readonly investQuote?: Fixed;
}

/** The same ladder described both ways, from its rounded prices: what the preview shows beside the level table. */
export interface LadderShape {
  /** The lowest and highest price line (the skipped line near the price included). */
  readonly lower: Fixed;
  readonly upper: Fixed;
  /** The line at level 0, which carries no order: the reference rounded to the tick, or a range's line nearest it. */
  readonly centre: Fixed;
  /** Intervals between neighbouring lines. */
  readonly grids: number;
  /** Distance between neighbouring lines in price and in percent of the lower one (floored), least and most. */
  readonly stepPrice: { readonly min: Fixed; readonly max: Fixed };
  readonly stepPct: { readonly min: Fixed; readonly max: Fixed };
  /** Quantity of one order, least and most over the placed levels. */
  readonly quantity: { readonly min: Fixed; readonly max: Fixed };
}

/** One rung of the ladder after rounding to the symbol's filters. Index is negative below the price, positive above. */
export interface LadderLevel {
  readonly index: number;
  readonly side: Side;
  readonly price: Fixed;
  /** What the order places: for a buy whose fee is taken in base, the level quantity sized up (level-sizing.ts). */
  readonly quantity: Fixed;
  readonly notional: Fixed;
  /** A buy's level quantity (what the sell it re-arms sells), when the buy is sized up over it; else it is `quantity`. */
  readonly sellQuantity?: Fixed;
}

export type GridWarning =
  | { readonly code: 'SPACING_UNDER_TWICE_FEE'; readonly message: string }
  | { readonly code: 'BELOW_MIN_NOTIONAL'; readonly message: string; readonly levels: readonly number[] }
  | { readonly code: 'TOO_MANY_ORDERS'; readonly message: string }
  | { readonly code: 'INSUFFICIENT_QUOTE'; readonly message: string }
  | { readonly code: 'LEVEL_COLLAPSED'; readonly message: string; readonly levels?: readonly number[] }
  /** Levels a filter other than the minimum size rejects (price band, price limits, maximum quantity); dropped. */
  | { readonly code: 'LEVEL_REJECTED_BY_FILTER'; readonly message: string; readonly levels: readonly number[] }
  /** The market buy the sells need fails the symbol's filters, so it is left out and the sells lack base. */
  | { readonly code: 'MARKET_BUY_REJECTED_BY_FILTER'; readonly message: string }
  /** Orders the risk gate will refuse with the owner's limits as they stand (added by the app, which knows them). */
  | { readonly code: 'RISK_LIMIT'; readonly message: string }
  /** Futures: opening levels within the risk setting's distance of their liquidation price. */
  | { readonly code: 'NEAR_LIQUIDATION'; readonly message: string; readonly levels: readonly number[] }
  /** Futures, cross margin: the grid's margin exceeds the account's available balance. */
  | { readonly code: 'INSUFFICIENT_MARGIN'; readonly message: string };

/** Everything the owner sees before confirming; starting a grid places exactly `levels` as previewed. */
export interface GridPreview {
  readonly params: GridParams;
  /**
   * The hourly volatility beside the ladder (NATR, the spacing it suggests over a floor of twice the round-trip fee,
   * the levels the last 24 h range spans) and, for an auto grid, how its levels and spacing were chosen; absent when
   * there are too few hourly candles.
   */
  readonly volatility?: { readonly line: string; readonly auto?: string };
  readonly referencePrice: Fixed;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** Index 0 (the reference price) carries no order. Sorted by index ascending. */
  readonly levels: readonly LadderLevel[];
  /** Quote locked by the buy side. */
  readonly quoteForBuys: Fixed;
  /** Base the sell side needs. */
  readonly baseForSells: Fixed;
  /** Bought at market before the sells go out, when the account holds less base than the sells need. */
  readonly marketBuy?: { readonly quantity: Fixed; readonly estimatedQuote: Fixed };
  /** A short futures grid's opening short: sold at market before the buys (which close it) go out. */
  readonly marketSell?: { readonly quantity: Fixed; readonly estimatedQuote: Fixed };
  /** Total quote the grid needs: buys plus the market buy. */
  readonly quoteNeeded: Fixed;
  /** Profit of one grid (one level up and back), net of maker fees on both legs, at the tightest and widest level. */
  readonly profitPerGrid: { readonly minPct: Fixed; readonly maxPct: Fixed; readonly minQuote: Fixed; readonly maxQuote: Fixed };
  /** A fraction, as Binance's commissionRates give it: 0.001 is 0.1 %. */
  readonly makerFee: Fixed;
  readonly warnings: readonly GridWarning[];
  /** Whether a buy's fee is expected in base (true unless the preview was told otherwise, e.g. BNB pays fees). */
  readonly buyFeeInBase?: boolean;
  /** With the fee in base: one level's example, buys `buy` so that `sell` is left after the `feeRate` fee. */
  readonly feeSizing?: { readonly feeRate: Fixed; readonly buy: Fixed; readonly sell: Fixed };
  /** Range and spacing of the ladder (absent from previews made before the range form). */
  readonly shape?: LadderShape;
  /** For a grid with a trigger: the last price when the preview was made (the ladder itself is priced at the trigger). */
  readonly marketPrice?: Fixed;
  /** The taker fee (a fraction), which a trailing grid's market buy is sized for. */
  readonly takerFee?: Fixed;
}

/** `waiting`: confirmed with `at=PRICE`, nothing placed until the market trades through that price. */
/**
 * A grid confirmed with `at=PRICE` and not yet placed: the previewed ladder (priced at the trigger) and the side of the
 * trigger the market was on at the preview, so "trades through" means reaching the trigger from that side.
 */
export interface GridWaiting {
  readonly trigger: Fixed;
  readonly from: 'below' | 'above';
  readonly levels: readonly LadderLevel[];
  readonly marketBuy?: { readonly quantity: Fixed; readonly estimatedQuote: Fixed };
  readonly marketSell?: { readonly quantity: Fixed; readonly estimatedQuote: Fixed };
  /**
   * The confirmed preview's books, announced when the trigger fires so the grid's investment and the coins it takes
   * from holdings are booked then (absent in snapshots written before them: the grid's books then start at its first fill).
   */
  readonly books?: { readonly startPrice: Fixed; readonly quoteForBuys: Fixed; readonly baseForSells: Fixed; readonly investment?: Fixed };
}

export type GridStatus = 'waiting' | 'starting' | 'running' | 'stopped';

/** Something that went wrong with one of a grid's orders; recorded, never retried in a loop. */
export interface GridIssue {
  readonly clientOrderId: string;
  readonly side: Side;
  readonly level: number;
  readonly code: string;
  readonly message: string;
  readonly time: number;
}

export interface GridSummary {
  readonly gridId: string;
  readonly symbol: string;
  readonly status: GridStatus;
  readonly stopReason?: string;
  readonly params: GridParams;
  readonly openOrders: number;
  readonly roundTrips: number;
  readonly profit: Fixed;
  readonly startedAt: number;
  /** Base the grid holds: bought minus sold (market buy and exit included) minus base-asset fees. */
  readonly inventoryBase?: Fixed;
  readonly issues?: readonly GridIssue[];
  /** Base the grid holds beyond its levels' sells (sub-step rests of sized-up buys); sold when the grid ends. */
  readonly dustBase?: Fixed;
  readonly baseAsset?: string;
  /** Re-arms waiting for a passing reason to clear, grouped by cause (absent when none wait). */
  readonly waiting?: readonly WaitingLevels[];
  /** A trailing grid's window and moves (absent without trailing). */
  readonly trail?: GridTrailView;
}

/** What starting a grid did: its opening orders sent, how many the risk gate let through, and why the rest were not. */
export interface GridStartReport {
  readonly gridId: string;
  /** Opening orders sent now (the market buy and the buy levels, or every level without a market buy). */
  readonly requested: number;
  /** Of those, approved and on their way to the exchange. */
  readonly placed: number;
  /** Sell levels that wait for the market buy to fill. */
  readonly waiting: number;
  /** The refusals, grouped by reason code. */
  readonly refused: readonly { readonly code: string; readonly count: number; readonly message: string }[];
}
