import { type Fixed, type GridStopReason, type Instrument, type OrderOwner, type Side, ZERO, gridOrderIdsOf } from '../../domain/index.js';
import { type Lot, NO_LOTS } from './round-trip-book.js';
import type { LevelSizing } from './level-sizing.js';
import { HeldLevels } from './held-levels.js';
import { OpenOrders } from './open-orders.js';
import type { GridIssue, GridParams, GridStatus, GridSummary, GridTrailView, GridWaiting, LadderLevel } from './grid-types.js';
import { linePrice } from './trail-lines.js';

/**
 * `opener` orders start a round trip (the initial ladder and the children of closers), `closer` orders finish one
 * (children of openers' fills); `entry` is the market buy that stocks the sells, `exit` the sl/tp market sell, `trail`
 * a trailing move's market buy, whose fill stocks the sell at the new top line (README "Trailing").
 */
export type OrderRole = 'opener' | 'closer' | 'entry' | 'exit' | 'trail';

/** A trailing grid's active lines and what its moves did; the snapshot keeps it, so a restart goes on trailing. */
export interface TrailState {
  /** The active window: lowest and highest line (level index) the grid trades on. */
  low: number;
  high: number;
  movesUp: number;
  movesDown: number;
  upLimitReached: boolean;
  downLimitReached: boolean;
  /** Why trailing stopped (a trailing order refused for a lasting reason); the grid runs on in its window. */
  off?: string;
}

/** One of a grid's orders while it may still fill. */
export interface GridOrder {
  readonly grid: GridState;
  readonly clientOrderId: string;
  readonly side: Side;
  readonly level: number;
  readonly role: OrderRole;
  /** What this closer closes, oldest first (empty for the other roles). */
  readonly lots: Lot[];
  /** Filled quantity whose re-arm is still under the symbol's minimum size; it goes out once more fills join it. */
  carryQty: Fixed;
  carryLots: Lot[];
  /** What the order was placed for (absent in grids saved before level sizing: derived from the ladder). */
  readonly quantity?: Fixed;
  /** The level quantity the order stands for: what the level's sell sells (a sized-up buy places more, level-sizing.ts). */
  readonly levelQty?: Fixed;
  /** The level quantity behind `carryQty` (they differ when a buy's fill fell short of its share); absent = carryQty. */
  carryLevel?: Fixed;
}

/**
 * A grid order as the strategy places it. A class, not an object literal: V8 pretenures a literal's allocation site once
 * most of its objects outlive a young collection (a resting order does), and on the fill path allocating pretenured
 * objects cost more than the young collections they spare.
 */
export class PlacedGridOrder implements GridOrder {
  readonly grid: GridState;
  readonly clientOrderId: string;
  readonly side: Side;
  readonly level: number;
  readonly role: OrderRole;
  readonly lots: Lot[];
  carryQty: Fixed = ZERO;
  carryLots: Lot[] = NO_LOTS;
  readonly quantity: Fixed;
  readonly levelQty: Fixed;
  // Named from the start: added at the order's first fill it would cost a property store.
  carryLevel: Fixed | undefined = undefined;

  constructor(
    grid: GridState,
    clientOrderId: string,
    side: Side,
    level: number,
    role: OrderRole,
    lots: Lot[],
    quantity: Fixed,
    levelQty: Fixed,
  ) {
    this.grid = grid;
    this.clientOrderId = clientOrderId;
    this.side = side;
    this.level = level;
    this.role = role;
    this.lots = lots;
    this.quantity = quantity;
    this.levelQty = levelQty;
  }
}

const MAX_ISSUES = 100;

/** A grid's round trips and profit as the portfolio books them (from GridRoundTrip), or nothing before the first. */
export type GridProfitBook = { readonly roundTrips: number; readonly profit: Fixed } | undefined;

/** A running (or stopped) grid's mutable state; the strategy is the only writer. */
export class GridState {
  status: GridStatus;
  stopReason: GridStopReason | undefined;
  /**
   * Levels waiting for the entry market order to fill completely: the sells after a market buy (spot, a long futures
   * grid), the buys after a market sell (a short futures grid).
   */
  pendingLevels: readonly LadderLevel[] | undefined;
  /** Confirmed with `at=PRICE` and waiting for the market to trade through it (status `waiting`); see trigger-watch.ts. */
  waiting: GridWaiting | undefined;
  /** Set by sl/tp: the inventory goes out at market once every canceled order has reported its end. */
  exitPending = false;
  exitPrice: Fixed | undefined;
  readonly open = new OpenOrders<GridOrder>();
  /** Re-arms refused for a passing reason (see held-levels.ts): each waits, with why, and is sent when the reason clears. */
  readonly held = new HeldLevels();
  inventory: Fixed = ZERO;
  /** The fee a buy is sized for; whether it is taken in base follows the fills (a BNB-paid fee turns it off). */
  sizing: LevelSizing = { feeRate: ZERO, feeInBase: true };
  /** Base held beyond the levels' sells: what sized-up buys delivered over their level quantity (grid-dust.ts). */
  dust: Fixed = ZERO;
  /** With exitPending: sell only the dust (a /stop), not the whole inventory (sl/tp). */
  exitDustOnly = false;
  /** The last fill's price: the dust's value when no market price is at hand. */
  lastFillPrice: Fixed | undefined;
  readonly issues: GridIssue[] = [];
  /** Every order of the grid names the same owner: one shared (readonly) value rather than one per order. */
  readonly owner: OrderOwner;
  /** The taker fee a trailing market buy is sized for (a fraction). */
  takerFee: Fixed = ZERO;
  /** With trailing on: the active window and the moves made (else undefined, and the ladder is `prices` alone). */
  trail: TrailState | undefined;
  /** Prices of lines beyond the placed ladder, computed once each. */
  private readonly beyond = new Map<number, Fixed | undefined>();
  private seq = 0;
  /** This grid's client order ids, its id checked once (an id is drawn per re-arm). */
  private readonly orderIdOf: ReturnType<typeof gridOrderIdsOf>;

  constructor(
    readonly id: string,
    readonly params: GridParams,
    readonly instrument: Instrument,
    /** Level prices −N..N at position index + N. */
    private readonly prices: readonly Fixed[],
    readonly startedAt: number,
    /** The price the ladder was built at (absent in grids saved before trailing: they cannot trail). */
    readonly referencePrice?: Fixed,
  ) {
    this.status = 'starting';
    this.owner = { kind: 'grid', gridId: id };
    this.orderIdOf = gridOrderIdsOf(id);
  }

  get symbol(): string {
    return this.params.symbol;
  }

  /** The next client order id; the per-grid counter makes the same sequence of decisions give the same ids. */
  nextOrderId(side: Side, level: number): string {
    this.seq += 1;
    return this.orderIdOf(this.seq, side, level);
  }

  /** How many client order ids the grid has drawn; a restored grid continues the count so ids never repeat. */
  get orderSeq(): number {
    return this.seq;
  }

  /** Continues the id sequence of a grid restored from a snapshot; it never goes back, so ids stay unique. */
  resumeOrderSeq(seq: number): void {
    if (!Number.isSafeInteger(seq) || seq < this.seq) throw new Error(`grid ${this.id}: cannot resume the order sequence at ${seq}`);
    this.seq = seq;
  }

  /** Level prices −N..N, as placed: a snapshot keeps them rather than recomputing them from the reference price. */
  get levelPrices(): readonly Fixed[] {
    return this.prices;
  }

  /** The price of a level, or undefined beyond the ladder (for a trailing grid: beyond its active window). */
  priceAt(level: number): Fixed | undefined {
    const t = this.trail;
    if (t === undefined) return this.prices[level + this.params.levels];
    return level < t.low || level > t.high ? undefined : this.linePrice(level);
  }

  /** The price of any line, in the ladder or beyond it (trail-lines.ts); undefined where it is not above zero. */
  linePrice(level: number): Fixed | undefined {
    const placed = this.prices[level + this.params.levels];
    if (placed !== undefined && placed > ZERO) return placed;
    if (this.referencePrice === undefined) return undefined;
    if (!this.beyond.has(level)) this.beyond.set(level, linePrice(this.params, this.instrument, this.referencePrice, level));
    return this.beyond.get(level);
  }

  /** The window as /grids shows it. */
  trailView(): GridTrailView | undefined {
    const t = this.trail;
    if (t === undefined) return undefined;
    return {
      low: t.low,
      high: t.high,
      lowPrice: this.linePrice(t.low) ?? ZERO,
      highPrice: this.linePrice(t.high) ?? ZERO,
      movesUp: t.movesUp,
      movesDown: t.movesDown,
      ...(t.upLimitReached ? { upLimitReached: true } : {}),
      ...(t.downLimitReached ? { downLimitReached: true } : {}),
      ...(t.off !== undefined ? { off: t.off } : {}),
    };
  }

  /**
   * The dust no buy has claimed yet: the dust less what each open (or held) buy placed at its bare level quantity will
   * draw from it when it fills (level-sizing.ts). A new buy draws on the dust only if this covers its fee.
   */
  freeDust(): Fixed {
    return this.dust - this.open.dustClaimed(this.sizing);
  }

  /** Base moves with every fill of the grid's own orders; a commission in base is base the grid no longer holds. */
  applyFill(side: Side, quantity: Fixed, commission: Fixed, commissionAsset: string): void {
    this.inventory += side === 'BUY' ? quantity : -quantity;
    if (commissionAsset === this.instrument.baseAsset) this.inventory -= commission;
  }

  recordIssue(order: { clientOrderId: string; side: Side; level: number }, code: string, message: string, time: number): void {
    this.issues.push({ clientOrderId: order.clientOrderId, side: order.side, level: order.level, code, message, time });
    // A grid can run for months: keep the recent history the owner reads, not every issue ever.
    if (this.issues.length > MAX_ISSUES) this.issues.splice(0, this.issues.length - MAX_ISSUES);
  }

  /** The grid as the chat shows it; its round trips and profit are the portfolio's one book of them. */
  summary(book: GridProfitBook): GridSummary {
    return {
      gridId: this.id,
      symbol: this.symbol,
      status: this.status,
      ...(this.stopReason ? { stopReason: this.stopReason } : {}),
      params: this.params,
      // Held re-arms are tracked among `open` but are not on the exchange: they are counted as waiting instead.
      openOrders: this.open.size - this.held.size,
      roundTrips: book?.roundTrips ?? 0,
      profit: book?.profit ?? ZERO,
      startedAt: this.startedAt,
      inventoryBase: this.inventory,
      issues: [...this.issues],
      dustBase: this.dust,
      baseAsset: this.instrument.baseAsset,
      ...(this.held.size > 0 ? { waiting: this.held.waiting() } : {}),
      ...(this.trail !== undefined ? { trail: this.trailView() } : {}),
    };
  }
}
