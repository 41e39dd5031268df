import type { Fixed, GridStopReason, Instrument, OrderIntent, OrderType, Side, TimeInForce } from '../../domain/index.js';
import { type GridOrder, GridState, type OrderRole } from './grid-state.js';
import type { GridIssue, GridParams, GridRange, GridStatus, GridWaiting, LadderLevel } from './grid-types.js';
import type { Lot } from './round-trip-book.js';

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
}

/** A re-arm the risk gate held back while trading was halted; its owner is the grid, so it is not stored. */
interface HeldIntentSnapshot {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly price?: Fixed;
  readonly timeInForce?: TimeInForce;
  readonly quantity: Fixed;
  readonly reducesPosition: boolean;
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
  readonly pendingSells?: readonly LadderLevel[];
  readonly exitPending: boolean;
  readonly exitPrice?: Fixed;
  readonly inventory: Fixed;
  readonly issues: readonly GridIssue[];
  /** In the grid's own order (the order its cancels go out in). */
  readonly open: readonly GridOrderSnapshot[];
  readonly held: readonly HeldIntentSnapshot[];
  /** A grid waiting for its trigger: what it places then (absent otherwise, and in snapshots before the trigger). */
  readonly waiting?: GridWaiting;
}

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
});

const levelOut = (l: LadderLevel): LadderLevel => ({
  index: l.index,
  side: l.side,
  price: l.price,
  quantity: l.quantity,
  notional: l.notional,
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
    ...(grid.pendingSells !== undefined ? { pendingSells: grid.pendingSells.map(levelOut) } : {}),
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
    })),
    held: [...grid.held.values()].map(intentOut),
    ...(grid.waiting !== undefined ? { waiting: waitingOut(grid.waiting) } : {}),
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
  const grid = new GridState(s.gridId, paramsOut(s.params), instrument, [...s.prices], s.startedAt);
  grid.resumeOrderSeq(s.seq);
  grid.status = s.status;
  grid.stopReason = s.stopReason;
  grid.pendingSells = s.pendingSells?.map(levelOut);
  grid.exitPending = s.exitPending;
  grid.exitPrice = s.exitPrice;
  grid.inventory = s.inventory;
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
    };
    grid.open.set(order.clientOrderId, order);
  }
  for (const h of s.held) {
    // A held re-arm is still one of the grid's orders; without it, resuming would send an order nobody tracks.
    if (!grid.open.has(h.clientOrderId))
      throw new Error(`grid snapshot ${s.gridId}: held ${h.clientOrderId} is not one of its open orders`);
    const intent: OrderIntent = { ...intentOut(h), owner: grid.owner };
    grid.held.set(h.clientOrderId, intent);
  }
  return grid;
}
