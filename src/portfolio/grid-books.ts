/**
 * One grid's books in Binance's terms, in exact fixed-point (README "Grid profit, floating PnL, total PnL, APR"):
 *
 *   investment   = quote the buy levels lock + base the sell levels need × start price   (both as previewed)
 *   grid profit  = Σ matched round trips (a buy and the sell that closes it, or the reverse), net of both fees
 *   total PnL    = quote flows + base held × last price: what the grid's cash and coins are worth now against what they
 *                  were worth at the start. Coins taken from earlier holdings count as bought at the start price, so
 *                  total PnL is 0 at the start; fees leave the flows (quote, BNB at its value) or the base held (base).
 *   floating PnL = total PnL − grid profit: the unmatched inventory marked at the last price against its cost (and the
 *                  fees it paid), so the two always add up to the total exactly
 *   APR (%)      = total PnL / investment × 365 days / time since start (until the stop, for a stopped grid) × 100
 *
 * A USD-M grid keeps the same books with a signed base (its share of the perpetual's position, negative when short),
 * nothing taken from holdings, its fees and funding in the flows, and the margin it needs as its investment. Its total
 * PnL is then realized + unrealized PnL − fees + funding, marked at the perpetual's last trade.
 */
import { type Fixed, type OrderFilled, SCALE, ZERO, fixed } from '../domain/index.js';

const YEAR_MS = 365n * 86_400_000n;

/** The part of a grid's books that only exists for grids started with them (older snapshots have none). */
export interface GridSince {
  readonly startPrice: Fixed;
  readonly investment: Fixed;
  readonly startedAt: number;
  /** Base the grid holds: taken from holdings + bought − sold − base fees. Never below zero on spot. */
  readonly base: Fixed;
  /** Quote that moved for the grid: + sells − buys − quote (and valued third-asset) fees − holdings taken × start price. */
  readonly quote: Fixed;
  readonly stoppedAt?: number;
}

/** Mutable books of one grid, kept by the portfolio. */
export interface GridBook {
  readonly gridId: string;
  readonly symbol: string;
  roundTrips: number;
  profit: Fixed;
  since?: { -readonly [K in keyof GridSince]: GridSince[K] };
  /** Third-asset fees (BNB) no market could value when paid, by asset: not in its figures, and said so beside them. */
  unvalued?: Map<string, Fixed>;
}

/** A fee the books could not value, told beside the figures it is not in. */
export interface UnvaluedFee {
  readonly asset: string;
  readonly amount: Fixed;
}

/** A grid's profit as the chat shows it; the Binance figures are absent for a grid started before they were kept. */
export interface GridPnl {
  readonly gridId: string;
  readonly symbol: string;
  readonly roundTrips: number;
  /** Σ matched round trips, net of both fees. */
  readonly gridProfit: Fixed;
  readonly investment?: Fixed;
  readonly startPrice?: Fixed;
  /** Base the grid manages now. */
  readonly base?: Fixed;
  /** The price its base is marked at (the last trade, or the start price before any). */
  readonly mark?: Fixed;
  readonly floatingPnl?: Fixed;
  readonly totalPnl?: Fixed;
  /** Annualised total PnL on the investment, in percent; absent until time has passed or with no investment. */
  readonly aprPct?: Fixed;
  readonly elapsedMs?: number;
  readonly stopped?: boolean;
  /** Fees in a third asset no market valued when they were paid: not in grid profit or total PnL. */
  readonly unvaluedFees?: readonly UnvaluedFee[];
}

/** The grid's fees no market could value, by asset, sorted; empty when every fee was valued. */
export function unvaluedFeesOf(book: GridBook): UnvaluedFee[] {
  return [...(book.unvalued ?? new Map<string, Fixed>())]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([asset, amount]) => ({ asset, amount }));
}

/** The books a grid opens with: the coins it takes from earlier holdings enter as if bought at the start price. */
export function openGridBook(
  book: GridBook,
  start: { startPrice: Fixed; quoteForBuys: Fixed; baseForSells: Fixed; baseFromHoldings: Fixed; investment?: Fixed },
  now: number,
): void {
  const taken = fixed.mul(start.baseFromHoldings, start.startPrice, 'halfEven');
  // Fills may have been booked before the start event reached the portfolio (a market buy fills at once): keep them.
  const before = book.since;
  book.since = {
    startPrice: start.startPrice,
    investment: start.investment ?? start.quoteForBuys + fixed.mul(start.baseForSells, start.startPrice, 'halfEven'),
    startedAt: now,
    base: (before?.base ?? ZERO) + start.baseFromHoldings,
    quote: (before?.quote ?? ZERO) - taken,
  };
}

/**
 * Books one of the grid's fills. `feeQuote` is the fee's value in quote (undefined when a third-asset fee could not be
 * valued: it is then told beside the figures, not counted). A sell of more base than the books hold takes the rest
 * from earlier holdings at the start price, so the grid's base never goes below zero.
 */
export function bookGridFill(book: GridBook, f: OrderFilled, baseAsset: string | undefined, quoteAsset: string, feeQuote: Fixed): void {
  const s = book.since ?? (book.since = { startPrice: f.price, investment: ZERO, startedAt: f.time, base: ZERO, quote: ZERO });
  if (f.side === 'BUY') {
    s.base += f.quantity;
    s.quote -= f.quote;
  } else {
    if (f.quantity > s.base) {
      const short = f.quantity - s.base;
      s.base += short;
      s.quote -= fixed.mul(short, s.startPrice, 'halfEven');
    }
    s.base -= f.quantity;
    s.quote += f.quote;
  }
  if (f.commissionAsset === baseAsset) s.base -= f.commission;
  else if (f.commissionAsset === quoteAsset) s.quote -= f.commission;
  else s.quote -= feeQuote;
}

/** Books one fill of a USD-M grid: the base goes below zero on a short, and the fee is the commission (in USDT). */
export function bookFuturesGridFill(book: GridBook, f: OrderFilled): void {
  const s = book.since ?? (book.since = { startPrice: f.price, investment: ZERO, startedAt: f.time, base: ZERO, quote: ZERO });
  if (f.side === 'BUY') {
    s.base += f.quantity;
    s.quote -= f.quote;
  } else {
    s.base -= f.quantity;
    s.quote += f.quote;
  }
  s.quote -= f.feeQuote;
}

/** Funding the grid's position paid (negative) or received: it moves the grid's flows like a fee. */
export function bookGridFunding(book: GridBook, amount: Fixed): void {
  if (book.since !== undefined) book.since.quote += amount;
}

/** A third-asset fee of the grid's that no market could value: kept by asset, to be told beside its figures. */
export function noteUnvaluedGridFee(book: GridBook, asset: string, amount: Fixed): void {
  const m = (book.unvalued ??= new Map());
  m.set(asset, (m.get(asset) ?? ZERO) + amount);
}

/** Just the grid's total PnL at `mark` (undefined: the start price): what gridPnlOf says, without the rest. */
export function gridTotalOf(book: GridBook, mark: Fixed | undefined): Fixed | undefined {
  const s = book.since;
  return s === undefined ? undefined : s.quote + fixed.mul(s.base, mark ?? s.startPrice, 'halfEven');
}

/** The figures of `book` at `mark` (undefined: the start price) and clock time `now`. */
export function gridPnlOf(book: GridBook, mark: Fixed | undefined, now: number): GridPnl {
  const unvaluedFees = unvaluedFeesOf(book);
  const head = {
    gridId: book.gridId,
    symbol: book.symbol,
    roundTrips: book.roundTrips,
    gridProfit: book.profit,
    ...(unvaluedFees.length > 0 ? { unvaluedFees } : {}),
  };
  const s = book.since;
  if (s === undefined) return head;
  const price = mark ?? s.startPrice;
  const totalPnl = gridTotalOf(book, price) as Fixed;
  const elapsedMs = Math.max(0, (s.stoppedAt ?? now) - s.startedAt);
  // total / investment × year / elapsed, in percent: one division, half-even, so nothing rounds twice.
  const aprPct =
    s.investment > ZERO && elapsedMs > 0
      ? fixed.divRound(totalPnl * SCALE * 100n * YEAR_MS, s.investment * BigInt(elapsedMs), 'halfEven')
      : undefined;
  return {
    ...head,
    investment: s.investment,
    startPrice: s.startPrice,
    base: s.base,
    mark: price,
    floatingPnl: totalPnl - book.profit,
    totalPnl,
    ...(aprPct !== undefined ? { aprPct } : {}),
    elapsedMs,
    ...(s.stoppedAt !== undefined ? { stopped: true } : {}),
  };
}
