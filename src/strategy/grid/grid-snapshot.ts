import {
  type Fixed,
  type GridStopReason,
  type Instrument,
  type OrderIntent,
  type OrderType,
  type Side,
  type TimeInForce,
  ZERO,
} from '../../domain/index.js';
import { type GridOrder, GridState, type OrderRole, type TrailState } from './grid-state.js';
import type { GridIssue, GridParams, GridRange, GridStatus, GridTrail, GridWaiting, LadderLevel } from './grid-types.js';
import type { Lot } from './round-trip-book.js';
import type { HoldWhy } from './held-levels.js';

const GRID_SNAPSHOT_VERSION = 1;

interface LotSnapshot {
  readonly qty: Fixed;
  readonly fee: Fixed;
  readonly price: Fixed;
}

/** One order of the grid that may still fill (held re-arms included: they stay the grid's until trading resumes). */
interface GridOrderSnapshot {
  readonly clientOrderId: string;
  readonly side: Side;
  readonly level: number;
  readonly role: OrderRole;
  readonly lots: readonly LotSnapshot[];
  readonly carryQty: Fixed;
  readonly carryLots: readonly LotSnapshot[];
  /** Level sizing (absent in snapshots written before it: the ladder's quantity is used). */
  readonly quantity?: Fixed;
  readonly levelQty?: Fixed;
  readonly carryLevel?: Fixed;
}

/** A re-arm held back for a passing reason (held-levels.ts); its owner is the grid, so it is not stored. */
interface HeldIntentSnapshot {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly price?: Fixed;
  readonly timeInForce?: TimeInForce;
  readonly quantity: Fixed;
  readonly reducesPosition: boolean;
  /** Why it waits; absent in snapshots written before reasons were kept, which held only for a halt. */
  readonly why?: HoldWhy;
}

/**
 * Everything a grid needs to go on after a restart, as plain data (strings, numbers, booleans, arrays, plain objects,
 * and bigints for Fixed). Optional fields are left out rather than undefined, so a JSON round trip changes nothing.
 */
export interface GridSnapshot {
  readonly version: 1;
  readonly gridId: string;
  readonly params: GridParams;
  /** Level prices −N..N at position index + N, exactly as placed. */
  readonly prices: readonly Fixed[];
  readonly startedAt: number;
  readonly status: GridStatus;
  readonly stopReason?: GridStopReason;
  /** The per-grid client-order-id counter: the next id is `seq + 1`. */
  readonly seq: number;
  /** GridState.pendingLevels, under the name it had when only sells waited for an entry (kept for stored snapshots). */
  readonly pendingSells?: readonly LadderLevel[];
  readonly exitPending: boolean;
  readonly exitPrice?: Fixed;
  readonly inventory: Fixed;
  readonly issues: readonly GridIssue[];
  /** In the grid's own order (the order its cancels go out in). */
  readonly open: readonly GridOrderSnapshot[];
  readonly held: readonly HeldIntentSnapshot[];
  /** Level sizing and dust; absent in snapshots written before them (fee rate 0 until the strategy's default applies). */
  readonly feeRate?: Fixed;
  readonly feeInBase?: boolean;
  readonly dust?: Fixed;
  readonly exitDustOnly?: boolean;
  /** A grid waiting for its trigger: what it places then (absent otherwise, and in snapshots before the trigger). */
  readonly waiting?: GridWaiting;
  /** The price the ladder was built at: lines beyond it (trailing) are priced from it. Absent before trailing. */
  readonly referencePrice?: Fixed;
  /** The taker fee a trailing market buy is sized for. */
  readonly takerFee?: Fixed;
  /** A trailing grid's active window and moves (absent without trailing). */
  readonly trail?: TrailSnapshot;
  /** Levels (`SIDE level`) whose lasting refusal was told: told once across restarts too (absent when none). */
  readonly toldLasting?: readonly string[];
}

interface TrailSnapshot {
  readonly low: number;
  readonly high: number;
  readonly movesUp: number;
  readonly movesDown: number;
  readonly upLimitReached: boolean;
  readonly downLimitReached: boolean;
  readonly off?: string;
}

const trailOut = (t: TrailState): TrailState => ({
  low: t.low,
  high: t.high,
  movesUp: t.movesUp,
  movesDown: t.movesDown,
  upLimitReached: t.upLimitReached,
  downLimitReached: t.downLimitReached,
  ...(t.off !== undefined ? { off: t.off } : {}),
});

const trailParamOut = (t: GridTrail): GridTrail => (t.limit !== undefined ? { limit: t.limit } : {});

const lotOut = (l: Lot): LotSnapshot => ({ qty: l.qty, fee: l.fee, price: l.price });
const lotIn = (l: LotSnapshot): Lot => ({ qty: l.qty, fee: l.fee, price: l.price });

function paramsOut(p: GridParams): GridParams {
  return {
    symbol: p.symbol,
    levels: p.levels,
    spacingPct: p.spacingPct,
    amountQuote: p.amountQuote,
    spacing: p.spacing,
    ...(p.stopLoss !== undefined ? { stopLoss: p.stopLoss } : {}),
    ...(p.takeProfit !== undefined ? { takeProfit: p.takeProfit } : {}),
    ...(p.range !== undefined ? { range: rangeOut(p.range) } : {}),
    ...(p.trigger !== undefined ? { trigger: p.trigger } : {}),
    ...(p.trailUp !== undefined ? { trailUp: trailParamOut(p.trailUp) } : {}),
    ...(p.trailDown !== undefined ? { trailDown: trailParamOut(p.trailDown) } : {}),
  };
}

const rangeOut = (r: GridRange): GridRange => ({
  lower: r.lower,
  upper: r.upper,
  grids: r.grids,
  ...(r.investQuote !== undefined ? { investQuote: r.investQuote } : {}),
});

const waitingOut = (w: GridWaiting): GridWaiting => ({
  trigger: w.trigger,
  from: w.from,
  levels: w.levels.map(levelOut),
  ...(w.marketBuy !== undefined ? { marketBuy: { quantity: w.marketBuy.quantity, estimatedQuote: w.marketBuy.estimatedQuote } } : {}),
  ...(w.marketSell !== undefined ? { marketSell: { quantity: w.marketSell.quantity, estimatedQuote: w.marketSell.estimatedQuote } } : {}),
  ...(w.books !== undefined
    ? { books: { startPrice: w.books.startPrice, quoteForBuys: w.books.quoteForBuys, baseForSells: w.books.baseForSells } }
    : {}),
});

const levelOut = (l: LadderLevel): LadderLevel => ({
  index: l.index,
  side: l.side,
  price: l.price,
  quantity: l.quantity,
  notional: l.notional,
  ...(l.sellQuantity !== undefined ? { sellQuantity: l.sellQuantity } : {}),
});

const issueOut = (i: GridIssue): GridIssue => ({
  clientOrderId: i.clientOrderId,
  side: i.side,
  level: i.level,
  code: i.code,
  message: i.message,
  time: i.time,
});

function intentOut(i: HeldIntentSnapshot): HeldIntentSnapshot {
  return {
    clientOrderId: i.clientOrderId,
    symbol: i.symbol,
    side: i.side,
    type: i.type,
    ...(i.price !== undefined ? { price: i.price } : {}),
    ...(i.timeInForce !== undefined ? { timeInForce: i.timeInForce } : {}),
    quantity: i.quantity,
    reducesPosition: i.reducesPosition,
  };
}

const whyOut = (w: HoldWhy): HoldWhy => ({
  cause: w.cause,
  code: w.code,
  since: w.since,
  ...(w.retryAt !== undefined ? { retryAt: w.retryAt } : {}),
  attempts: w.attempts,
});

/** A deep copy of the grid's state: later fills mutate lots in place, and must not reach a snapshot already taken. */
export function snapshotGrid(grid: GridState): GridSnapshot {
  return {
    version: GRID_SNAPSHOT_VERSION,
    gridId: grid.id,
    params: paramsOut(grid.params),
    prices: [...grid.levelPrices],
    startedAt: grid.startedAt,
    status: grid.status,
    ...(grid.stopReason !== undefined ? { stopReason: grid.stopReason } : {}),
    seq: grid.orderSeq,
    ...(grid.pendingLevels !== undefined ? { pendingSells: grid.pendingLevels.map(levelOut) } : {}),
    exitPending: grid.exitPending,
    ...(grid.exitPrice !== undefined ? { exitPrice: grid.exitPrice } : {}),
    inventory: grid.inventory,
    issues: grid.issues.map(issueOut),
    open: [...grid.open.values()].map((o) => ({
      clientOrderId: o.clientOrderId,
      side: o.side,
      level: o.level,
      role: o.role,
      lots: o.lots.map(lotOut),
      carryQty: o.carryQty,
      carryLots: o.carryLots.map(lotOut),
      ...(o.quantity !== undefined ? { quantity: o.quantity } : {}),
      ...(o.levelQty !== undefined ? { levelQty: o.levelQty } : {}),
      ...(o.carryLevel !== undefined ? { carryLevel: o.carryLevel } : {}),
    })),
    held: [...grid.held.values()].map((i) => {
      const why = grid.held.whyOf(i.clientOrderId);
      return { ...intentOut(i), ...(why !== undefined ? { why: whyOut(why) } : {}) };
    }),
    feeRate: grid.sizing.feeRate,
    feeInBase: grid.sizing.feeInBase,
    dust: grid.dust,
    ...(grid.exitDustOnly ? { exitDustOnly: true } : {}),
    ...(grid.waiting !== undefined ? { waiting: waitingOut(grid.waiting) } : {}),
    // Only a trailing grid prices lines beyond its ladder or sends a market buy after its start.
    ...(grid.trail !== undefined && grid.referencePrice !== undefined
      ? { referencePrice: grid.referencePrice, takerFee: grid.takerFee, trail: trailOut(grid.trail) }
      : {}),
    ...(grid.held.toldLasting.size > 0 ? { toldLasting: [...grid.held.toldLasting] } : {}),
  };
}

/** Refuses a snapshot written by a format this build does not read (a newer one, or something else entirely). */
export function assertSnapshotVersion(s: { readonly version: unknown; readonly gridId?: unknown }): void {
  if (s.version !== GRID_SNAPSHOT_VERSION)
    throw new Error(`grid snapshot ${String(s.gridId)}: unknown version ${String(s.version)} (this build reads ${GRID_SNAPSHOT_VERSION})`);
}

/**
 * Rebuilds a grid from its snapshot with the symbol's current filters. Throws on a version it does not know or on a
 * snapshot that contradicts itself, so a damaged record is refused rather than half-restored.
 */
export function restoreGrid(s: GridSnapshot, instrument: Instrument): GridState {
  assertSnapshotVersion(s);
  if (instrument.symbol !== s.params.symbol)
    throw new Error(`grid snapshot ${s.gridId}: instrument ${instrument.symbol} is not ${s.params.symbol}`);
  if (s.prices.length !== 2 * s.params.levels + 1)
    throw new Error(`grid snapshot ${s.gridId}: ${s.prices.length} prices for ${s.params.levels} levels`);
  const grid = new GridState(s.gridId, paramsOut(s.params), instrument, [...s.prices], s.startedAt, s.referencePrice);
  if (s.takerFee !== undefined) grid.takerFee = s.takerFee;
  if (s.trail !== undefined) {
    if (s.referencePrice === undefined)
      throw new Error(`grid snapshot ${s.gridId}: a trailing window without the price its lines come from`);
    grid.trail = trailOut(s.trail);
  }
  grid.resumeOrderSeq(s.seq);
  grid.status = s.status;
  grid.stopReason = s.stopReason;
  grid.pendingLevels = s.pendingSells?.map(levelOut);
  grid.exitPending = s.exitPending;
  grid.exitPrice = s.exitPrice;
  grid.inventory = s.inventory;
  if (s.feeRate !== undefined) grid.sizing = { feeRate: s.feeRate, feeInBase: s.feeInBase ?? true };
  grid.dust = s.dust ?? ZERO;
  grid.exitDustOnly = s.exitDustOnly ?? false;
  grid.waiting = s.waiting !== undefined ? waitingOut(s.waiting) : undefined;
  for (const i of s.issues) grid.issues.push(issueOut(i));
  for (const o of s.open) {
    const order: GridOrder = {
      grid,
      clientOrderId: o.clientOrderId,
      side: o.side,
      level: o.level,
      role: o.role,
      lots: o.lots.map(lotIn),
      carryQty: o.carryQty,
      carryLots: o.carryLots.map(lotIn),
      ...(o.quantity !== undefined ? { quantity: o.quantity } : {}),
      ...(o.levelQty !== undefined ? { levelQty: o.levelQty } : {}),
      ...(o.carryLevel !== undefined ? { carryLevel: o.carryLevel } : {}),
    };
    grid.open.set(order.clientOrderId, order);
  }
  for (const h of s.held) {
    // A held re-arm is still one of the grid's orders; without it, resuming would send an order nobody tracks.
    if (!grid.open.has(h.clientOrderId))
      throw new Error(`grid snapshot ${s.gridId}: held ${h.clientOrderId} is not one of its open orders`);
    const intent: OrderIntent = { ...intentOut(h), owner: grid.owner };
    // Written before reasons were kept, when only a halt held a re-arm: since when is the time its refusal was recorded.
    const since = s.issues.findLast((i) => i.clientOrderId === h.clientOrderId)?.time ?? s.startedAt;
    grid.held.hold(intent, h.why !== undefined ? whyOut(h.why) : { cause: 'halt', code: 'TRADING_HALTED', since, attempts: 0 });
  }
  // What held them may have cleared while the bot was down: the symbol's first trade sends them to be judged again.
  grid.held.restored = s.held.length > 0;
  for (const level of s.toldLasting ?? []) grid.held.toldLasting.add(level);
  return grid;
}
