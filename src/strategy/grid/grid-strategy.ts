import {
  type DenialCode,
  type Fixed,
  type GridStopReason,
  type Instrument,
  type OrderDenied,
  type OrderFilled,
  type OrderIntent,
  type OrderType,
  type Result,
  type Side,
  type TradeTicked,
  ZERO,
  failure,
  fixed,
  format,
  minNotionalOf,
  ok,
  validateOrder,
} from '../../domain/index.js';
import type { Component, ComponentContext } from '../../engine/index.js';
import { type GridOrder, type GridProfitBook, GridState, type OrderRole } from './grid-state.js';
import type { GridPreview, GridStartReport, GridSummary } from './grid-types.js';
import { type GridSnapshot, assertSnapshotVersion, restoreGrid, snapshotGrid } from './grid-snapshot.js';
import { gridLevelPrices, marketStep } from './ladder.js';
import { type Lot, closeLots } from './round-trip-book.js';
import { StopWatch } from './stop-watch.js';
import { baseFromHoldings } from './holdings.js';

/** Denials that mean "not now" for the whole account rather than "never" for this order. */
const HELD_WHILE_HALTED: ReadonlySet<DenialCode> = new Set(['TRADING_HALTED', 'TRADING_REDUCING', 'MAX_DAILY_LOSS']);

export interface GridStrategyOptions {
  /** The symbol's filters, for re-arm checks and the exit's lot step. */
  readonly instrument: (symbol: string) => Instrument | undefined;
  /** A grid's round trips and profit from the portfolio's book (the one owner of them), for the grid's summary. */
  readonly profitOf?: (gridId: string) => GridProfitBook;
}

/**
 * Runs grids on the bus: places a previewed ladder, re-arms one level over on every fill (never on ticks, so an order
 * in flight is never doubled), books round trips exactly, and ends grids on stop, kill, stop-loss or take-profit.
 * The grid verbs are `startGrid`/`stopGrid` because `start`/`stop` are the bus host's lifecycle hooks on Component.
 */
export class GridStrategy implements Component {
  readonly name = 'grid-strategy';
  private ctx: ComponentContext | undefined;
  private readonly grids = new Map<string, GridState>();
  private readonly orders = new Map<string, GridOrder>();
  private readonly watch = new StopWatch();
  /** The grid whose opening orders are being sent, and the refusals they met (for the start's answer). */
  private opening: { readonly gridId: string; readonly refused: Map<string, OrderDenied> } | undefined;

  constructor(private readonly options: GridStrategyOptions) {}

  attach(ctx: ComponentContext): void {
    this.ctx = ctx;
    const bus = ctx.bus;
    bus.on('OrderFilled', (m) => this.onFilled(m));
    bus.on('TradeTicked', (m) => this.onTick(m));
    bus.on('OrderCanceled', (m) => this.onEnded(m.clientOrderId));
    bus.on('OrderExpired', (m) => this.onEnded(m.clientOrderId));
    bus.on('OrderRejected', (m) => this.onEnded(m.clientOrderId, m.code, m.message));
    bus.on('OrderDenied', (m) => this.onDenied(m));
    bus.on('TradingStateChanged', (m) => m.to === 'ACTIVE' && this.releaseHeld());
  }

  /**
   * Places exactly the previewed ladder (after the market buy, when it has one, for the sells) and says what happened:
   * how many of its orders the risk gate let through and why the rest were refused. A grid none of whose orders could
   * be placed is not started at all: it is dropped, and the answer is a failure naming the reasons.
   */
  startGrid(preview: GridPreview): Result<GridStartReport> {
    const k = this.requireContext();
    const { params } = preview;
    const inst = this.options.instrument(params.symbol);
    if (!inst) return failure('UNKNOWN_SYMBOL', `unknown symbol ${params.symbol}`);
    if (preview.levels.length === 0) return failure('EMPTY_GRID', 'the preview has no level that can be placed');
    const prices = gridLevelPrices(params, inst, preview.referencePrice);
    let gridId = k.ids.next('G');
    // Restored grids keep their ids, which a fresh id source may draw again.
    while (this.grids.has(gridId)) gridId = k.ids.next('G');
    const grid = new GridState(gridId, params, inst, prices, k.clock.now());
    this.grids.set(grid.id, grid);

    const intents: OrderIntent[] = [];
    const sells = preview.levels.filter((l) => l.side === 'SELL');
    if (preview.marketBuy) {
      grid.pendingSells = sells;
      intents.push(this.register(grid, 'entry', 'BUY', 0, 'MARKET', undefined, preview.marketBuy.quantity, []));
    } else {
      grid.status = 'running';
    }
    for (const l of preview.levels) {
      if (l.side === 'SELL' && preview.marketBuy) continue;
      intents.push(this.register(grid, 'opener', l.side, l.index, 'LIMIT', l.price, l.quantity, []));
    }
    this.watch.add(grid);
    // Called from the chat, outside any dispatch, so the risk gate has answered each intent when its send returns.
    const refused = new Map<string, OrderDenied>();
    this.opening = { gridId: grid.id, refused };
    try {
      for (const intent of intents) k.bus.send({ type: 'SubmitOrder', intent });
    } finally {
      this.opening = undefined;
    }
    const placed = intents.length - refused.size;
    const reasons = refusalSummary(refused.values());
    if (placed === 0) {
      this.grids.delete(grid.id);
      this.watch.remove(grid);
      const why = reasons.map((r) => `${r.count} × ${r.code}: ${r.message}`).join('; ');
      return failure(
        'GRID_NOT_STARTED',
        `none of its ${intents.length} opening orders could be placed (${why}). Nothing was placed and no grid is running.`,
      );
    }
    k.bus.publish({
      type: 'GridStarted',
      gridId: grid.id,
      symbol: grid.symbol,
      levels: params.levels,
      orders: placed,
      requested: intents.length,
      startPrice: preview.referencePrice,
      quoteForBuys: preview.quoteForBuys,
      baseForSells: preview.baseForSells,
      baseFromHoldings: baseFromHoldings(preview),
    });
    return ok({ gridId: grid.id, requested: intents.length, placed, waiting: grid.pendingSells?.length ?? 0, refused: reasons });
  }

  /** Cancels the grid's open orders and keeps what it bought. */
  stopGrid(gridId: string, reason: GridStopReason): Result<{ readonly gridId: string; readonly canceled: number }> {
    const grid = this.grids.get(gridId);
    if (!grid) return failure('GRID_NOT_FOUND', `there is no grid ${gridId}`);
    if (grid.status === 'stopped')
      return failure('GRID_ALREADY_STOPPED', `grid ${gridId} is already stopped (${grid.stopReason ?? 'stopped'})`);
    return ok({ gridId, canceled: this.halt(grid, reason, undefined) });
  }

  /** Stops every grid still running. */
  stopAll(reason: GridStopReason): { readonly gridIds: readonly string[]; readonly canceled: number } {
    const gridIds: string[] = [];
    let canceled = 0;
    for (const grid of [...this.grids.values()]) {
      if (grid.status === 'stopped') continue;
      gridIds.push(grid.id);
      canceled += this.halt(grid, reason, undefined);
    }
    return { gridIds, canceled };
  }

  summaries(): GridSummary[] {
    return [...this.grids.values()].map((g) => g.summary(this.options.profitOf?.(g.id)));
  }

  /** Client order ids of the grid's orders that may still fill (including ones in flight). */
  openOrderIds(gridId: string): string[] {
    return [...(this.grids.get(gridId)?.open.keys() ?? [])];
  }

  /** Ids of every grid it holds (running and stopped). */
  gridIds(): string[] {
    return [...this.grids.keys()];
  }

  /** Everything needed to continue the grid after a restart, as plain data (see GridSnapshot). */
  exportGrid(gridId: string): GridSnapshot | undefined {
    const grid = this.grids.get(gridId);
    return grid ? snapshotGrid(grid) : undefined;
  }

  /**
   * Rebuilds grids from snapshots, in the order given (after attach, before any message). All or nothing: every
   * snapshot is checked before any grid is added, so one bad record cannot leave half the grids restored.
   */
  importGrids(snapshots: readonly GridSnapshot[]): void {
    const restored: GridState[] = [];
    const ids = new Set<string>();
    for (const s of snapshots) {
      assertSnapshotVersion(s);
      const symbol = s.params.symbol;
      const inst = this.options.instrument(symbol);
      if (!inst) throw new Error(`grid snapshot ${String(s.gridId)}: unknown symbol ${String(symbol)}, so it cannot be restored`);
      const grid = restoreGrid(s, inst);
      if (this.grids.has(grid.id) || ids.has(grid.id)) throw new Error(`grid snapshot ${grid.id}: a grid with this id already exists`);
      for (const id of grid.open.keys()) {
        if (this.orders.has(id)) throw new Error(`grid snapshot ${grid.id}: order ${id} already belongs to another grid`);
      }
      ids.add(grid.id);
      restored.push(grid);
    }
    for (const grid of restored) {
      this.grids.set(grid.id, grid);
      for (const o of grid.open.values()) this.orders.set(o.clientOrderId, o);
      // A stopped grid left the watch when it stopped; a running one goes back on it.
      if (grid.status !== 'stopped') this.watch.add(grid);
    }
  }

  private onTick(m: TradeTicked): void {
    const hits = this.watch.triggered(m.tick.symbol, m.tick.price);
    if (hits === undefined) return;
    for (const [grid, reason] of hits) {
      // The exit waits for the cancels to report, so base locked in sells is free and late fills are counted.
      grid.exitPending = true;
      grid.exitPrice = m.tick.price;
      this.halt(grid, reason, m.tick.price);
      if (grid.exitPending && grid.open.size === 0) this.submitExit(grid);
    }
  }

  private onFilled(e: OrderFilled): void {
    const o = this.orders.get(e.clientOrderId);
    // The tracker books each trade once (the one exactly-once fill record): every OrderFilled here is new.
    if (o === undefined) return;
    const grid = o.grid;
    grid.applyFill(o.side, e.quantity, e.commission, e.commissionAsset);
    switch (o.role) {
      case 'closer':
        this.bookRoundTrips(o, e);
        this.rearm(o, e, []);
        break;
      case 'opener':
        this.rearm(o, e, [{ qty: this.rearmable(o, e), fee: e.feeQuote, price: e.price }]);
        break;
      case 'entry':
        if (e.complete) this.releaseSells(grid);
        break;
      case 'exit':
        break;
    }
    if (e.complete) this.close(o);
  }

  private onDenied(m: OrderDenied): void {
    // A duplicate is refused while the original lives on: the grid keeps tracking that one.
    if (m.code === 'DUPLICATE_ORDER') return;
    const o = this.orders.get(m.intent.clientOrderId);
    if (o !== undefined && o.grid.id === this.opening?.gridId) {
      // An opening order refused is reported in the start's answer, never held: a grid is not left waiting to begin.
      this.opening.refused.set(o.clientOrderId, m);
      this.onEnded(o.clientOrderId, m.code, m.message);
      return;
    }
    if (o !== undefined && HELD_WHILE_HALTED.has(m.code) && (o.role === 'opener' || o.role === 'closer')) {
      // A halt pauses the grid rather than tearing holes in it: the level waits for /resume.
      o.grid.held.set(o.clientOrderId, m.intent);
      o.grid.recordIssue(o, m.code, `${m.message}; held until trading resumes`, this.requireContext().clock.now());
      return;
    }
    this.onEnded(m.intent.clientOrderId, m.code, m.message);
  }

  /** Sends every re-arm a halt held back, as it was; the risk gate judges each again. */
  private releaseHeld(): void {
    const bus = this.requireContext().bus;
    for (const grid of this.grids.values()) {
      if (grid.held.size === 0) continue;
      const intents = [...grid.held.values()];
      grid.held.clear();
      if (grid.status === 'stopped') continue;
      for (const intent of intents) bus.send({ type: 'SubmitOrder', intent });
    }
  }

  private onEnded(clientOrderId: string, code?: string, message?: string): void {
    const o = this.orders.get(clientOrderId);
    if (o === undefined) return;
    const grid = o.grid;
    const time = this.requireContext().clock.now();
    if (code !== undefined) grid.recordIssue(o, code, message ?? code, time);
    if (o.role === 'entry' && grid.pendingSells !== undefined) {
      grid.pendingSells = undefined;
      if (grid.status === 'starting') grid.status = 'running';
      grid.recordIssue(o, 'ENTRY_INCOMPLETE', 'the market buy did not fill completely, so the sell levels were not placed', time);
    }
    this.close(o);
  }

  private bookRoundTrips(o: GridOrder, e: OrderFilled): void {
    const grid = o.grid;
    const bus = this.requireContext().bus;
    for (const part of closeLots(o.lots, o.side, e.quantity, e.price, e.feeQuote)) {
      bus.publish({
        type: 'GridRoundTrip',
        gridId: grid.id,
        symbol: grid.symbol,
        quantity: part.quantity,
        buyPrice: part.buyPrice,
        sellPrice: part.sellPrice,
        buyQuote: part.buyQuote,
        sellQuote: part.sellQuote,
        feesQuote: part.feesQuote,
        profit: part.profit,
        time: e.time,
      });
    }
  }

  /** A buy filled at level i sells the same quantity at i+1; a sell at i buys it back at i−1. */
  private rearm(o: GridOrder, e: OrderFilled, lots: Lot[]): void {
    const grid = o.grid;
    if (grid.status === 'stopped') return;
    const side: Side = o.side === 'BUY' ? 'SELL' : 'BUY';
    const level = o.side === 'BUY' ? o.level + 1 : o.level - 1;
    const price = grid.priceAt(level);
    const time = this.requireContext().clock.now();
    if (price === undefined || price <= ZERO) {
      grid.recordIssue(o, 'LEVEL_OUT_OF_RANGE', `level ${level} is outside the ladder; ${format(e.quantity)} is not re-armed`, time);
      return;
    }
    o.carryQty += this.rearmable(o, e);
    for (const lot of lots) o.carryLots.push(lot);
    const inst = grid.instrument;
    const check = validateOrder(inst, { side, type: 'LIMIT', price, quantity: o.carryQty });
    if (!check.ok) {
      const tooSmall = o.carryQty < inst.filters.lotSize.minQty || fixed.mul(price, o.carryQty, 'floor') < minNotionalOf(inst);
      if (tooSmall) return; // waits for the order's next fill
      grid.recordIssue(o, 'REARM_FILTERED', check.error.message, time);
      o.carryQty = ZERO;
      o.carryLots = [];
      return;
    }
    const role: OrderRole = o.role === 'opener' ? 'closer' : 'opener';
    const intent = this.register(grid, role, side, level, 'LIMIT', price, o.carryQty, role === 'closer' ? o.carryLots : []);
    o.carryQty = ZERO;
    o.carryLots = [];
    this.requireContext().bus.send({ type: 'SubmitOrder', intent });
  }

  /**
   * What a fill lets the grid place on the other side. A buy's fee is taken in base (Binance's way), so the re-armed
   * sell is what arrived net of that fee, rounded down to the lot step; the sub-step rest stays as inventory dust.
   * Its whole fee still goes into the round trip, so profit = sell − buy − fees holds against the cash that moved.
   */
  private rearmable(o: GridOrder, e: OrderFilled): Fixed {
    const inst = o.grid.instrument;
    if (o.side !== 'BUY' || e.commissionAsset !== inst.baseAsset) return e.quantity;
    return fixed.roundTo(e.quantity - e.commission, inst.filters.lotSize.stepSize, 'floor');
  }

  private releaseSells(grid: GridState): void {
    const sells = grid.pendingSells;
    grid.pendingSells = undefined;
    if (grid.status === 'starting') grid.status = 'running';
    if (sells === undefined || grid.status === 'stopped') return;
    const intents = sells.map((l) => this.register(grid, 'opener', 'SELL', l.index, 'LIMIT', l.price, l.quantity, []));
    const bus = this.requireContext().bus;
    for (const intent of intents) bus.send({ type: 'SubmitOrder', intent });
  }

  private close(o: GridOrder): void {
    const grid = o.grid;
    this.orders.delete(o.clientOrderId);
    grid.open.delete(o.clientOrderId);
    if (o.carryQty > ZERO && grid.status !== 'stopped') {
      const msg = `${format(o.carryQty)} ${grid.instrument.baseAsset} filled but is under the minimum order size, so it was not re-armed`;
      grid.recordIssue(o, 'REARM_TOO_SMALL', msg, this.requireContext().clock.now());
    }
    if (grid.exitPending && grid.open.size === 0) this.submitExit(grid);
  }

  /** Ends a grid: cancels every order that may still fill and announces the stop; returns the cancels sent. */
  private halt(grid: GridState, reason: GridStopReason, triggerPrice: Fixed | undefined): number {
    const bus = this.requireContext().bus;
    grid.status = 'stopped';
    grid.stopReason = reason;
    grid.pendingSells = undefined;
    this.watch.remove(grid);
    // Held re-arms never reached the exchange: there is nothing to cancel, only to forget.
    for (const id of grid.held.keys()) {
      this.orders.delete(id);
      grid.open.delete(id);
    }
    grid.held.clear();
    const ids = [...grid.open.keys()];
    for (const clientOrderId of ids)
      bus.send({ type: 'CancelOrder', clientOrderId, symbol: grid.symbol, reason: `grid ${grid.id} ${reason}` });
    bus.publish({
      type: 'GridStopped',
      gridId: grid.id,
      symbol: grid.symbol,
      reason,
      ...(triggerPrice !== undefined ? { triggerPrice } : {}),
    });
    return ids.length;
  }

  /** Sells what the grid holds at market, rounded down to the lot step. */
  private submitExit(grid: GridState): void {
    grid.exitPending = false;
    const inst = grid.instrument;
    const quantity = fixed.roundTo(grid.inventory, marketStep(inst), 'floor');
    if (quantity <= ZERO) return;
    const check = validateOrder(inst, { side: 'SELL', type: 'MARKET', quantity, referencePrice: grid.exitPrice });
    const k = this.requireContext();
    if (!check.ok) {
      grid.recordIssue({ clientOrderId: '', side: 'SELL', level: 0 }, 'EXIT_NOT_PLACED', check.error.message, k.clock.now());
      return;
    }
    const intent = this.register(grid, 'exit', 'SELL', 0, 'MARKET', undefined, quantity, []);
    k.bus.send({ type: 'SubmitOrder', intent });
  }

  /** Tracks an order before it is published, so an answer delivered during the publish finds it. */
  private register(
    grid: GridState,
    role: OrderRole,
    side: Side,
    level: number,
    type: OrderType,
    price: Fixed | undefined,
    quantity: Fixed,
    lots: Lot[],
  ): OrderIntent {
    const clientOrderId = grid.nextOrderId(side, level);
    const o: GridOrder = { grid, clientOrderId, side, level, role, lots, carryQty: ZERO, carryLots: [] };
    this.orders.set(clientOrderId, o);
    grid.open.set(clientOrderId, o);
    const owner = grid.owner;
    const reducesPosition = role === 'exit';
    // A market order has no price and no time in force at all (not undefined ones); two literals spare a spread.
    return price !== undefined
      ? { clientOrderId, symbol: grid.symbol, side, type, price, timeInForce: 'GTC', quantity, owner, reducesPosition }
      : { clientOrderId, symbol: grid.symbol, side, type, quantity, owner, reducesPosition };
  }

  private requireContext(): ComponentContext {
    if (!this.ctx) throw new Error('GridStrategy used before it was attached to a bus host');
    return this.ctx;
  }
}

/** Refusals grouped by reason code, in the order first met, each with its first message (they differ only in numbers). */
function refusalSummary(denials: Iterable<OrderDenied>): GridStartReport['refused'] {
  const byCode = new Map<string, { code: string; count: number; message: string }>();
  for (const d of denials) {
    const seen = byCode.get(d.code);
    if (seen) seen.count++;
    else byCode.set(d.code, { code: d.code, count: 1, message: d.message });
  }
  return [...byCode.values()];
}
