import {
  type Fixed,
  type GridStopReason,
  type Instrument,
  type OrderDenied,
  type OrderFilled,
  type OrderIntent,
  type OrderRejected,
  type OrderType,
  type Result,
  type Side,
  type TradeTicked,
  ZERO,
  failure,
  fixed,
  format,
  isPerpetual,
  minNotionalOf,
  ok,
  validateOrder,
} from '../../domain/index.js';
import type { Component, ComponentContext } from '../../engine/index.js';
import { type GridOrder, type GridProfitBook, GridState, type OrderRole, PlacedGridOrder } from './grid-state.js';
import { LimitIntent } from './limit-intent.js';
import type { FuturesGridPreview, GridPreview, GridStartReport, GridSummary, LadderLevel } from './grid-types.js';
import { type GridSnapshot, assertSnapshotVersion, restoreGrid, snapshotGrid } from './grid-snapshot.js';
import { gridLevelPrices, marketStep } from './ladder.js';
import { type Lot, NO_LOTS, OpenLot, closeLots } from './round-trip-book.js';
import { StopWatch } from './stop-watch.js';
import { buyQuantityFor } from './level-sizing.js';
import { type FillPart, levelFillPart, noteFillFee } from './level-fill.js';
import { dustExitQuantity } from './grid-dust.js';
import {
  HeldCount,
  type HoldCause,
  type HoldWhy,
  heldDenialCause,
  heldRejectionCause,
  holdCauseText,
  retryDelayMs,
} from './held-levels.js';
import { TriggerWatch } from './trigger-watch.js';
import { baseFromHoldings } from './holdings.js';
import { type TrailDecision, decideTrail } from './trail-moves.js';
import { sizeBuyFill } from './level-sizing.js';

/** Re-arms (not the entry or exit, and not the opening orders, which the start's answer reports) may wait. */
const isRearm = (o: GridOrder): boolean =>
  (o.role === 'opener' || o.role === 'closer' || o.role === 'trail') && o.grid.status !== 'stopped';

export interface GridStrategyOptions {
  /** The symbol's filters, for re-arm checks and the exit's lot step. */
  readonly instrument: (symbol: string) => Instrument | undefined;
  /** A grid's round trips and profit from the portfolio's book (the one owner of them), for the grid's summary. */
  readonly profitOf?: (gridId: string) => GridProfitBook;
  /** The maker fee buys are sized for in grids restored from snapshots written before level sizing (else 0). */
  readonly makerFee?: Fixed;
  /** The symbol's last trade, to value the dust sold when a grid is stopped (else the grid's last fill price). */
  readonly lastPrice?: (symbol: string) => Fixed | undefined;
  /**
   * An order as it was sent (the order tracker's record), so a passing rejection can place the same order again, even
   * one sent before a restart; without it, only orders sent since this strategy attached are known.
   */
  readonly intentOf?: (clientOrderId: string) => OrderIntent | undefined;
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
  /** Every grid by symbol, in the order added: a tick releases held re-arms of its own symbol's grids only. */
  private readonly bySymbol = new Map<string, GridState[]>();
  /** The trailing grids by symbol: a tick looks at these only, not at every grid (the tick path stays cheap). */
  private readonly trailing = new Map<string, GridState[]>();
  private readonly orders = new Map<string, GridOrder>();
  private readonly watch = new StopWatch();
  /** Without `intentOf`: grid orders sent and not yet ended, as sent, so a passing rejection can place one again. */
  private readonly sentIntents = new Map<string, OrderIntent>();
  /** Held re-arms released and not yet accepted, with why they waited: a refusal again keeps `since` and the back-off. */
  private readonly released = new Map<string, HoldWhy>();
  /** How many grids hold a re-arm: with none (almost always), a trade has nothing to release. */
  private readonly heldCount = new HeldCount();
  /** Whether any grid was ever told a lasting refusal (or restored with one): until then an acceptance has nothing to clear. */
  private toldAny = false;
  private readonly triggers = new TriggerWatch();
  /** The grid whose opening orders are being sent, and the refusals they met (for the start's answer). */
  private opening: { readonly gridId: string; readonly refused: Map<string, OrderDenied> } | undefined;

  constructor(private readonly options: GridStrategyOptions) {}

  attach(ctx: ComponentContext): void {
    this.ctx = ctx;
    const bus = ctx.bus;
    // One subscription per message the fill and tick paths carry (each costs a delivery): an order's fill, then its
    // bookkeeping once it is complete; a trade's stops and trails, then the held re-arms it releases.
    bus.on('OrderFilled', (m) => {
      this.onFilled(m);
      if (m.complete) this.forget(m.clientOrderId);
    });
    // Held re-arms wait for their reason to clear (held-levels.ts): stale data clears with the symbol's next trade (a
    // feed's MarketDataResumed comes with that trade, just before it), an exchange refusal with the first trade past
    // its back-off. Released on the trade itself, not on MarketDataResumed: the gate's per-symbol age check would
    // still refuse them until the trade is seen.
    bus.on('TradeTicked', (m) => {
      this.onTick(m);
      this.releaseOnTick(m.tick.symbol);
    });
    bus.on('OrderCanceled', (m) => this.onEnded(m.clientOrderId));
    bus.on('OrderExpired', (m) => this.onEnded(m.clientOrderId));
    bus.on('OrderRejected', (m) => this.onRejected(m));
    bus.on('OrderDenied', (m) => this.onDenied(m));
    bus.on('PositionLiquidated', (m) => this.onLiquidated(m.report.symbol, m.report.avgPrice));
    bus.on('TradingStateChanged', (m) => m.to === 'ACTIVE' && this.releaseHeld((why) => why.cause === 'halt'));
    // Without `intentOf`, the intent of each grid order sent, kept while it may be rejected, so a passing rejection can
    // be placed again (with it, the tracker's record is asked instead and nothing is kept here).
    if (this.options.intentOf === undefined)
      bus.on('OrderSent', (m) => {
        if (m.owner.kind !== 'grid' || !this.orders.has(m.clientOrderId)) return;
        this.sentIntents.set(m.clientOrderId, m.intent);
      });
    bus.on('OrderAccepted', (m) => this.onAccepted(m.clientOrderId));
    bus.on('OrderCanceled', (m) => this.forget(m.clientOrderId));
    bus.on('OrderExpired', (m) => this.forget(m.clientOrderId));
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
    const grid = new GridState(gridId, params, inst, prices, k.clock.now(), preview.referencePrice);
    grid.sizing = { feeRate: preview.makerFee, feeInBase: preview.buyFeeInBase ?? true };
    grid.takerFee = preview.takerFee ?? preview.makerFee;
    if (params.trailUp !== undefined || params.trailDown !== undefined) grid.trail = initialWindow(prices, params.levels);
    this.addGrid(grid);
    if (params.trigger !== undefined) return this.waitForTrigger(grid, preview, params.trigger);

    const intents = this.openingIntents(grid, preview.levels, entryOf(preview));
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
      this.dropGrid(grid);
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
      ...investmentOf(preview),
    });
    return ok({ gridId: grid.id, requested: intents.length, placed, waiting: grid.pendingLevels?.length ?? 0, refused: reasons });
  }

  /**
   * A grid confirmed with `at=PRICE`: nothing is placed; it waits (status `waiting`, its stop-loss and take-profit
   * already watched) until a trade reaches the trigger from the side the market was on at the preview.
   */
  private waitForTrigger(grid: GridState, preview: GridPreview, trigger: Fixed): Result<GridStartReport> {
    const from = preview.marketPrice !== undefined && preview.marketPrice > trigger ? 'above' : 'below';
    grid.status = 'waiting';
    const books = {
      startPrice: preview.referencePrice,
      quoteForBuys: preview.quoteForBuys,
      baseForSells: preview.baseForSells,
      ...investmentOf(preview),
    };
    grid.waiting = {
      trigger,
      from,
      levels: preview.levels,
      ...(preview.marketBuy ? { marketBuy: preview.marketBuy } : {}),
      ...(preview.marketSell ? { marketSell: preview.marketSell } : {}),
      books,
    };
    this.watch.add(grid);
    this.triggers.add(grid);
    const { params } = preview;
    const bus = this.requireContext().bus;
    bus.publish({
      type: 'GridStarted',
      gridId: grid.id,
      symbol: grid.symbol,
      levels: params.levels,
      orders: 0,
      requested: 0,
      waitingFor: trigger,
    });
    return ok({ gridId: grid.id, requested: 0, placed: 0, waiting: 0, refused: [] });
  }

  /**
   * The trigger was traded through: places the previewed ladder (priced at the trigger) as startGrid would, the market
   * buy first when it has one. This runs inside the tick's dispatch, so the risk gate answers after it returns: a
   * refusal becomes one of the grid's issues (or is held through a halt) rather than part of a start report.
   */
  private placeTriggered(grid: GridState, price: Fixed): void {
    const w = grid.waiting;
    if (w === undefined) return;
    grid.waiting = undefined;
    // A trade at or through the grid's stop-loss or take-profit stops it on this same tick: placing first would only
    // send orders to cancel.
    const { stopLoss, takeProfit } = grid.params;
    if ((stopLoss !== undefined && price <= stopLoss) || (takeProfit !== undefined && price >= takeProfit)) return;
    const intents = this.openingIntents(grid, w.levels, entryOf(w));
    const bus = this.requireContext().bus;
    bus.publish({
      type: 'GridStarted',
      gridId: grid.id,
      symbol: grid.symbol,
      levels: grid.params.levels,
      orders: intents.length,
      requested: intents.length,
      waitingFor: w.trigger,
      triggeredAt: price,
      // The grid's books open now, with the investment and the coins from holdings its preview confirmed.
      ...(w.books !== undefined ? { ...w.books, baseFromHoldings: baseFromHoldings({ ...w.books, marketBuy: w.marketBuy }) } : {}),
    });
    for (const intent of intents) bus.send({ type: 'SubmitOrder', intent });
  }

  /** Cancels the grid's open orders and keeps what it bought. */
  stopGrid(gridId: string, reason: GridStopReason): Result<{ readonly gridId: string; readonly canceled: number }> {
    const grid = this.grids.get(gridId);
    if (!grid) return failure('GRID_NOT_FOUND', `there is no grid ${gridId}`);
    if (grid.status === 'stopped')
      return failure('GRID_ALREADY_STOPPED', `grid ${gridId} is already stopped (${grid.stopReason ?? 'stopped'})`);
    this.exitDustWhenStopped(grid, reason);
    const canceled = this.halt(grid, reason, undefined);
    this.exitIfSettled(grid);
    return ok({ gridId, canceled });
  }

  /** Stops every grid still running. */
  stopAll(reason: GridStopReason): { readonly gridIds: readonly string[]; readonly canceled: number } {
    const gridIds: string[] = [];
    let canceled = 0;
    for (const grid of [...this.grids.values()]) {
      if (grid.status === 'stopped') continue;
      gridIds.push(grid.id);
      this.exitDustWhenStopped(grid, reason);
      canceled += this.halt(grid, reason, undefined);
      this.exitIfSettled(grid);
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

  /**
   * The prices of the lines a grid trades on now, lowest first: its ladder as placed, or for a trailing grid the lines of
   * its window (README "Trailing"). Every resting order of the grid is on one of them once its cancels have reported.
   */
  linePrices(gridId: string): Fixed[] | undefined {
    const grid = this.grids.get(gridId);
    if (grid === undefined) return undefined;
    const t = grid.trail;
    if (t === undefined) return grid.levelPrices.filter((p) => p > ZERO);
    const out: Fixed[] = [];
    for (let level = t.low; level <= t.high; level++) {
      const p = grid.linePrice(level);
      if (p !== undefined) out.push(p);
    }
    return out;
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
      if (s.feeRate === undefined && this.options.makerFee !== undefined) grid.sizing = { feeRate: this.options.makerFee, feeInBase: true };
      if (this.grids.has(grid.id) || ids.has(grid.id)) throw new Error(`grid snapshot ${grid.id}: a grid with this id already exists`);
      for (const id of grid.open.keys()) {
        if (this.orders.has(id)) throw new Error(`grid snapshot ${grid.id}: order ${id} already belongs to another grid`);
      }
      ids.add(grid.id);
      restored.push(grid);
    }
    for (const grid of restored) {
      this.addGrid(grid);
      for (const o of grid.open.values()) this.orders.set(o.clientOrderId, o);
      if (grid.held.toldLasting.size > 0) this.toldAny = true;
      // A stopped grid left the watch when it stopped; a running one goes back on it.
      if (grid.status !== 'stopped') this.watch.add(grid);
      this.triggers.add(grid);
    }
  }

  private addGrid(grid: GridState): void {
    this.grids.set(grid.id, grid);
    grid.held.countIn(this.heldCount);
    const same = this.bySymbol.get(grid.symbol);
    if (same === undefined) this.bySymbol.set(grid.symbol, [grid]);
    else same.push(grid);
    if (grid.trail === undefined) return;
    this.trailing.set(grid.symbol, [...(this.trailing.get(grid.symbol) ?? []), grid]);
  }

  /** Only a grid that never started is dropped: every other stays, stopped, for /grids and its snapshot. */
  private dropGrid(grid: GridState): void {
    this.grids.delete(grid.id);
    dropFrom(this.bySymbol, grid);
    dropFrom(this.trailing, grid);
  }

  private onTick(m: TradeTicked): void {
    const fired = this.triggers.crossed(m.tick.symbol, m.tick.price);
    if (fired !== undefined) for (const grid of fired) this.placeTriggered(grid, m.tick.price);
    const hits = this.watch.triggered(m.tick.symbol, m.tick.price);
    // A trade that reaches a grid's stop-loss or take-profit stops it (below) and does not move it first. Most symbols
    // have no trailing grid: one lookup, no iterator.
    const trailing = this.trailing.size === 0 ? undefined : this.trailing.get(m.tick.symbol);
    if (trailing !== undefined)
      for (const grid of trailing) {
        if (grid.trail === undefined || hits?.some(([g]) => g === grid)) continue;
        const decision = decideTrail(grid, m.tick.price);
        if (decision !== undefined) this.trailGrid(grid, decision, m.tick.price);
      }
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
    noteFillFee(grid, e);
    switch (o.role) {
      case 'closer': {
        const part = levelFillPart(o, e, this.requireContext().clock.now());
        // A closing buy closes the level share it stands for (its whole fee with it), not the sized-up quantity.
        this.bookRoundTrips(o, e, o.side === 'BUY' ? part.level : e.quantity);
        this.rearm(o, e, part, NO_LOTS);
        break;
      }
      case 'opener': {
        const part = levelFillPart(o, e, this.requireContext().clock.now());
        this.rearm(o, e, part, [new OpenLot(o.side === 'BUY' ? part.sell : e.quantity, e.feeQuote, e.price)]);
        break;
      }
      case 'entry':
        if (e.complete) this.releasePending(grid);
        break;
      case 'trail':
        this.trailBought(o, e);
        break;
      case 'exit':
        // An exit sells the dust first (a /stop sells only the dust; sl/tp the whole inventory, dust included).
        grid.dust = grid.dust > e.quantity ? grid.dust - e.quantity : ZERO;
        break;
    }
    if (e.complete) this.close(o);
  }

  /**
   * The venue liquidated a perpetual's position: every grid still running on it stops (reason `liquidated`, at the fill
   * price). Re-arming on a position the venue closed would open a new leveraged position the owner never saw previewed;
   * a trader expects the grid to end there and say why. The venue canceled the symbol's orders before closing, so the
   * cancels sent for any still thought open only settle what the bot has not heard yet; no exit order is sent.
   */
  private onLiquidated(symbol: string, price: Fixed): void {
    const time = this.requireContext().clock.now();
    for (const grid of this.grids.values()) {
      if (grid.symbol !== symbol || grid.status === 'stopped') continue;
      // One-way mode nets every grid on the symbol into the one position the venue closed whole: none holds any now.
      const held = grid.inventory;
      grid.inventory = ZERO;
      const at = price > ZERO ? ` at ${format(price)}` : '';
      const base = grid.instrument.baseAsset;
      const msg = `the exchange liquidated the ${symbol} position${at}; the grid's ${format(held)} ${base} went with it`;
      grid.recordIssue({ clientOrderId: '', side: held < ZERO ? 'BUY' : 'SELL', level: 0 }, 'LIQUIDATED', msg, time);
      this.halt(grid, 'liquidated', price > ZERO ? price : undefined);
    }
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
    if (o !== undefined && isRearm(o)) {
      const cause = heldDenialCause(m.code);
      // A passing refusal pauses the level rather than tearing a hole in the grid: it waits, with why, and goes out
      // unchanged (same client id: the gate never approved it) when the reason clears.
      if (cause !== undefined) return this.hold(o, m.intent, cause, m.code, m.message, this.released.get(o.clientOrderId));
      this.tellLasting(o, m.intent, m.code, m.message);
    }
    this.released.delete(m.intent.clientOrderId);
    this.onEnded(m.intent.clientOrderId, m.code, m.message);
  }

  /**
   * The exchange (or the pipeline) refused a grid order. A passing refusal (held-levels.ts) keeps the level: the same
   * order waits under a new client id (the tracker and the risk gate know the old one, and Binance accepts a reused id
   * only once the first order is done) and goes out when its back-off has passed. A lasting one is told once, urgently.
   */
  private onRejected(m: OrderRejected): void {
    const o = this.orders.get(m.clientOrderId);
    const intent = this.sentIntents.get(m.clientOrderId) ?? this.options.intentOf?.(m.clientOrderId);
    this.sentIntents.delete(m.clientOrderId);
    const past = this.released.get(m.clientOrderId);
    this.released.delete(m.clientOrderId);
    if (o !== undefined && isRearm(o)) {
      const cause = heldRejectionCause(m.code);
      if (cause !== undefined && intent !== undefined && (intent.price !== undefined || o.role === 'trail')) {
        const again = this.register(o.grid, o.role, o.side, o.level, intent.type, intent.price, intent.quantity, o.lots, o.levelQty);
        this.close(o);
        const owner = this.orders.get(again.clientOrderId)!;
        return this.hold(owner, again, cause, m.code, m.message, past && { ...past, code: m.code });
      }
      this.tellLasting(o, intent, m.code, m.message);
    }
    this.onEnded(m.clientOrderId, m.code, m.message);
  }

  /**
   * Keeps a re-arm waiting for `cause` to clear. A level refused again for the same reason after a release keeps its
   * first `since` and records no second issue; an exchange refusal's back-off grows with each one in a row.
   */
  private hold(o: GridOrder, intent: OrderIntent, cause: HoldCause, code: string, message: string, past: HoldWhy | undefined): void {
    const grid = o.grid;
    const now = this.requireContext().clock.now();
    this.released.delete(intent.clientOrderId);
    const timed = cause === 'rate_limit' || cause === 'exchange';
    const attempts = timed ? (past?.attempts ?? 0) + 1 : 0;
    const why: HoldWhy = { cause, code, since: past?.since ?? now, attempts, ...(timed ? { retryAt: now + retryDelayMs(attempts) } : {}) };
    grid.held.hold(intent, why);
    if (past === undefined || past.code !== code || timed)
      grid.recordIssue(o, code, `${message}; the level waits (${holdCauseText(cause)}) and is placed when that clears`, now);
  }

  /** A lasting refusal, told once per level (until the level has an order accepted again) as GridLevelRefused. */
  private tellLasting(o: GridOrder, intent: OrderIntent | undefined, code: string, message: string): void {
    const grid = o.grid;
    const key = `${o.side} ${o.level}`;
    if (grid.held.toldLasting.has(key)) return;
    grid.held.toldLasting.add(key);
    this.toldAny = true;
    const k = this.requireContext();
    k.bus.publish({
      type: 'GridLevelRefused',
      gridId: grid.id,
      symbol: grid.symbol,
      side: o.side,
      level: o.level,
      ...(intent?.price !== undefined ? { price: intent.price } : {}),
      ...(intent !== undefined ? { quantity: intent.quantity } : {}),
      code,
      message,
      time: k.clock.now(),
    });
  }

  /**
   * A level with an order on the exchange works again: a later refusal of it starts a new wait (its own `since`, the
   * back-off from the start) and a lasting one is news once more.
   */
  private onAccepted(clientOrderId: string): void {
    if (this.released.size > 0) this.released.delete(clientOrderId);
    // Every order is accepted once: its lookup is spared while no level has a lasting refusal to clear.
    if (!this.toldAny) return;
    const o = this.orders.get(clientOrderId);
    // Every order is accepted once: the level's key is built only when some lasting refusal was told.
    if (o !== undefined && o.grid.held.toldLasting.size > 0) o.grid.held.toldLasting.delete(`${o.side} ${o.level}`);
  }

  /** Runs on every fill that completes an order: both maps are empty almost always (and sentIntents with intentOf). */
  private forget(clientOrderId: string): void {
    if (this.sentIntents.size > 0) this.sentIntents.delete(clientOrderId);
    if (this.released.size > 0) this.released.delete(clientOrderId);
  }

  private releaseOnTick(symbol: string): void {
    // Every tick passes here: nothing more while no grid holds a level (one hot counter, not each grid's map), else its
    // own symbol's grids only (not every grid's), and the clock read only for a held level.
    if (this.heldCount.grids === 0) return;
    const same = this.bySymbol.get(symbol);
    if (same === undefined) return;
    let now: number | undefined;
    for (let i = 0; i < same.length; i++) {
      const grid = same[i] as GridState;
      if (grid.held.size === 0) continue;
      const at = (now ??= this.requireContext().clock.now());
      // Restored with levels waiting: whatever held them may have cleared while the bot was down, so each is judged again.
      const restored = grid.held.restored;
      grid.held.restored = false;
      this.releaseGrid(grid, (why) => restored || why.cause === 'stale' || (why.retryAt !== undefined && why.retryAt <= at));
    }
  }

  /** Sends the held re-arms `pick` chooses, as they were; the risk gate judges each again (and may hold it again). */
  private releaseHeld(pick: (why: HoldWhy) => boolean): void {
    for (const grid of this.grids.values()) {
      if (grid.held.size === 0) continue;
      this.releaseGrid(grid, pick);
    }
  }

  private releaseGrid(grid: GridState, pick: (why: HoldWhy) => boolean): void {
    if (grid.status === 'stopped') return grid.held.clear();
    const bus = this.requireContext().bus;
    // Taken out before sending: one release sends each level once, and a refusal puts it back as a new hold.
    for (const { intent, why } of grid.held.take(pick)) {
      this.released.set(intent.clientOrderId, why);
      bus.send({ type: 'SubmitOrder', intent });
    }
  }

  private onEnded(clientOrderId: string, code?: string, message?: string): void {
    const o = this.orders.get(clientOrderId);
    if (o === undefined) return;
    const grid = o.grid;
    const time = this.requireContext().clock.now();
    if (code !== undefined) grid.recordIssue(o, code, message ?? code, time);
    if (o.role === 'trail' && grid.trail !== undefined && grid.status !== 'stopped') {
      // A trailing buy that will not fill: moving on would cancel buy after buy for nothing, so trailing stops here.
      if (code !== undefined) {
        grid.trail.off = `the trailing market buy was refused (${code})`;
        grid.recordIssue(o, 'TRAIL_OFF', `${message ?? code}; trailing is off, the grid runs on where it is`, time);
      }
      // Part of it filled and the rest expired: that base is the grid's inventory; no sell is placed for it.
      if (o.carryQty > ZERO) {
        const msg = `the trailing market buy filled only ${format(o.carryQty)} ${grid.instrument.baseAsset}; no sell was placed for it`;
        grid.recordIssue(o, 'TRAIL_BUY_INCOMPLETE', msg, time);
      }
      o.carryQty = ZERO;
    }
    if (o.role === 'entry' && grid.pendingLevels !== undefined) {
      grid.pendingLevels = undefined;
      if (grid.status === 'starting') grid.status = 'running';
      const [entry, levels] = o.side === 'BUY' ? ['buy', 'sell'] : ['sell', 'buy'];
      grid.recordIssue(o, 'ENTRY_INCOMPLETE', `the market ${entry} did not fill completely, so the ${levels} levels were not placed`, time);
    }
    this.close(o);
  }

  private bookRoundTrips(o: GridOrder, e: OrderFilled, closes: Fixed): void {
    const grid = o.grid;
    const bus = this.requireContext().bus;
    for (const part of closeLots(o.lots, o.side, closes, e.price, e.feeQuote)) {
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
  private rearm(o: GridOrder, e: OrderFilled, part: FillPart, lots: Lot[]): void {
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
    // carryQty is what the sell side gets, carryLevel the level quantity behind it; a buy is sized from the level.
    // Nothing carried yet (almost always): the fill's own figures and lots are taken as they are, not added to zero or
    // pushed into an empty array (a closer keeps its lots for its whole life).
    const carriedLevel = o.carryLevel ?? o.carryQty;
    o.carryLevel = carriedLevel === ZERO ? part.level : carriedLevel + part.level;
    o.carryQty = o.carryQty === ZERO ? part.sell : o.carryQty + part.sell;
    if (o.carryLots.length === 0) o.carryLots = lots;
    else for (const lot of lots) o.carryLots.push(lot);
    const inst = grid.instrument;
    const quantity = side === 'BUY' ? buyQuantityFor(inst, o.carryLevel, grid.sizing, grid.freeDust()) : o.carryQty;
    const check = validateOrder(inst, { side, type: 'LIMIT', price, quantity });
    if (!check.ok) {
      const tooSmall = quantity < inst.filters.lotSize.minQty || fixed.mul(price, quantity, 'floor') < minNotionalOf(inst);
      if (tooSmall) return; // waits for the order's next fill
      grid.recordIssue(o, 'REARM_FILTERED', check.error.message, time);
      o.carryQty = ZERO;
      o.carryLevel = ZERO;
      o.carryLots = NO_LOTS;
      return;
    }
    const role: OrderRole = o.role === 'opener' ? 'closer' : 'opener';
    const lotsOut = role === 'closer' ? o.carryLots : NO_LOTS;
    const intent = this.register(grid, role, side, level, 'LIMIT', price, quantity, lotsOut, o.carryLevel);
    o.carryQty = ZERO;
    o.carryLevel = ZERO;
    o.carryLots = NO_LOTS;
    this.requireContext().bus.send({ type: 'SubmitOrder', intent });
  }

  /**
   * Carries out one trailing decision (trail-moves.ts): a move cancels the order on the line that leaves the window,
   * shifts the window and sends the move's one order, and is published as GridTrailed; a limit is recorded once.
   */
  private trailGrid(grid: GridState, decision: TrailDecision, price: Fixed): void {
    const t = grid.trail!;
    const k = this.requireContext();
    const now = k.clock.now();
    // A limit or a refusal concerns no order: the issue names the outer line the move would have left.
    const none = {
      clientOrderId: '',
      side: decision.direction === 'up' ? 'SELL' : 'BUY',
      level: decision.direction === 'up' ? t.high : t.low,
    } as const;
    if (decision.kind === 'limit') {
      if (decision.direction === 'up') t.upLimitReached = true;
      else t.downLimitReached = true;
      grid.recordIssue(none, 'TRAIL_LIMIT', decision.message, now);
      return;
    }
    if (decision.kind === 'refused') {
      t.off = `the next trailing order breaks the symbol's filters: ${decision.message}`;
      grid.recordIssue(none, 'TRAIL_OFF', `${t.off}; trailing is off, the grid runs on where it is`, now);
      return;
    }
    let canceled: string | undefined;
    for (const o of decision.cancel) {
      canceled ??= o.clientOrderId;
      if (grid.held.has(o.clientOrderId)) {
        // A held order never reached the exchange: there is nothing to cancel, only to forget.
        grid.held.delete(o.clientOrderId);
        this.close(o);
      } else {
        k.bus.send({
          type: 'CancelOrder',
          clientOrderId: o.clientOrderId,
          symbol: grid.symbol,
          reason: `grid ${grid.id} trailing ${decision.direction}`,
        });
      }
    }
    t.low = decision.low;
    t.high = decision.high;
    const moves = decision.direction === 'up' ? ++t.movesUp : ++t.movesDown;
    const p = decision.order;
    const intent = this.register(grid, p.role, p.side, p.level, p.type, p.price, p.quantity, [], p.levelQty);
    k.bus.publish({
      type: 'GridTrailed',
      gridId: grid.id,
      symbol: grid.symbol,
      direction: decision.direction,
      low: t.low,
      high: t.high,
      lowPrice: grid.linePrice(t.low)!,
      highPrice: grid.linePrice(t.high)!,
      price,
      ...(canceled !== undefined ? { canceled } : {}),
      placed: [
        {
          clientOrderId: intent.clientOrderId,
          side: intent.side,
          type: intent.type,
          level: p.level,
          ...(intent.price !== undefined ? { price: intent.price } : {}),
          quantity: intent.quantity,
        },
      ],
      moves,
      time: now,
    });
    k.bus.send({ type: 'SubmitOrder', intent });
  }

  /**
   * A trailing market buy's fill: what arrived (net of a base fee) gathers until the order is complete, then pays the
   * new top line's sell (an opener, like the start's ladder sells), the rest going to the dust as a ladder buy's does.
   */
  private trailBought(o: GridOrder, e: OrderFilled): void {
    const grid = o.grid;
    const inst = grid.instrument;
    o.carryQty += e.quantity - (e.commissionAsset === inst.baseAsset ? e.commission : ZERO);
    if (!e.complete || grid.status === 'stopped') return;
    const levelQty = o.levelQty ?? o.carryQty;
    const sized = sizeBuyFill(inst, levelQty, o.carryQty, grid.dust);
    o.carryQty = ZERO;
    grid.dust = sized.dust;
    const time = this.requireContext().clock.now();
    if (sized.short > ZERO) {
      const msg =
        `the trailing market buy's fee took more than it was sized for: ` +
        `the sell at level ${o.level} is ${format(sized.short)} short this once`;
      grid.recordIssue(o, 'LEVEL_SHORT', msg, time);
    }
    const price = grid.priceAt(o.level);
    if (price === undefined) {
      grid.recordIssue(
        o,
        'LEVEL_OUT_OF_RANGE',
        `level ${o.level} left the window before its trailing buy filled; ${format(sized.sellPart)} is not sold`,
        time,
      );
      return;
    }
    const intent = this.register(grid, 'opener', 'SELL', o.level, 'LIMIT', price, sized.sellPart, [], levelQty);
    this.requireContext().bus.send({ type: 'SubmitOrder', intent });
  }

  /** A /stop (not the kill switch, which sends nothing new) sells the grid's dust once every cancel has reported. */
  private exitDustWhenStopped(grid: GridState, reason: GridStopReason): void {
    // A futures grid's /stop closes its position: a leveraged position left without its grid is a liquidation risk the
    // owner did not ask for (the spot grid's coins, by contrast, stay the owner's). The kill switch sends nothing new.
    if (isPerpetual(grid.symbol) && reason === 'user' && grid.inventory !== ZERO) {
      grid.exitPending = true;
      grid.exitDustOnly = false;
      grid.exitPrice = this.options.lastPrice?.(grid.symbol) ?? grid.lastFillPrice;
      return;
    }
    if (grid.dust <= ZERO) return;
    if (reason !== 'user') {
      const msg = `${format(grid.dust)} ${grid.instrument.baseAsset} of dust is left in the account: the ${reason} stop sends no new order`;
      grid.recordIssue({ clientOrderId: '', side: 'SELL', level: 0 }, 'DUST_LEFT', msg, this.requireContext().clock.now());
      return;
    }
    grid.exitPending = true;
    grid.exitDustOnly = true;
    grid.exitPrice = this.options.lastPrice?.(grid.symbol) ?? grid.lastFillPrice;
  }

  private exitIfSettled(grid: GridState): void {
    if (grid.exitPending && grid.open.size === 0) this.submitExit(grid);
  }

  /** Sells the grid's dust at market when it makes an order the symbol accepts; otherwise says it is left. */
  private submitDustExit(grid: GridState): void {
    grid.exitPending = false;
    grid.exitDustOnly = false;
    const k = this.requireContext();
    const quantity = dustExitQuantity(grid.instrument, grid.dust, grid.exitPrice);
    if (!quantity.ok) {
      grid.recordIssue({ clientOrderId: '', side: 'SELL', level: 0 }, 'DUST_LEFT', quantity.error.message, k.clock.now());
      return;
    }
    const intent = this.register(grid, 'exit', 'SELL', 0, 'MARKET', undefined, quantity.value, []);
    k.bus.send({ type: 'SubmitOrder', intent });
  }

  /**
   * The opening orders of a grid's ladder: with an entry (a market buy for the sells, or a short futures grid's market
   * sell for the buys), the entry now and the levels it funds once it has filled completely; otherwise every level.
   */
  private openingIntents(grid: GridState, levels: readonly LadderLevel[], entry: MarketEntry | undefined): OrderIntent[] {
    const intents: OrderIntent[] = [];
    const funded: Side | undefined = entry === undefined ? undefined : entry.side === 'BUY' ? 'SELL' : 'BUY';
    if (entry !== undefined) {
      grid.status = 'starting';
      grid.pendingLevels = levels.filter((l) => l.side === funded);
      intents.push(this.register(grid, 'entry', entry.side, 0, 'MARKET', undefined, entry.quantity, []));
    } else {
      grid.status = 'running';
    }
    for (const l of levels) {
      if (l.side === funded) continue;
      intents.push(this.register(grid, 'opener', l.side, l.index, 'LIMIT', l.price, l.quantity, [], l.sellQuantity));
    }
    return intents;
  }

  private releasePending(grid: GridState): void {
    const pending = grid.pendingLevels;
    grid.pendingLevels = undefined;
    if (grid.status === 'starting') grid.status = 'running';
    if (pending === undefined || grid.status === 'stopped') return;
    const intents = pending.map((l) => this.register(grid, 'opener', l.side, l.index, 'LIMIT', l.price, l.quantity, [], l.sellQuantity));
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
    grid.pendingLevels = undefined;
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
    if (grid.exitDustOnly) return this.submitDustExit(grid);
    grid.exitPending = false;
    const inst = grid.instrument;
    // A short futures grid holds a negative inventory: its exit buys it back.
    const side: Side = grid.inventory < ZERO && isPerpetual(grid.symbol) ? 'BUY' : 'SELL';
    const quantity = fixed.roundTo(side === 'BUY' ? -grid.inventory : grid.inventory, marketStep(inst), 'floor');
    // Holding no net base (its sells sold the account's own coins) still leaves the dust its buys delivered.
    if (quantity <= ZERO) return grid.dust > ZERO ? this.submitDustExit(grid) : undefined;
    const check = validateOrder(inst, { side, type: 'MARKET', quantity, referencePrice: grid.exitPrice });
    const k = this.requireContext();
    // Binance exempts reduce-only orders from MIN_NOTIONAL: a small futures position can always be closed.
    if (!check.ok && !(isPerpetual(grid.symbol) && check.error.filter === 'MIN_NOTIONAL')) {
      grid.recordIssue({ clientOrderId: '', side, level: 0 }, 'EXIT_NOT_PLACED', check.error.message, k.clock.now());
      return;
    }
    const intent = this.register(grid, 'exit', side, 0, 'MARKET', undefined, quantity, []);
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
    levelQty: Fixed = quantity,
  ): OrderIntent {
    const clientOrderId = grid.nextOrderId(side, level);
    const o: GridOrder = new PlacedGridOrder(grid, clientOrderId, side, level, role, lots, quantity, levelQty);
    this.orders.set(clientOrderId, o);
    grid.open.set(clientOrderId, o);
    const owner = grid.owner;
    const reducesPosition = role === 'exit';
    // A futures exit is reduce-only on the venue too: it can never open a position the other way.
    if (reducesPosition && isPerpetual(grid.symbol))
      return { clientOrderId, symbol: grid.symbol, side, type, quantity, owner, reducesPosition, reduceOnly: true };
    // A market order has no price and no time in force at all (not undefined ones); two literals spare a spread.
    return price !== undefined
      ? new LimitIntent(clientOrderId, grid.symbol, side, type, price, quantity, owner, reducesPosition)
      : { clientOrderId, symbol: grid.symbol, side, type, quantity, owner, reducesPosition };
  }

  private requireContext(): ComponentContext {
    if (!this.ctx) throw new Error('GridStrategy used before it was attached to a bus host');
    return this.ctx;
  }
}

/** Takes a grid off a by-symbol index, and the symbol too once it has no grid left there. */
function dropFrom(index: Map<string, GridState[]>, grid: GridState): void {
  const rest = (index.get(grid.symbol) ?? []).filter((g) => g !== grid);
  if (rest.length > 0) index.set(grid.symbol, rest);
  else index.delete(grid.symbol);
}

/** The market order a grid opens with before the levels it funds. */
interface MarketEntry {
  readonly side: Side;
  readonly quantity: Fixed;
}

/** A spot grid's (or long futures grid's) market buy, or a short futures grid's market sell. */
function entryOf(p: Pick<GridPreview, 'marketBuy' | 'marketSell'>): MarketEntry | undefined {
  if (p.marketBuy !== undefined) return { side: 'BUY', quantity: p.marketBuy.quantity };
  if (p.marketSell !== undefined) return { side: 'SELL', quantity: p.marketSell.quantity };
  return undefined;
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

/** A trailing grid starts on every line of its ladder: the lowest and highest priced line (a range grid's padding aside). */
function initialWindow(prices: readonly Fixed[], levels: number): GridState['trail'] {
  const first = prices.findIndex((p) => p > ZERO);
  let last = prices.length - 1;
  while (last > first && !((prices[last] as Fixed) > ZERO)) last--;
  return { low: first - levels, high: last - levels, movesUp: 0, movesDown: 0, upLimitReached: false, downLimitReached: false };
}

/** A USD-M grid invests the margin it needs (its preview's figure); a spot grid's investment is its books' own sum. */
function investmentOf(preview: GridPreview | FuturesGridPreview): { investment?: Fixed } {
  return 'futures' in preview ? { investment: preview.futures.marginNeeded } : {};
}
