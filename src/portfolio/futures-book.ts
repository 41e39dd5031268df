import {
  type EngineEvent,
  type Fixed,
  type FuturesAccountUpdate,
  type FuturesMarginType,
  type FuturesPosition,
  type LiquidationMargin,
  type MessageOf,
  type OrderRecord,
  type Side,
  type SymbolBrackets,
  ZERO,
  applyFill,
  breakEvenPrice,
  format,
  isPerpetual,
  isTerminal,
  orderMargin,
} from '../domain/index.js';
import type { Clock, Component, ComponentContext } from '../engine/index.js';
import type { FuturesGateway } from '../exchange/index.js';
import { type FundingHolder, attributeFunding } from './futures-funding.js';
import {
  type FuturesSymbolBook,
  initialMarginOf,
  isolatedWalletOf,
  liquidationDistancePct,
  liquidationOf,
  maintenanceOf,
  markOf,
  newSymbolBook,
  positionFromVenue,
  unrealizedOf,
} from './futures-positions.js';
import type { FuturesBookState, FuturesPositionView, FuturesTotals } from './futures-views.js';

/** Funding rows are looked up this far either side of the settlement (Binance settles positions open within ±1 min). */
const FUNDING_WINDOW_MS = 60_000;
/** Funding income rows remembered by id so a row is never booked twice; a settlement has one row per symbol. */
const SEEN_TRANIDS_KEPT = 500;
/** A venue position the bot's fills have not explained after this many mark ticks of its symbol is adopted. */
const MARKS_BEFORE_ADOPTING = 2;
const DAY_MS = 86_400_000;

export interface FuturesBookLog {
  warn(obj: object, msg: string): void;
}

export interface FuturesBookOptions {
  /** The margin asset (USDT): the wallet the book follows. */
  readonly quoteAsset?: string;
  /** The USD-M venue: brackets, positions and the account at start, funding income rows. Without it the bus is all. */
  readonly gateway?: FuturesGateway;
  /** The tracker's orders, read at start: open bot futures orders the venue accepted hold margin the book must count. */
  readonly openOrders?: () => readonly OrderRecord[];
  readonly initial?: FuturesBookState;
  readonly log?: FuturesBookLog;
}

interface OpenOrder {
  readonly symbol: string;
  readonly side: Side;
  readonly price: Fixed;
  remaining: Fixed;
  accepted: boolean;
}

/**
 * The USD-M futures book: per perpetual (`BTCUSDT.P`) the position from the bot's own fills (domain applyFill, exact),
 * realized PnL pre-fee with fees apart, funding per symbol, the mark and what follows from it (uPnL, liquidation price),
 * leverage and margin mode; for the account the wallet and the margin available for new orders. The venue is the truth:
 * a position it reports that the bot's fills do not explain (a liquidation, an order not the bot's) is adopted and said
 * so in a `FuturesPositionChanged` with cause `venue`. It is the risk gate's FuturesRiskView.
 */
export class FuturesBook implements Component {
  readonly name = 'futures-book';
  readonly quoteAsset: string;
  private readonly books = new Map<string, FuturesSymbolBook>();
  private readonly bracketsBySymbol = new Map<string, SymbolBrackets>();
  private readonly orders = new Map<string, OpenOrder>();
  private seenTranIds: string[] = [];
  private wallet = ZERO;
  private crossWallet = ZERO;
  /** Funding the venue's balance changed by that no known position explains (kept so the totals still add up). */
  private unattributedFunding = ZERO;
  /** UTC day (ms / 86 400 000 on the bot's clock) of `todayNet`, and realized − fees + funding booked in it. */
  private day = -1;
  private todayNet = ZERO;
  private clock: Clock = { now: () => 0 };
  private publish: (m: EngineEvent) => void = () => {};
  private readonly gateway: FuturesGateway | undefined;
  private readonly openOrdersAtStart: () => readonly OrderRecord[];
  private readonly log: FuturesBookLog;

  constructor(options: FuturesBookOptions = {}) {
    this.quoteAsset = options.quoteAsset ?? 'USDT';
    this.gateway = options.gateway;
    this.openOrdersAtStart = options.openOrders ?? (() => []);
    this.log = options.log ?? { warn: () => {} };
    if (options.initial !== undefined) this.importState(options.initial);
  }

  attach(ctx: ComponentContext): void {
    const bus = ctx.bus;
    this.clock = ctx.clock;
    this.publish = (m) => bus.publish(m);
    bus.on('OrderSent', (m) => {
      const i = m.intent;
      if (isPerpetual(i.symbol) && i.type === 'LIMIT' && i.price !== undefined && i.reduceOnly !== true)
        this.orders.set(i.clientOrderId, { symbol: i.symbol, side: i.side, price: i.price, remaining: i.quantity, accepted: false });
    });
    bus.on('OrderAccepted', (m) => {
      const o = this.orders.get(m.clientOrderId);
      if (o) o.accepted = true;
    });
    bus.on('OrderFilled', (m) => this.onFill(m));
    for (const t of ['OrderCanceled', 'OrderRejected', 'OrderExpired'] as const) bus.on(t, (m) => this.orders.delete(m.clientOrderId));
    bus.on('OrderSubmissionFailed', (m) => m.outcome === 'rejected' && this.orders.delete(m.clientOrderId));
    bus.on('MarkPriceTicked', (m) => this.onMark(m));
    bus.on('FuturesAccountReported', (m) => this.onAccount(m.update));
    bus.on('PositionLiquidated', (m) => this.onLiquidation(m));
  }

  /**
   * Seeds the accepted open orders from the tracker, then asks the venue (when there is one) for the brackets, every
   * position and the account. A position that differs is held as the venue's word, not adopted yet: at a restart the
   * fills missed while down are booked after the start (restart.ts collects and merges them), and they may explain it.
   * `settleVenue` (after that merge), the symbol's next account update, or a liquidation settles what they do not.
   */
  async start(): Promise<void> {
    for (const o of this.openOrdersAtStart()) {
      const i = o.intent;
      if (!isPerpetual(i.symbol) || isTerminal(o.status) || i.type !== 'LIMIT' || i.price === undefined || i.reduceOnly === true) continue;
      const accepted = o.status === 'accepted' || o.status === 'partially_filled';
      this.orders.set(i.clientOrderId, { symbol: i.symbol, side: i.side, price: i.price, remaining: i.quantity - o.filledQty, accepted });
    }
    if (this.gateway !== undefined) await this.reconcile();
  }

  /**
   * Asks the venue for brackets, positions and the account; the wallet, leverage and margin mode are taken at once, a
   * position that differs from the book is held as the venue's word (marks do not adopt it) until `settleVenue`. For
   * the start, and after the futures user stream was down (its events in between are lost).
   */
  async reconcile(): Promise<void> {
    const g = this.gateway;
    if (g === undefined) return;
    const [brackets, positions, account] = await Promise.all([g.brackets(), g.positions(), g.account()]);
    if (brackets.ok) for (const b of brackets.value) this.bracketsBySymbol.set(b.symbol, b);
    else this.log.warn({ error: brackets.error }, 'futures book: leverage brackets unavailable; no liquidation prices until they are');
    if (account.ok) {
      const asset = account.value.assets.find((a) => a.asset === this.quoteAsset);
      this.wallet = asset?.walletBalance ?? account.value.totalWalletBalance;
      this.crossWallet = asset?.crossWalletBalance ?? this.wallet;
    } else this.log.warn({ error: account.error }, 'futures book: account unavailable; wallet as last known');
    if (!positions.ok) {
      this.log.warn({ error: positions.error }, 'futures book: positions unavailable; the bot books its own fills until they are');
      return;
    }
    const reported = new Set<string>();
    for (const p of positions.value) {
      if (p.positionSide !== 'BOTH') continue;
      reported.add(p.symbol);
      const b = this.bookOf(p.symbol);
      b.leverage = p.leverage;
      b.marginType = p.marginType;
      b.isolatedWallet = p.isolatedWallet;
      b.isolatedWalletFor = p.positionAmt;
      if (p.updateTime > (b.venueAsOf ?? 0)) b.venueAsOf = p.updateTime;
      if (p.markPrice > ZERO) b.mark = p.markPrice;
      if (p.positionAmt === b.position.amount) delete b.venue;
      else b.venue = { amount: p.positionAmt, entryPrice: p.entryPrice, breakEvenPrice: p.breakEvenPrice, marks: 0, held: true };
    }
    // positions() lists only non-zero positions: one the book holds and the venue does not list was closed there.
    for (const b of this.books.values()) {
      if (b.position.amount === ZERO || reported.has(b.symbol)) continue;
      b.venue = { amount: ZERO, entryPrice: ZERO, breakEvenPrice: ZERO, marks: 0, held: true };
    }
  }

  /**
   * Adopts every venue position the bot's fills have not explained (each said, cause `venue`): after a restart's missed
   * fills were merged, or a reconcile after a stream gap. Returns how many positions changed.
   */
  settleVenue(why: string): number {
    let n = 0;
    for (const b of this.books.values()) {
      const v = b.venue;
      if (v === undefined) continue;
      if (v.amount === b.position.amount) {
        delete b.venue;
        continue;
      }
      this.adopt(b, v.amount, v.entryPrice, v.breakEvenPrice, why);
      n++;
    }
    return n;
  }

  // ── what the owner and the services set ─────────────────────────────────────────────────────────────────────

  /** The venue accepted this leverage for the symbol (FuturesGateway.setLeverage). */
  setLeverage(symbol: string, leverage: number): void {
    this.bookOf(symbol).leverage = leverage;
  }

  setMarginType(symbol: string, marginType: FuturesMarginType): void {
    this.bookOf(symbol).marginType = marginType;
  }

  setBrackets(brackets: readonly SymbolBrackets[]): void {
    for (const b of brackets) this.bracketsBySymbol.set(b.symbol, b);
  }

  // ── FuturesRiskView ─────────────────────────────────────────────────────────────────────────────────────────

  position(symbol: string): FuturesPosition {
    return this.bookOf(symbol).position;
  }

  leverage(symbol: string): number {
    return this.bookOf(symbol).leverage;
  }

  brackets(symbol: string): SymbolBrackets | undefined {
    return this.bracketsBySymbol.get(symbol);
  }

  mark(symbol: string): Fixed | undefined {
    return this.books.get(symbol)?.mark;
  }

  /**
   * The sandbox's and Binance's availableBalance: cross wallet + cross uPnL − cross positions' initial margin − the
   * margin of every open bot order the venue accepted. Binance sends no ACCOUNT_UPDATE for a new order, so those orders
   * are counted here from their OrderAccepted until they fill or end (before that, the risk gate's ledger reserves
   * them). Each order's margin is the domain's orderMargin against the position now, both sides added: never less than
   * Binance's netted rule. Orders placed on the account by hand are not known to the bot and not counted.
   */
  availableMargin(): Fixed {
    let available = this.crossWallet;
    for (const b of this.books.values()) {
      if (b.marginType !== 'CROSSED') continue;
      available += unrealizedOf(b) - initialMarginOf(b);
    }
    return available - this.openOrderMargin();
  }

  liquidationMargin(symbol: string, addedMargin: Fixed): LiquidationMargin {
    const b = this.bookOf(symbol);
    if (b.marginType === 'ISOLATED') return { mode: 'isolated', wallet: isolatedWalletOf(b) + addedMargin };
    let otherMaintenance = ZERO;
    let otherUnrealizedPnl = ZERO;
    for (const o of this.books.values()) {
      if (o.symbol === symbol || o.marginType !== 'CROSSED') continue;
      otherMaintenance += maintenanceOf(o, this.bracketsBySymbol.get(o.symbol));
      otherUnrealizedPnl += unrealizedOf(o);
    }
    return { mode: 'cross', wallet: this.crossWallet, otherMaintenance, otherUnrealizedPnl };
  }

  // ── views ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** Every perpetual with a position or any booked history, by symbol. */
  positions(): FuturesPositionView[] {
    return [...this.books.keys()]
      .sort()
      .map((s) => this.viewOf(this.books.get(s) as FuturesSymbolBook))
      .filter((v) => v.amount !== ZERO || v.realizedPnl !== ZERO || v.fees !== ZERO || v.funding !== ZERO);
  }

  positionView(symbol: string): FuturesPositionView | undefined {
    const b = this.books.get(symbol);
    return b === undefined ? undefined : this.viewOf(b);
  }

  totals(): FuturesTotals {
    let realizedPnl = ZERO;
    let fees = ZERO;
    let funding = this.unattributedFunding;
    let unrealizedPnl = ZERO;
    for (const b of this.books.values()) {
      realizedPnl += b.realizedPnl;
      fees += b.fees;
      funding += b.funding;
      unrealizedPnl += unrealizedOf(b);
    }
    return {
      walletBalance: this.wallet,
      crossWalletBalance: this.crossWallet,
      availableMargin: this.availableMargin(),
      realizedPnl,
      fees,
      funding,
      unattributedFunding: this.unattributedFunding,
      unrealizedPnl,
    };
  }

  /**
   * Today's net on the futures account for the daily loss limit, as the spot portfolio counts it: realized − fees +
   * funding booked today (UTC, the bot's clock) + every position's unrealized PnL now.
   */
  dailyPnl(): Fixed {
    let total = Math.floor(this.clock.now() / DAY_MS) === this.day ? this.todayNet : ZERO;
    for (const b of this.books.values()) total += unrealizedOf(b);
    return total;
  }

  // ── state ──────────────────────────────────────────────────────────────────────────────────────────────────

  exportState(): FuturesBookState {
    return {
      version: 1,
      walletBalance: this.wallet,
      crossWalletBalance: this.crossWallet,
      unattributedFunding: this.unattributedFunding,
      day: this.day,
      todayNet: this.todayNet,
      seenFundingIds: [...this.seenTranIds],
      symbols: [...this.books.keys()].sort().map((s) => {
        const b = this.books.get(s) as FuturesSymbolBook;
        const { amount, entryPrice, entryNotional, openingFees } = b.position;
        return {
          symbol: b.symbol,
          amount,
          entryPrice,
          entryNotional,
          openingFees,
          realizedPnl: b.realizedPnl,
          fees: b.fees,
          funding: b.funding,
          leverage: b.leverage,
          marginType: b.marginType,
          isolatedWallet: b.isolatedWallet,
        };
      }),
    };
  }

  /** Replaces everything with a saved state; publishes nothing (start's reconcile says what the venue changed since). */
  importState(s: FuturesBookState): void {
    if (s.version !== 1) throw new Error(`unknown futures book version ${String(s.version)}`);
    this.books.clear();
    this.wallet = s.walletBalance;
    this.crossWallet = s.crossWalletBalance;
    this.unattributedFunding = s.unattributedFunding;
    this.day = s.day;
    this.todayNet = s.todayNet;
    this.seenTranIds = [...s.seenFundingIds];
    for (const x of s.symbols) {
      const b = newSymbolBook(x.symbol);
      b.position = { amount: x.amount, entryPrice: x.entryPrice, entryNotional: x.entryNotional, openingFees: x.openingFees };
      b.realizedPnl = x.realizedPnl;
      b.fees = x.fees;
      b.funding = x.funding;
      b.leverage = x.leverage;
      b.marginType = x.marginType;
      b.isolatedWallet = x.isolatedWallet;
      this.books.set(x.symbol, b);
    }
  }

  // ── handlers ───────────────────────────────────────────────────────────────────────────────────────────────

  private onFill(f: MessageOf<'OrderFilled'>): void {
    if (!isPerpetual(f.symbol)) return;
    const o = this.orders.get(f.clientOrderId);
    if (o) {
      o.remaining -= f.quantity;
      if (f.complete || o.remaining <= ZERO) this.orders.delete(f.clientOrderId);
    }
    // USD-M commissions are in the margin asset: execution's feeQuote is the commission itself.
    this.bookFill(f.symbol, f.side, f.quantity, f.price, f.feeQuote, 'fill', f.time);
  }

  /** The venue's LIQUIDATION order: its fill is booked like any other (its realized loss and fee are real), then said. */
  private onLiquidation(m: MessageOf<'PositionLiquidated'>): void {
    const r = m.report;
    if (!isPerpetual(r.symbol) || r.trade === undefined) return;
    this.bookFill(r.symbol, r.side, r.trade.quantity, r.trade.price, r.trade.commission, 'liquidation', r.time);
  }

  private bookFill(
    symbol: string,
    side: Side,
    quantity: Fixed,
    price: Fixed,
    fee: Fixed,
    cause: 'fill' | 'liquidation',
    time: number,
  ): void {
    const b = this.bookOf(symbol);
    const r = applyFill(b.position, side, quantity, price, fee);
    b.position = r.position;
    b.realizedPnl += r.realizedPnl;
    b.fees += fee;
    this.addToday(r.realizedPnl - fee);
    // The venue's report (usually just before) is now explained; one that still differs waits for its own reason.
    if (b.venue !== undefined && b.venue.amount === b.position.amount) delete b.venue;
    this.said(b, cause, time);
  }

  private onMark(m: MessageOf<'MarkPriceTicked'>): void {
    const b = this.bookOf(m.symbol);
    b.mark = m.markPrice;
    b.fundingRate = m.fundingRate;
    b.nextFundingTime = m.nextFundingTime;
    // A position held since a reconcile waits for settleVenue (the restart's missed fills may still come).
    if (b.venue !== undefined && b.venue.held !== true && ++b.venue.marks >= MARKS_BEFORE_ADOPTING) {
      const v = b.venue;
      this.adopt(
        b,
        v.amount,
        v.entryPrice,
        v.breakEvenPrice,
        "the venue's position changed without a fill of the bot's (an order not the bot's?)",
      );
    }
  }

  private onAccount(u: FuturesAccountUpdate): void {
    for (const bal of u.balances) {
      if (bal.asset !== this.quoteAsset) continue;
      this.wallet = bal.walletBalance;
      this.crossWallet = bal.crossWalletBalance;
    }
    for (const p of u.positions) {
      if (p.positionSide !== 'BOTH' || !isPerpetual(p.symbol)) continue;
      const b = this.bookOf(p.symbol);
      // Older than the position state last read over REST (a restart's held stream, released after the positionRisk
      // read): its wallet and amount are history the fills since have moved on from. Only the REST read moves this
      // mark: the stream's own times are not compared with each other (a venue's event times need not be monotonic).
      if (u.time < (b.venueAsOf ?? 0)) continue;
      b.marginType = p.marginType;
      b.isolatedWallet = p.isolatedWallet;
      b.isolatedWalletFor = p.positionAmt;
      // An earlier report no fill explained, and now another: the earlier one was the venue's own doing.
      if (b.venue !== undefined && b.venue.amount !== b.position.amount)
        this.adopt(
          b,
          b.venue.amount,
          b.venue.entryPrice,
          b.venue.breakEvenPrice,
          'the venue reported a position no fill of the bot explains',
        );
      if (p.positionAmt === b.position.amount) {
        delete b.venue;
        continue;
      }
      const venue = { amount: p.positionAmt, entryPrice: p.entryPrice, breakEvenPrice: p.breakEvenPrice, marks: 0 };
      // A fill's report (reason ORDER) comes just before the fill itself; any other reason is the venue's alone.
      if (u.reason === 'ORDER') b.venue = venue;
      else this.adopt(b, venue.amount, venue.entryPrice, venue.breakEvenPrice, `the venue changed the position (${u.reason})`);
    }
    if (u.reason === 'FUNDING_FEE') this.onFunding(u);
  }

  /**
   * A settlement. The venue's FUNDING_FEE income rows are the truth per symbol and are used whenever the gateway is
   * there and answers; otherwise the balance change is split by attributeFunding (one position takes it all, several
   * −pa·mark·rate each at the last mark and rate, the rounding to the largest).
   */
  private onFunding(u: FuturesAccountUpdate): void {
    const total = u.balances.filter((b) => b.asset === this.quoteAsset).reduce((s, b) => s + b.balanceChange, ZERO);
    // An isolated settlement names its position; a cross one names none and covers every cross position.
    const named = new Set(u.positions.filter((p) => isPerpetual(p.symbol)).map((p) => p.symbol));
    const holders: FundingHolder[] = [...this.books.values()]
      .filter((b) => b.position.amount !== ZERO && (named.size > 0 ? named.has(b.symbol) : b.marginType === 'CROSSED'))
      .map((b) => ({ symbol: b.symbol, amount: b.position.amount, mark: markOf(b), rate: b.fundingRate ?? ZERO }));
    // The rate this settlement applied is the one the marks carried until now: by the time the venue's income rows
    // answer, the mark stream may already announce the next settlement's rate.
    const rates = new Map([...this.books.values()].map((b) => [b.symbol, b.fundingRate]));
    const estimate = (): void => {
      if (total === ZERO) return;
      const shares = attributeFunding(total, holders);
      if (shares.length === 0) {
        this.unattributedFunding += total;
        this.addToday(total);
      }
      for (const s of shares) this.bookFunding(s.symbol, s.amount, 'estimate', u.time, rates.get(s.symbol));
    };
    if (this.gateway === undefined) {
      estimate();
      return;
    }
    void this.gateway
      .income({ incomeType: 'FUNDING_FEE', startTime: u.time - FUNDING_WINDOW_MS, endTime: u.time + FUNDING_WINDOW_MS, limit: 1000 })
      .then((rows) => {
        // No rows at all (the venue has not written them yet, or cannot be asked): the estimate is all there is.
        const mine = rows.ok ? rows.value.filter((r) => r.asset === this.quoteAsset) : [];
        if (mine.length === 0) {
          if (!rows.ok) this.log.warn({ error: rows.error }, 'futures book: funding income unavailable; estimated per symbol');
          estimate();
          return;
        }
        // Rows already booked (the same settlement reported again, an isolated one beside a cross one) book nothing.
        for (const r of mine.filter((x) => !this.seenTranIds.includes(x.tranId))) {
          this.seenTranIds.push(r.tranId);
          this.bookFunding(r.symbol, r.income, 'income', r.time, rates.get(r.symbol));
        }
        if (this.seenTranIds.length > SEEN_TRANIDS_KEPT) this.seenTranIds = this.seenTranIds.slice(-SEEN_TRANIDS_KEPT);
      });
  }

  private bookFunding(symbol: string, amount: Fixed, source: 'income' | 'estimate', time: number, rate: Fixed | undefined): void {
    const b = this.bookOf(symbol);
    b.funding += amount;
    this.addToday(amount);
    this.publish({
      type: 'FundingSettled',
      symbol,
      amount,
      ...(b.position.amount !== ZERO ? { positionAmount: b.position.amount } : {}),
      ...(rate !== undefined ? { rate } : {}),
      source,
      time,
    });
  }

  /** Takes the venue's position as the book's: realized PnL of the change is not known to the bot (the venue's income has it). */
  private adopt(b: FuturesSymbolBook, amount: Fixed, entryPrice: Fixed, breakEven: Fixed, why: string): void {
    const before = b.position.amount;
    b.position = positionFromVenue(amount, entryPrice, breakEven);
    delete b.venue;
    this.said(b, 'venue', this.clock.now(), `${why}: ${format(before)} → ${format(amount)}`);
  }

  private said(b: FuturesSymbolBook, cause: 'fill' | 'liquidation' | 'venue', time: number, note?: string): void {
    const v = this.viewOf(b);
    this.publish({
      type: 'FuturesPositionChanged',
      symbol: b.symbol,
      amount: v.amount,
      entryPrice: v.entryPrice,
      breakEvenPrice: v.breakEvenPrice,
      ...(v.mark !== undefined ? { mark: v.mark } : {}),
      unrealizedPnl: v.unrealizedPnl,
      ...(v.liquidationPrice !== undefined ? { liquidationPrice: v.liquidationPrice } : {}),
      realizedPnl: v.realizedPnl,
      fees: v.fees,
      cause,
      ...(note !== undefined ? { note } : {}),
      time,
    });
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────────────────────────────

  private addToday(amount: Fixed): void {
    const today = Math.floor(this.clock.now() / DAY_MS);
    if (today !== this.day) {
      this.day = today;
      this.todayNet = ZERO;
    }
    this.todayNet += amount;
  }

  private openOrderMargin(): Fixed {
    let sum = ZERO;
    for (const o of this.orders.values()) {
      if (!o.accepted || o.remaining <= ZERO) continue;
      const b = this.bookOf(o.symbol);
      sum += orderMargin(b.position.amount, o.side, o.remaining, o.price, b.mark ?? o.price, b.leverage);
    }
    return sum;
  }

  private viewOf(b: FuturesSymbolBook): FuturesPositionView {
    const amount = b.position.amount;
    const liq = liquidationOf(b, this.bracketsBySymbol.get(b.symbol), this.liquidationMargin(b.symbol, ZERO));
    return {
      symbol: b.symbol,
      amount,
      entryPrice: b.position.entryPrice,
      breakEvenPrice: breakEvenPrice(b.position),
      ...(b.mark !== undefined ? { mark: b.mark } : {}),
      unrealizedPnl: unrealizedOf(b),
      ...(liq !== undefined ? { liquidationPrice: liq } : {}),
      ...(liq !== undefined && b.mark !== undefined ? { liquidationDistancePct: liquidationDistancePct(amount, b.mark, liq) } : {}),
      leverage: b.leverage,
      marginType: b.marginType,
      isolatedWallet: b.isolatedWallet,
      realizedPnl: b.realizedPnl,
      fees: b.fees,
      funding: b.funding,
      ...(b.fundingRate !== undefined ? { fundingRate: b.fundingRate } : {}),
      ...(b.nextFundingTime !== undefined ? { nextFundingTime: b.nextFundingTime } : {}),
    };
  }

  private bookOf(symbol: string): FuturesSymbolBook {
    let b = this.books.get(symbol);
    if (b === undefined) {
      b = newSymbolBook(symbol);
      this.books.set(symbol, b);
    }
    return b;
  }
}
