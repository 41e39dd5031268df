import type { Balance, BalancesReported, EngineEvent, Fixed, GridRoundTrip, MessageOf, OrderFilled } from '../domain/index.js';
import { ZERO, fixed, isPerpetual } from '../domain/index.js';
import type { Clock, Component, ComponentContext } from '../engine/index.js';
import { type PositionState, avgCostOf, bookFill, emptyPosition, payBaseFee, unrealizedOf } from './position-accounting.js';
import type { FeePaid, GridProfit, PnlSummary, PortfolioSnapshot, PositionSnapshot } from './portfolio-views.js';
import {
  type GridBook,
  type GridPnl,
  bookFuturesGridFill,
  bookGridFill,
  bookGridFunding,
  gridPnlOf,
  gridTotalOf,
  noteUnvaluedGridFee,
  openGridBook,
  unvaluedFeesOf,
} from './grid-books.js';

const DAY_MS = 86_400_000;

/**
 * Everything the portfolio knows, as saved across a restart: the books of `PortfolioSnapshot` plus the balances as
 * the venue last reported them, the fill credits its next balance report has not yet replaced and the fees still
 * unpriced. Plain data; all money is Fixed. Prices are not the portfolio's to keep: it reads the market's view.
 */
export interface PortfolioState extends PortfolioSnapshot {
  readonly version: 1;
  readonly balances: readonly Balance[];
  readonly credits: readonly { readonly asset: string; readonly amount: Fixed }[];
  readonly unpricedFees: readonly { readonly asset: string; readonly amount: Fixed }[];
}

export interface PortfolioOptions {
  /** The one asset every symbol is assumed to be quoted in; PnL sums add across symbols in it. Default USDT. */
  readonly quoteAsset?: string;
  /** Positions, grid profit and today's figures saved before a restart; a full `PortfolioState` restores it all. */
  readonly initial?: PortfolioSnapshot | PortfolioState;
  /** A symbol's base asset, so a commission paid in it comes off the position (Binance takes buy fees in base). */
  readonly baseAssetOf?: (symbol: string) => string | undefined;
  /**
   * The last trade price per symbol: the market's one view, read for unrealized PnL and for valuing a fee paid in a
   * third asset. Until a symbol has a price, its position is marked at its last fill.
   */
  readonly lastPrice?: (symbol: string) => Fixed | undefined;
  /**
   * One asset's price in another from the watched markets, direct or through a cross (domain assetPriceIn), for a
   * third-asset fee execution could not value. Default: the direct pair's last trade only.
   */
  readonly priceOf?: (asset: string, quote: string) => Fixed | undefined;
}

/**
 * Positions, balances, PnL and grid profit, kept from bus events: each `OrderFilled` is booked once as it arrives
 * (execution already dropped duplicates), each `BalancesReported` merges the assets it carries (Binance's
 * outboundAccountPosition carries only the assets that changed). Prices come from the market's view, read when a
 * figure is asked for, so the tick path does not pass through here at all.
 * Its positionQty / freeBalance / dailyPnl have the shapes the risk gate's view asks for.
 */
export class Portfolio implements Component {
  readonly name = 'portfolio';
  readonly quoteAsset: string;
  private readonly books = new Map<string, PositionState>();
  private readonly balanceByAsset = new Map<string, Balance>();
  /** What fills credited since the venue last reported each asset: its next snapshot includes them and replaces this. */
  private readonly credits = new Map<string, Fixed>();
  private readonly gridBooks = new Map<string, GridBook>();
  private readonly unpriced = new Map<string, Fixed>();
  private readonly feesPaid = new Map<string, { amount: Fixed; valueQuote: Fixed; unvalued: Fixed }>();
  private day = -1;
  private realizedToday = ZERO;
  private feesToday = ZERO;
  private clock: Clock = { now: () => 0 };
  private publish: (m: EngineEvent) => void = () => {};

  private readonly baseAssetOf: (symbol: string) => string | undefined;
  private readonly lastPrice: (symbol: string) => Fixed | undefined;
  private readonly priceOf: (asset: string, quote: string) => Fixed | undefined;

  constructor(options: PortfolioOptions = {}) {
    this.quoteAsset = options.quoteAsset ?? 'USDT';
    this.baseAssetOf = options.baseAssetOf ?? (() => undefined);
    this.lastPrice = options.lastPrice ?? (() => undefined);
    this.priceOf = options.priceOf ?? ((asset, quote) => this.lastPrice(asset + quote));
    if (options.initial !== undefined) {
      if ('version' in options.initial) this.importState(options.initial);
      else this.restore(options.initial);
    }
  }

  attach(ctx: ComponentContext): void {
    const bus = ctx.bus;
    this.clock = ctx.clock;
    this.publish = (m) => bus.publish(m);
    bus.on('OrderFilled', (m) => this.onFill(m));
    bus.on('BalancesReported', (m) => this.onBalances(m));
    bus.on('GridRoundTrip', (m) => this.onRoundTrip(m));
    bus.on('GridStarted', (m) => this.onGridStarted(m));
    bus.on('GridStopped', (m) => this.onGridStopped(m));
    bus.on('FundingSettled', (m) => this.onFunding(m));
  }

  // ── views ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** Every symbol ever traded, flat ones included (they still carry realized PnL and fees), by symbol. */
  positions(): readonly PositionSnapshot[] {
    return [...this.books.keys()].sort().map((s) => this.snapshotOf(this.books.get(s) as PositionState));
  }

  position(symbol: string): PositionSnapshot | undefined {
    const book = this.books.get(symbol);
    return book === undefined ? undefined : this.snapshotOf(book);
  }

  pnl(): PnlSummary {
    let realized = ZERO;
    let unrealized = ZERO;
    let fees = ZERO;
    for (const book of this.books.values()) {
      realized += book.realized;
      unrealized += unrealizedOf(book, this.markOf(book));
      fees += book.fees;
    }
    const grids: GridProfit[] = [...this.gridBooks.values()]
      .sort((a, b) => (a.gridId < b.gridId ? -1 : a.gridId > b.gridId ? 1 : 0))
      .map((g) => ({ gridId: g.gridId, symbol: g.symbol, roundTrips: g.roundTrips, profit: g.profit }));
    const unpricedFees = [...this.unpriced.keys()].sort().map((asset) => ({ asset, amount: this.unpriced.get(asset) ?? ZERO }));
    return { realized, unrealized, fees, today: this.todayBase() + unrealized, grids, unpricedFees, feesByAsset: this.feesByAsset() };
  }

  /** Every grid's profit in Binance's terms (grid-books.ts), by grid id. */
  gridPnls(): GridPnl[] {
    return [...this.gridBooks.keys()].sort().map((id) => this.gridPnl(id) as GridPnl);
  }

  /** One grid's total PnL now, as gridPnl has it, for callers that sample it often (a backtest's equity curve). */
  gridTotalPnl(gridId: string): Fixed | undefined {
    const g = this.gridBooks.get(gridId);
    return g && gridTotalOf(g, this.lastPrice(g.symbol) ?? this.books.get(g.symbol)?.lastFillPrice);
  }

  /** One grid's grid profit, floating and total PnL and APR now; undefined for a grid the portfolio never heard of. */
  gridPnl(gridId: string): GridPnl | undefined {
    const g = this.gridBooks.get(gridId);
    if (g === undefined) return undefined;
    return gridPnlOf(g, this.lastPrice(g.symbol) ?? this.books.get(g.symbol)?.lastFillPrice, this.clock.now());
  }

  /** Fees per asset paid in, by asset. */
  feesByAsset(): FeePaid[] {
    return [...this.feesPaid.keys()].sort().map((asset) => ({ asset, ...(this.feesPaid.get(asset) as Omit<FeePaid, 'asset'>) }));
  }

  /** Today's net PnL in quote: realized today − fees today + current unrealized (what the daily-loss limit watches). */
  dailyPnl(): Fixed {
    let total = this.todayBase();
    for (const book of this.books.values()) total += unrealizedOf(book, this.markOf(book));
    return total;
  }

  /** Balances as last reported, by asset. */
  balances(): readonly Balance[] {
    const assets = new Set([...this.balanceByAsset.keys(), ...this.credits.keys()]);
    return [...assets]
      .sort()
      .map((asset) => ({ asset, free: this.freeBalance(asset), locked: this.balanceByAsset.get(asset)?.locked ?? ZERO }));
  }

  /** The venue's last free balance plus what fills have brought in since (a re-arm must not wait for the snapshot). */
  freeBalance(asset: string): Fixed {
    const free = this.balanceByAsset.get(asset)?.free ?? ZERO;
    // Asked by the risk gate for every order: no sum (a bigint) when no fill has brought anything in since.
    const credit = this.credits.get(asset);
    return credit === undefined ? free : free + credit;
  }

  /** One grid's round trips and profit, as booked from its GridRoundTrip events; undefined before its first. */
  gridProfit(gridId: string): { readonly roundTrips: number; readonly profit: Fixed } | undefined {
    const g = this.gridBooks.get(gridId);
    return g && { roundTrips: g.roundTrips, profit: g.profit };
  }

  /** Signed base quantity held; zero when flat or never traded. */
  positionQty(symbol: string): Fixed {
    return this.books.get(symbol)?.qty ?? ZERO;
  }

  snapshot(): PortfolioSnapshot {
    return {
      positions: [...this.books.values()].map((b) => ({
        symbol: b.symbol,
        qty: b.qty,
        cost: b.cost,
        realized: b.realized,
        fees: b.fees,
        lastFillPrice: b.lastFillPrice,
      })),
      grids: [...this.gridBooks.values()].map((g) => ({
        gridId: g.gridId,
        symbol: g.symbol,
        roundTrips: g.roundTrips,
        profit: g.profit,
        ...(g.since ? { since: { ...g.since } } : {}),
        ...(g.unvalued !== undefined ? { unvaluedFees: unvaluedFeesOf(g) } : {}),
      })),
      day: this.day,
      realizedToday: this.realizedToday,
      feesToday: this.feesToday,
      feesByAsset: this.feesByAsset(),
    };
  }

  /** The whole state; `importState` on a fresh portfolio gives the same views and arithmetic. */
  exportState(): PortfolioState {
    const sortedKeys = <V>(m: Map<string, V>): string[] => [...m.keys()].sort();
    return {
      version: 1,
      ...this.snapshot(),
      balances: sortedKeys(this.balanceByAsset).map((a) => {
        const b = this.balanceByAsset.get(a) as Balance;
        return { asset: b.asset, free: b.free, locked: b.locked };
      }),
      credits: sortedKeys(this.credits).map((asset) => ({ asset, amount: this.credits.get(asset) as Fixed })),
      unpricedFees: sortedKeys(this.unpriced).map((asset) => ({ asset, amount: this.unpriced.get(asset) as Fixed })),
    };
  }

  /**
   * Replaces everything with a saved state. Publishes nothing: the positions did not change, they were saved. Fills
   * missed while down arrive afterwards as ordinary `OrderFilled` events and continue the same arithmetic.
   */
  importState(s: PortfolioState): void {
    if (s.version !== 1) throw new Error(`unknown portfolio snapshot version ${String(s.version)}`);
    this.books.clear();
    this.gridBooks.clear();
    this.balanceByAsset.clear();
    this.credits.clear();
    this.unpriced.clear();
    this.feesPaid.clear();
    this.restore(s);
    for (const b of s.balances) this.balanceByAsset.set(b.asset, { asset: b.asset, free: b.free, locked: b.locked });
    for (const c of s.credits) this.credits.set(c.asset, c.amount);
    for (const u of s.unpricedFees) this.unpriced.set(u.asset, u.amount);
  }

  // ── handlers ───────────────────────────────────────────────────────────────────────────────────────────────

  private onFill(f: OrderFilled): void {
    // A perpetual's fills are the futures book's (futures-book.ts): signed positions, margin, no coins delivered. Only
    // the grid's own books take them here.
    if (isPerpetual(f.symbol)) {
      const grid = this.gridBookOf(f);
      if (grid) bookFuturesGridFill(grid, f);
      return;
    }
    const book = this.bookOf(f.symbol);
    const grid = this.gridBookOf(f);
    // Spot has no short: a sell of coins the books do not hold sold coins held from before. They enter the books as
    // if bought at the start price of the grid that sold them (at the fill price, realizing nothing, for any other).
    const held = book.qty > ZERO ? book.qty : ZERO;
    if (f.side === 'SELL' && f.quantity > held && book.qty >= ZERO) {
      const short = f.quantity - held;
      const at = grid?.since?.startPrice ?? f.price;
      bookFill(book, 'BUY', short, fixed.mul(short, at, 'halfEven'), at);
    }
    let realized = bookFill(book, f.side, f.quantity, f.quote, f.price);
    // Looked up once for the fill (it names the asset of the credit, the fee and the grid's base).
    const baseAsset = this.baseAssetOf(f.symbol);
    if (f.commissionAsset === baseAsset) realized += payBaseFee(book, f.commission, f.price);
    this.creditFill(f, baseAsset);
    const fee = this.feeOf(f);
    const unvalued = this.payFee(f, fee, baseAsset);
    if (grid) {
      bookGridFill(grid, f, baseAsset, this.quoteAsset, fee);
      if (unvalued) noteUnvaluedGridFee(grid, f.commissionAsset, f.commission);
    }
    book.fees += fee;
    this.rollDay();
    this.realizedToday += realized;
    this.feesToday += fee;
    this.publish({
      type: 'PositionChanged',
      symbol: f.symbol,
      quantity: book.qty,
      avgCost: avgCostOf(book),
      realizedPnl: book.realized,
      unrealizedPnl: unrealizedOf(book, this.markOf(book)),
      fees: book.fees,
      time: f.time,
    });
  }

  private onGridStarted(m: MessageOf<'GridStarted'>): void {
    if (m.startPrice === undefined) return;
    const g = this.gridBooks.get(m.gridId) ?? this.newGridBook(m.gridId, m.symbol);
    const fromHoldings = m.baseFromHoldings ?? ZERO;
    openGridBook(
      g,
      {
        startPrice: m.startPrice,
        quoteForBuys: m.quoteForBuys ?? ZERO,
        baseForSells: m.baseForSells ?? ZERO,
        baseFromHoldings: fromHoldings,
        ...(m.investment !== undefined ? { investment: m.investment } : {}),
      },
      this.clock.now(),
    );
    // The account's books take those coins too, at the start price, unless they hold them already (bought by the bot).
    const base = this.baseAssetOf(m.symbol);
    if (base === undefined || fromHoldings <= ZERO) return;
    const book = this.bookOf(m.symbol);
    if (book.qty < ZERO) return;
    const untracked = this.freeBalance(base) + (this.balanceByAsset.get(base)?.locked ?? ZERO) - book.qty;
    const adopt = fromHoldings < untracked ? fromHoldings : untracked;
    if (adopt > ZERO) bookFill(book, 'BUY', adopt, fixed.mul(adopt, m.startPrice, 'halfEven'), m.startPrice);
  }

  private onGridStopped(m: MessageOf<'GridStopped'>): void {
    const since = this.gridBooks.get(m.gridId)?.since;
    if (since && since.stoppedAt === undefined) since.stoppedAt = this.clock.now();
  }

  /**
   * A perpetual's funding goes to the running grids that hold its position, by the size each holds (the rounding to the
   * largest); a position no running grid holds (a stopped grid's, the owner's) keeps its funding in the futures book only.
   */
  private onFunding(m: MessageOf<'FundingSettled'>): void {
    const holders = [...this.gridBooks.values()].filter(
      (g) => g.symbol === m.symbol && g.since !== undefined && g.since.stoppedAt === undefined && g.since.base !== ZERO,
    );
    if (holders.length === 0) return;
    const sizes = holders.map((g) => fixed.abs(g.since?.base ?? ZERO));
    const total = sizes.reduce((a, b) => a + b, ZERO);
    let largest = 0;
    let given = ZERO;
    holders.forEach((g, i) => {
      const share = (m.amount * (sizes[i] as Fixed)) / total;
      if ((sizes[i] as Fixed) > (sizes[largest] as Fixed)) largest = i;
      given += share;
      bookGridFunding(g, share);
    });
    bookGridFunding(holders[largest] as GridBook, m.amount - given);
  }

  private onBalances(m: BalancesReported): void {
    for (const b of m.balances) {
      this.balanceByAsset.set(b.asset, b);
      this.credits.delete(b.asset);
    }
  }

  /** Credits what a fill delivered: base for a buy, quote for a sell, net of a fee taken in that asset. */
  private creditFill(f: OrderFilled, base: string | undefined): void {
    const asset = f.side === 'BUY' ? base : this.quoteAsset;
    if (asset === undefined) return;
    const gross = f.side === 'BUY' ? f.quantity : f.quote;
    const amount = f.commissionAsset === asset ? gross - f.commission : gross;
    this.credits.set(asset, (this.credits.get(asset) ?? ZERO) + amount);
  }

  private onRoundTrip(m: GridRoundTrip): void {
    const g = this.gridBooks.get(m.gridId) ?? this.newGridBook(m.gridId, m.symbol);
    g.roundTrips++;
    g.profit += m.profit;
  }

  private newGridBook(gridId: string, symbol: string): GridBook {
    const g: GridBook = { gridId, symbol, roundTrips: 0, profit: ZERO };
    this.gridBooks.set(gridId, g);
    return g;
  }

  private bookOf(symbol: string): PositionState {
    let book = this.books.get(symbol);
    if (book === undefined) {
      book = emptyPosition(symbol);
      this.books.set(symbol, book);
    }
    return book;
  }

  /**
   * The books a grid's fill goes into: a grid heard of with its start (or not heard of at all yet: its start event may
   * follow its first fill). A grid restored from a snapshot without them has none: its history is not known.
   */
  private gridBookOf(f: OrderFilled): GridBook | undefined {
    if (f.owner.kind !== 'grid') return undefined;
    const g = this.gridBooks.get(f.owner.gridId);
    if (g === undefined) return this.newGridBook(f.owner.gridId, f.symbol);
    return g.since === undefined ? undefined : g;
  }

  /** Books a fee per asset; true when it was in a third asset no market valued (it is then not in any figure). */
  private payFee(f: OrderFilled, value: Fixed, baseAsset: string | undefined): boolean {
    if (f.commission === ZERO) return false;
    let paid = this.feesPaid.get(f.commissionAsset);
    if (paid === undefined) {
      paid = { amount: ZERO, valueQuote: ZERO, unvalued: ZERO };
      this.feesPaid.set(f.commissionAsset, paid);
    }
    paid.amount += f.commission;
    // A third-asset fee valued at zero was not valued at all (feeOf set it aside as unpriced); a base fee is always valued.
    const third = f.commissionAsset !== this.quoteAsset && f.commissionAsset !== baseAsset;
    const unvalued = value === ZERO && third;
    if (unvalued) paid.unvalued += f.commission;
    else paid.valueQuote += value;
    return unvalued;
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The fee in quote. Execution values base and quote commissions exactly in `feeQuote`; a commission in a third asset
   * (BNB) arrives with feeQuote 0 and is valued here at that asset's last trade against the quote asset, or, with no
   * such trade seen, kept aside as unpriced rather than guessed.
   */
  private feeOf(f: OrderFilled): Fixed {
    if (f.feeQuote !== ZERO || f.commission === ZERO) return f.feeQuote;
    if (f.commissionAsset === this.quoteAsset) return f.commission;
    const pair = f.commissionAsset + this.quoteAsset;
    // The symbol's own base: feeQuote is already right, just rounded to zero.
    if (pair === f.symbol) return f.feeQuote;
    const price = this.priceOf(f.commissionAsset, this.quoteAsset);
    if (price !== undefined) return fixed.mul(f.commission, price, 'halfEven');
    this.unpriced.set(f.commissionAsset, (this.unpriced.get(f.commissionAsset) ?? ZERO) + f.commission);
    return ZERO;
  }

  private markOf(book: PositionState): Fixed {
    return this.lastPrice(book.symbol) ?? book.lastFillPrice;
  }

  private snapshotOf(book: PositionState): PositionSnapshot {
    const last = this.lastPrice(book.symbol);
    const base = this.baseAssetOf(book.symbol);
    const known = base !== undefined && (this.balanceByAsset.has(base) || this.credits.has(base));
    const grids = [...this.gridBooks.values()]
      .filter((g) => g.symbol === book.symbol && g.since !== undefined && g.since.stoppedAt === undefined && g.since.base !== ZERO)
      .sort((a, b) => (a.gridId < b.gridId ? -1 : 1))
      .map((g) => ({ gridId: g.gridId, quantity: g.since?.base ?? ZERO }));
    return {
      ...(known ? { accountHolds: this.freeBalance(base) + (this.balanceByAsset.get(base)?.locked ?? ZERO) } : {}),
      ...(grids.length > 0 ? { grids } : {}),
      symbol: book.symbol,
      quantity: book.qty,
      avgCost: avgCostOf(book),
      ...(last !== undefined ? { lastPrice: last } : {}),
      realizedPnl: book.realized,
      unrealizedPnl: unrealizedOf(book, last ?? book.lastFillPrice),
      fees: book.fees,
    };
  }

  /** Realized − fees of the clock's current UTC day; zero once the day has turned and nothing was booked since. */
  private todayBase(): Fixed {
    return Math.floor(this.clock.now() / DAY_MS) === this.day ? this.realizedToday - this.feesToday : ZERO;
  }

  private rollDay(): void {
    const day = Math.floor(this.clock.now() / DAY_MS);
    if (day === this.day) return;
    this.day = day;
    this.realizedToday = ZERO;
    this.feesToday = ZERO;
  }

  /** The books part of a restore, shared by the constructor's `initial` snapshot and `importState`. */
  private restore(s: PortfolioSnapshot): void {
    for (const p of s.positions) {
      this.books.set(p.symbol, {
        symbol: p.symbol,
        qty: p.qty,
        cost: p.cost,
        realized: p.realized,
        fees: p.fees,
        lastFillPrice: p.lastFillPrice,
      });
    }
    for (const g of s.grids)
      this.gridBooks.set(g.gridId, {
        gridId: g.gridId,
        symbol: g.symbol,
        roundTrips: g.roundTrips,
        profit: g.profit,
        ...(g.since ? { since: { ...g.since } } : {}),
        ...(g.unvaluedFees !== undefined ? { unvalued: new Map(g.unvaluedFees.map((u) => [u.asset, u.amount])) } : {}),
      });
    for (const p of s.feesByAsset ?? []) this.feesPaid.set(p.asset, { amount: p.amount, valueQuote: p.valueQuote, unvalued: p.unvalued });
    this.day = s.day;
    this.realizedToday = s.realizedToday;
    this.feesToday = s.feesToday;
  }
}
