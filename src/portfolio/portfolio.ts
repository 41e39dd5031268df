import type { Balance, BalancesReported, EngineEvent, Fixed, GridRoundTrip, OrderFilled } from '../domain/index.js';
import { ZERO, fixed } from '../domain/index.js';
import type { Clock, Component, ComponentContext } from '../engine/index.js';
import { type PositionState, avgCostOf, bookFill, emptyPosition, payBaseFee, unrealizedOf } from './position-accounting.js';
import type { GridProfit, PnlSummary, PortfolioSnapshot, PositionSnapshot } from './portfolio-views.js';

const DAY_MS = 86_400_000;

interface GridBook {
  readonly gridId: string;
  readonly symbol: string;
  roundTrips: number;
  profit: Fixed;
}

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
  private day = -1;
  private realizedToday = ZERO;
  private feesToday = ZERO;
  private clock: Clock = { now: () => 0 };
  private publish: (m: EngineEvent) => void = () => {};

  private readonly baseAssetOf: (symbol: string) => string | undefined;
  private readonly lastPrice: (symbol: string) => Fixed | undefined;

  constructor(options: PortfolioOptions = {}) {
    this.quoteAsset = options.quoteAsset ?? 'USDT';
    this.baseAssetOf = options.baseAssetOf ?? (() => undefined);
    this.lastPrice = options.lastPrice ?? (() => undefined);
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
    return { realized, unrealized, fees, today: this.todayBase() + unrealized, grids, unpricedFees };
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
    return (this.balanceByAsset.get(asset)?.free ?? ZERO) + (this.credits.get(asset) ?? ZERO);
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
      grids: [...this.gridBooks.values()].map((g) => ({ ...g })),
      day: this.day,
      realizedToday: this.realizedToday,
      feesToday: this.feesToday,
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
    this.restore(s);
    for (const b of s.balances) this.balanceByAsset.set(b.asset, { asset: b.asset, free: b.free, locked: b.locked });
    for (const c of s.credits) this.credits.set(c.asset, c.amount);
    for (const u of s.unpricedFees) this.unpriced.set(u.asset, u.amount);
  }

  // ── handlers ───────────────────────────────────────────────────────────────────────────────────────────────

  private onFill(f: OrderFilled): void {
    let book = this.books.get(f.symbol);
    if (book === undefined) {
      book = emptyPosition(f.symbol);
      this.books.set(f.symbol, book);
    }
    let realized = bookFill(book, f.side, f.quantity, f.quote, f.price);
    if (f.commissionAsset === this.baseAssetOf(f.symbol)) realized += payBaseFee(book, f.commission, f.price);
    this.creditFill(f);
    const fee = this.feeOf(f);
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

  private onBalances(m: BalancesReported): void {
    for (const b of m.balances) {
      this.balanceByAsset.set(b.asset, b);
      this.credits.delete(b.asset);
    }
  }

  /** Credits what a fill delivered: base for a buy, quote for a sell, net of a fee taken in that asset. */
  private creditFill(f: OrderFilled): void {
    const base = this.baseAssetOf(f.symbol);
    const asset = f.side === 'BUY' ? base : this.quoteAsset;
    if (asset === undefined) return;
    const gross = f.side === 'BUY' ? f.quantity : f.quote;
    const amount = f.commissionAsset === asset ? gross - f.commission : gross;
    this.credits.set(asset, (this.credits.get(asset) ?? ZERO) + amount);
  }

  private onRoundTrip(m: GridRoundTrip): void {
    const g = this.gridBooks.get(m.gridId);
    if (g === undefined) {
      this.gridBooks.set(m.gridId, { gridId: m.gridId, symbol: m.symbol, roundTrips: 1, profit: m.profit });
    } else {
      g.roundTrips++;
      g.profit += m.profit;
    }
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
    const price = this.lastPrice(pair);
    if (price !== undefined) return fixed.mul(f.commission, price, 'halfEven');
    this.unpriced.set(f.commissionAsset, (this.unpriced.get(f.commissionAsset) ?? ZERO) + f.commission);
    return ZERO;
  }

  private markOf(book: PositionState): Fixed {
    return this.lastPrice(book.symbol) ?? book.lastFillPrice;
  }

  private snapshotOf(book: PositionState): PositionSnapshot {
    const last = this.lastPrice(book.symbol);
    return {
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
      this.gridBooks.set(g.gridId, { gridId: g.gridId, symbol: g.symbol, roundTrips: g.roundTrips, profit: g.profit });
    this.day = s.day;
    this.realizedToday = s.realizedToday;
    this.feesToday = s.feesToday;
  }
}
