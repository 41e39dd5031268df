import {
  type Balance,
  type Fixed,
  type Instrument,
  type Result,
  type TradeTick,
  ZERO,
  failure,
  fixed,
  format,
  fx,
  ok,
  validateOrder,
} from '../../domain/index.js';
import { Account } from './account.js';
import { OrderRegistry } from './order-registry.js';
import * as rejections from './rejections.js';
import { PlacedOrder } from './placed-order.js';
import { Fill, reportOf } from './reports.js';
import { type MatchingSnapshot, decodeBalance, decodeOrder, decodePrice, encodeOrder } from './snapshot.js';
import { NONE, SymbolBook } from './symbol-book.js';
import type {
  Canceled,
  FeeRates,
  MatchingConfig,
  NewOrder,
  OrderRef,
  Placed,
  VenueEvent,
  VenueOrder,
  VenueRejection,
  VenueReport,
} from './types.js';

/** Returned by every call that changed nothing, so the per-tick path allocates nothing. */
const NO_EVENTS: readonly VenueEvent[] = Object.freeze([]);

export const DEFAULT_FEES: FeeRates = { maker: fx('0.001'), taker: fx('0.001') };
const DEFAULT_STARTING_BALANCES: Readonly<Record<string, Fixed>> = { USDT: fx('10000') };
const DEFAULT_RECENT_LIMIT = 10_000;

/**
 * One paper account's venue: balances, resting orders per symbol, and matching against a trade tape.
 *
 * The tape is the real market, which never sees our orders, so we cannot know our place in its queue:
 * - a resting order fills only when a trade goes THROUGH its price (buy: trade < limit, sell: trade > limit), at its
 *   limit price, as maker; a trade exactly at the limit fills nothing, because the queue ahead of us may have taken it;
 * - one trade's quantity is shared by the orders it goes through, best price first, then oldest first; the bid side
 *   and the ask side each get the whole quantity (a trade has a buyer and a seller we may both stand in for);
 * - an order marketable on arrival (MARKET, or a limit at or through the last trade) fills at once, in full, at the
 *   last trade price, as taker.
 * Several accounts are several engines fed the same tape: paper accounts do not compete for the tape's liquidity.
 */
export class MatchingEngine {
  private readonly books = new Map<string, SymbolBook>();
  private account: Account;
  private readonly orders: OrderRegistry;
  private readonly fees: FeeRates;
  private nextOrderId = 1;
  private nextTradeId = 1;
  private readonly keepTrades: boolean;

  constructor(config: MatchingConfig) {
    for (const inst of config.instruments) this.books.set(inst.symbol, new SymbolBook(inst));
    this.fees = config.fees ?? DEFAULT_FEES;
    this.orders = new OrderRegistry(config.recentOrderLimit ?? DEFAULT_RECENT_LIMIT);
    this.keepTrades = config.keepTrades === true;
    const start = config.startingBalances ?? DEFAULT_STARTING_BALANCES;
    this.account = new Account(Object.entries(start).map(([asset, free]) => ({ asset, free, locked: ZERO })));
  }

  // ── commands ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Places an order at `time` (ms); a refusal creates no order, as Binance's REST rejections do. */
  placeOrder(req: NewOrder, time: number): Result<Placed, VenueRejection> {
    const book = this.books.get(req.symbol);
    if (!book) return rejections.invalidSymbol();
    const inst = book.instrument;
    const isMarket = req.type === 'MARKET';
    if (!isMarket && req.price === undefined) return rejections.missingParameter('price');
    const last = book.last === NONE ? undefined : book.last;

    const valid = validateOrder(inst, {
      side: req.side,
      type: req.type,
      price: isMarket ? undefined : req.price,
      quantity: req.quantity,
      referencePrice: last,
      openOrders: book.count(),
    });
    if (!valid.ok) return rejections.filterFailure(valid.error);
    if (this.orders.isOpenClientId(req.clientOrderId)) return rejections.duplicateOrder();
    if (isMarket && last === undefined) return rejections.marketClosed();

    const price = isMarket ? ZERO : (req.price as Fixed);
    const taker = last !== undefined && (isMarket || (req.side === 'BUY' ? price >= last : price <= last));
    const postOnly = req.postOnly === true && !isMarket;
    if (postOnly && taker) return rejections.wouldTake();
    // Funds are checked at the limit price (what Binance locks), or at the last price for a MARKET buy.
    const fundAsset = req.side === 'BUY' ? inst.quoteAsset : inst.baseAsset;
    const need = req.side === 'BUY' ? fixed.mul(isMarket ? (last as Fixed) : price, req.quantity, 'ceil') : req.quantity;
    const have = this.account.free(fundAsset);
    if (have < need) return rejections.insufficientBalance(`${fundAsset} free ${format(have)} < ${format(need)} needed`);

    const orderId = this.nextOrderId++;
    const timeInForce = isMarket || postOnly ? 'GTC' : (req.timeInForce ?? 'GTC');
    const o: VenueOrder = new PlacedOrder(orderId, req, timeInForce, price, time);
    // Set afterwards: a rare post-only order alone takes the property.
    if (postOnly) (o as { postOnly?: boolean }).postOnly = true;
    this.orders.addOpen(o);
    const accepted = reportOf(o, time);
    const acceptedEvent: VenueEvent = { type: 'execution', report: accepted };
    let events: VenueEvent[];

    if (taker) {
      events = [acceptedEvent];
      this.fill(book, o, last as Fixed, o.origQty, false, time, events);
    } else if (o.timeInForce !== 'GTC') {
      // Not marketable: IOC has nothing to fill now and FOK cannot fill in full, so both expire untouched.
      events = [acceptedEvent];
      this.finish(o, 'EXPIRED', time, events);
    } else {
      this.account.lock(fundAsset, need);
      o.locked = need;
      book.insert(o);
      // Every resting order's two events in one literal: a push onto a one-event array would grow it to 17 slots.
      events = [acceptedEvent, this.balanceEvent([this.account.balanceOf(fundAsset)], time)];
    }
    // A resting order's state is still what the NEW report said: share that (immutable) report.
    return ok({ report: o.status === 'NEW' ? accepted : reportOf(o, time), events });
  }

  /** Cancels an open order; anything else (unknown, already done, other symbol) is -2011 as on Binance. */
  cancelOrder(symbol: string, ref: OrderRef, time: number): Result<Canceled, VenueRejection> {
    const book = this.books.get(symbol);
    if (!book) return rejections.invalidSymbol();
    const o = this.orders.findOpen(ref);
    if (!o || o.symbol !== symbol) return rejections.unknownOrderOnCancel();
    book.remove(o);
    const asset = o.side === 'BUY' ? book.instrument.quoteAsset : book.instrument.baseAsset;
    if (o.locked > ZERO) this.account.unlock(asset, o.locked);
    o.locked = ZERO;
    const events: VenueEvent[] = [];
    this.finish(o, 'CANCELED', time, events);
    events.push(this.balanceEvent([this.account.balanceOf(asset)], time));
    return ok({ report: reportOf(o, time), events });
  }

  /** Feeds one trade of the tape; returns the events it caused (the shared empty array when it crossed nothing). */
  onTrade(tick: TradeTick): readonly VenueEvent[] {
    const book = this.books.get(tick.symbol);
    if (book === undefined) return NO_EVENTS;
    book.last = tick.price;
    if (!book.crosses(tick.price)) return NO_EVENTS;

    const events: VenueEvent[] = [];
    let left = tick.quantity;
    while (left > ZERO && tick.price < book.bestBid) {
      left -= this.fillBest(book, book.bids, left, tick.time, events);
    }
    left = tick.quantity;
    while (left > ZERO && book.bestAsk !== NONE && tick.price > book.bestAsk) {
      left -= this.fillBest(book, book.asks, left, tick.time, events);
    }
    return events;
  }

  // ── queries ───────────────────────────────────────────────────────────────────────────────────────────────

  /** An open or recently finished order of this symbol; -2013 when the venue has no such order. */
  getOrder(symbol: string, ref: OrderRef): Result<VenueReport, VenueRejection> {
    if (!this.books.has(symbol)) return rejections.invalidSymbol();
    const o = this.orders.find(ref);
    if (!o || o.symbol !== symbol) return rejections.orderDoesNotExist();
    return ok(reportOf(o, o.updateTime));
  }

  /** The TRADE reports of an order the venue knows (with `keepTrades`; else none), oldest first; -2013 as getOrder. */
  orderTrades(symbol: string, ref: OrderRef): Result<readonly VenueReport[], VenueRejection> {
    if (!this.books.has(symbol)) return rejections.invalidSymbol();
    const o = this.orders.find(ref);
    if (!o || o.symbol !== symbol) return rejections.orderDoesNotExist();
    return ok(o.trades ?? []);
  }

  /** Open orders, oldest first, of one symbol or all. */
  openOrders(symbol?: string): Result<VenueReport[], VenueRejection> {
    if (symbol !== undefined && !this.books.has(symbol)) return rejections.invalidSymbol();
    const out: VenueReport[] = [];
    for (const o of this.orders.open()) if (symbol === undefined || o.symbol === symbol) out.push(reportOf(o, o.updateTime));
    return ok(out);
  }

  balances(): Balance[] {
    return this.account.all();
  }

  /** The last trade price the tape showed for a symbol, if any. */
  lastPrice(symbol: string): Fixed | undefined {
    const last = this.books.get(symbol)?.last;
    return last === undefined || last === NONE ? undefined : last;
  }

  instruments(): Instrument[] {
    return [...this.books.values()].map((b) => b.instrument);
  }

  // ── persistence ───────────────────────────────────────────────────────────────────────────────────────────

  /** The account's whole state as JSON-safe plain data. */
  snapshot(): MatchingSnapshot {
    const lastPrices: Record<string, string> = {};
    for (const [s, b] of this.books) if (b.last !== NONE) lastPrices[s] = format(b.last);
    return {
      version: 1,
      nextOrderId: this.nextOrderId,
      nextTradeId: this.nextTradeId,
      balances: this.account.all().map((b) => ({ asset: b.asset, free: format(b.free), locked: format(b.locked) })),
      openOrders: [...this.orders.open()].map(encodeOrder),
      recentOrders: [...this.orders.done()].map(encodeOrder),
      lastPrices,
    };
  }

  /** Rebuilds an engine from a snapshot; the config's instruments and fees apply, its starting balances do not. */
  static fromSnapshot(config: MatchingConfig, snap: MatchingSnapshot): Result<MatchingEngine> {
    if (snap.version !== 1) return failure('SNAPSHOT_INVALID', `unknown snapshot version ${String(snap.version)}`);
    const balances: Balance[] = [];
    for (const b of snap.balances) {
      const r = decodeBalance(b);
      if (!r.ok) return r;
      balances.push(r.value);
    }
    const engine = new MatchingEngine({ ...config, startingBalances: {} });
    engine.account = new Account(balances);
    engine.nextOrderId = snap.nextOrderId;
    engine.nextTradeId = snap.nextTradeId;
    for (const [symbol, text] of Object.entries(snap.lastPrices)) {
      const r = decodePrice(symbol, text);
      if (!r.ok) return r;
      const book = engine.books.get(symbol);
      if (book) book.last = r.value;
    }
    for (const s of snap.recentOrders) {
      const r = decodeOrder(s);
      if (!r.ok) return r;
      engine.orders.addDone(r.value);
    }
    for (const s of snap.openOrders) {
      const r = decodeOrder(s);
      if (!r.ok) return r;
      const book = engine.books.get(s.symbol);
      if (!book) return failure('SNAPSHOT_INVALID', `open order ${s.orderId} is on unconfigured symbol ${s.symbol}`);
      engine.orders.addOpen(r.value);
      book.insert(r.value);
    }
    return ok(engine);
  }

  // ── matching ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Fills the best order of one side from up to `available` of a trade's quantity; returns the quantity used. */
  private fillBest(book: SymbolBook, side: VenueOrder[], available: Fixed, time: number, events: VenueEvent[]): Fixed {
    const o = side[side.length - 1] as VenueOrder;
    const open = o.executedQty === ZERO ? o.origQty : o.origQty - o.executedQty;
    const qty = open < available ? open : available;
    this.fill(book, o, o.price, qty, true, time, events);
    if (o.status === 'FILLED') {
      side.pop();
      book.refresh();
    }
    return qty;
  }

  /** Books one fill: the order's figures, both balances, the fee in the asset received, and the events. */
  private fill(book: SymbolBook, o: VenueOrder, price: Fixed, qty: Fixed, isMaker: boolean, time: number, events: VenueEvent[]): void {
    const { baseAsset, quoteAsset } = book.instrument;
    const quote = fixed.mul(price, qty, 'halfEven');
    const rate = isMaker ? this.fees.maker : this.fees.taker;
    // A first fill (most are) takes its figures as they are, rather than a sum with zero (a bigint each).
    o.executedQty = o.executedQty === ZERO ? qty : o.executedQty + qty;
    o.cumQuote = o.cumQuote === ZERO ? quote : o.cumQuote + quote;
    o.updateTime = time;
    o.status = o.executedQty === o.origQty ? 'FILLED' : 'PARTIALLY_FILLED';

    let commission: Fixed;
    let commissionAsset: string;
    if (o.side === 'BUY') {
      commission = fixed.mul(qty, rate, 'halfEven');
      commissionAsset = baseAsset;
      this.pay(o, quoteAsset, quote);
      this.account.credit(baseAsset, qty - commission);
    } else {
      commission = fixed.mul(quote, rate, 'halfEven');
      commissionAsset = quoteAsset;
      this.pay(o, baseAsset, qty);
      this.account.credit(quoteAsset, quote - commission);
    }
    const tradeId = this.nextTradeId++;
    const report = reportOf(o, time, new Fill(tradeId, price, qty, commission, commissionAsset, isMaker));
    // The first trade's array is a literal: an empty one's first push reserves room for 17, and most orders fill once.
    if (this.keepTrades) {
      if (o.trades === undefined) o.trades = [report];
      else o.trades.push(report);
    }
    events.push({ type: 'execution', report });
    if (o.status === 'FILLED') {
      // A buy's lock was rounded up at the limit price; what the fills did not use goes back.
      const asset = o.side === 'BUY' ? quoteAsset : baseAsset;
      if (o.locked > ZERO) this.account.unlock(asset, o.locked);
      o.locked = ZERO;
      this.orders.close(o);
    }
    events.push(this.balanceEvent([this.account.balanceOf(baseAsset), this.account.balanceOf(quoteAsset)], time));
  }

  /** Pays from the order's lock first, then from free funds (a taker order locked nothing). */
  private pay(o: VenueOrder, asset: string, amount: Fixed): void {
    const fromLock = amount < o.locked ? amount : o.locked;
    if (fromLock > ZERO) {
      this.account.spendLocked(asset, fromLock);
      o.locked -= fromLock;
    }
    if (amount > fromLock) this.account.spendFree(asset, amount - fromLock);
  }

  private finish(o: VenueOrder, status: 'CANCELED' | 'EXPIRED', time: number, events: VenueEvent[]): void {
    o.status = status;
    o.updateTime = time;
    this.orders.close(o);
    events.push({ type: 'execution', report: reportOf(o, time) });
  }

  /** An outboundAccountPosition: only the assets that changed, as they stand now. */
  private balanceEvent(balances: readonly Balance[], time: number): VenueEvent {
    return { type: 'balances', balances, time };
  }
}
