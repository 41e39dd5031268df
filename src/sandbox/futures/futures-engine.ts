import {
  FLAT_POSITION,
  type Fixed,
  type Instrument,
  type Result,
  SCALE,
  type SymbolBrackets,
  type TradeTick,
  ZERO,
  applyFill,
  fixed,
  fundingWalletChange,
  fx,
  initialMargin,
  isLiquidatable,
  maintenanceMargin,
  nextFundingTime,
  ok,
  orderMargin,
  positionNotional,
  unrealizedPnl,
} from '../../domain/index.js';
import type { OrderRef, VenueRejection } from '../matching/index.js';
import { bracketsFor } from './default-brackets.js';
import { type OpenOrderMarginRule, type PositionFigures, type SymbolState, maxNotionalFor, positionFigures } from './futures-figures.js';
import type { FuturesMarket } from './futures-market.js';
import { FuturesBook, type FuturesOrder, FuturesOrders, isOpen, orderView } from './futures-order.js';
import { checkFilters, checkPercentPrice } from './futures-filters.js';
import * as R from './futures-rejections.js';
import type { FuturesState } from './futures-snapshot.js';
import {
  type AccountTotals,
  type CrossTotals,
  MARGIN_ASSET,
  accountTotals,
  balanceView,
  crossTotals,
  liquidationPriceOf,
  orderEvent,
  positionView,
} from './futures-views.js';
import type {
  FuturesAccountView,
  FuturesBalanceView,
  FuturesEvent,
  FuturesExecutionType,
  FuturesFill,
  FuturesNewOrder,
  FuturesOrderView,
  FuturesPlaced,
  FuturesTrade,
  FuturesVenue,
  IncomeRow,
  IncomeType,
  MarginType,
  PositionView,
  SymbolConfigView,
} from './types.js';

/** Returned by every call that changed nothing, so the per-trade path allocates nothing. */
const NO_EVENTS: readonly FuturesEvent[] = Object.freeze([]);

/** Settings of the USD-M account (hub option `futuresAccount`); each default is explained in README. */
export interface FuturesEngineOptions {
  /** Starting USDT wallet; default 10,000 (as spot's default). */
  readonly walletBalance?: Fixed;
  /** Commission rates; default maker 0.0002, taker 0.0005 (regular tier, PROTOCOLS-FUTURES D.7). */
  readonly fees?: { readonly maker: Fixed; readonly taker: Fixed };
  /** Liquidation clearance fee rate on the liquidation fill's notional; default 0.0125 (live BTCUSDT liquidationFee). */
  readonly liquidationFeeRate?: Fixed;
  /** MARGIN_CALL when maintenance/margin balance reaches this ratio; default 0.8. */
  readonly marginCallRatio?: Fixed;
  /** leverageBracket JSON (one object or an array) replacing the built-in tiers of the symbols it names. */
  readonly leverageBrackets?: unknown;
  /** Leverage of a symbol never set; default 20 (PROTOCOLS-FUTURES D.1). */
  readonly defaultLeverage?: number;
  /** MAX_NUM_ORDERS per symbol; default 200. */
  readonly maxOpenOrders?: number;
  /** How many terminal orders, trades and income rows stay queryable (each, oldest forgotten first); default 10,000. */
  readonly historyLimit?: number;
  /** How resting orders' margin adds up: `netted` (Binance's one-way rule, default) or `sum` (stricter); README "Margin". */
  readonly openOrderMargin?: OpenOrderMarginRule;
}

export const DEFAULT_FUTURES_FEES = { maker: fx('0.0002'), taker: fx('0.0005') } as const;
const DEFAULTS = {
  walletBalance: fx('10000'),
  liquidationFeeRate: fx('0.0125'),
  marginCallRatio: fx('0.8'),
  defaultLeverage: 20,
  maxOpenOrders: 200,
  historyLimit: 10_000,
};

/** How one fill is booked: a trade of the tape or a marketable order, or the liquidation's close. */
interface FillKind {
  readonly isMaker: boolean;
  readonly execution: FuturesExecutionType;
  readonly feeRate: Fixed;
  /** The liquidation's fee is capped at what is left of the margin it clears (README "Liquidation"). */
  readonly liquidation: boolean;
}

/**
 * The sandbox's USD-M account (one-way mode, USDT margin, one account) over the hub's tape. Matching follows spot's
 * rules: a resting order fills only when a tape trade goes through its price, at its limit, as maker; a marketable
 * order fills at once, in full, at the last trade price, as taker. Positions net through the domain's applyFill;
 * margin, liquidation and funding use the domain's formulas at FuturesMarket's mark. Every rule is in README.md.
 */
export class FuturesEngine implements FuturesVenue {
  private readonly symbols = new Map<string, SymbolState>();
  private readonly instruments = new Map<string, Instrument>();
  private readonly orders: FuturesOrders;
  private readonly fees: { readonly maker: Fixed; readonly taker: Fixed };
  private readonly liquidationFeeRate: Fixed;
  private readonly marginCallRatio: Fixed;
  private readonly maxOpenOrders: number;
  private readonly historyLimit: number;
  private readonly openOrderMarginRule: OpenOrderMarginRule;
  private crossWallet: Fixed;
  private crossMarginCalled = false;
  private trades: FuturesTrade[] = [];
  private incomeRows: IncomeRow[] = [];
  private nextOrderId = 1;
  private nextTradeId = 1;
  private nextTranId = 1;
  /** Symbols with a non-zero position: the per-trade path does nothing while a symbol has none and no order crosses. */
  private openPositions = 0;
  /** The earliest funding time or countdown deadline due: advance() before it costs one comparison. */
  private nextDue = Number.POSITIVE_INFINITY;

  constructor(
    instruments: readonly Instrument[],
    private readonly market: FuturesMarket,
    options: FuturesEngineOptions,
    startTime: number,
    restored?: FuturesState,
  ) {
    this.fees = options.fees ?? DEFAULT_FUTURES_FEES;
    this.liquidationFeeRate = options.liquidationFeeRate ?? DEFAULTS.liquidationFeeRate;
    this.marginCallRatio = options.marginCallRatio ?? DEFAULTS.marginCallRatio;
    this.maxOpenOrders = options.maxOpenOrders ?? DEFAULTS.maxOpenOrders;
    this.historyLimit = options.historyLimit ?? DEFAULTS.historyLimit;
    this.openOrderMarginRule = options.openOrderMargin ?? 'netted';
    this.orders = new FuturesOrders(this.historyLimit);
    this.crossWallet = options.walletBalance ?? DEFAULTS.walletBalance;
    const brackets = bracketsFor(
      instruments.map((i) => i.symbol),
      options.leverageBrackets,
    );
    const leverage = options.defaultLeverage ?? DEFAULTS.defaultLeverage;
    for (const inst of instruments) {
      this.instruments.set(inst.symbol, inst);
      const b = brackets.get(inst.symbol);
      if (b === undefined) continue;
      const max = b.brackets[0]?.initialLeverage ?? 1;
      this.symbols.set(inst.symbol, {
        symbol: inst.symbol,
        brackets: b,
        book: new FuturesBook(),
        leverage: Math.min(leverage, max),
        marginType: 'CROSSED',
        position: FLAT_POSITION,
        isolatedWallet: ZERO,
        accumulatedRealized: ZERO,
        updateTime: 0, // never touched: positionRisk shows 0
        marginCalled: false,
        countdownDeadline: 0,
        nextFunding: nextFundingTime(startTime, market.intervalHoursAt(inst.symbol, startTime)),
      });
    }
    if (restored !== undefined) this.restore(restored);
    this.refreshDue();
  }

  // ── orders ────────────────────────────────────────────────────────────────────────────────────────────────

  placeOrder(req: FuturesNewOrder, time: number): Result<FuturesPlaced, VenueRejection> {
    const s = this.symbols.get(req.symbol);
    const inst = this.instruments.get(req.symbol);
    if (s === undefined || inst === undefined) return R.invalidSymbol();
    if (req.positionSide !== undefined && req.positionSide !== 'BOTH') return R.positionSideMismatch();
    const isMarket = req.type === 'MARKET';
    if (!isMarket && req.price === undefined) return R.missingParameter('price');
    const price = isMarket ? ZERO : (req.price as Fixed);
    const filtered = checkFilters(inst, isMarket, price, req.quantity);
    if (filtered !== undefined) return filtered;
    if (!isMarket && s.book.count() >= this.maxOpenOrders) return R.tooManyOrders(this.maxOpenOrders);
    if (this.orders.isOpenClientId(req.clientOrderId)) return R.duplicateClientId();

    const mark = this.market.markPrice(req.symbol);
    const last = this.market.lastTrade(req.symbol).price;
    if (isMarket && (mark === ZERO || last === ZERO)) return R.noMarketPrice();
    const terms = this.market.terms(req.symbol);
    if (!isMarket) {
      const band = checkPercentPrice(inst, terms, req.side === 'BUY', price, mark);
      if (band !== undefined) return band;
    }
    const amount = s.position.amount;
    const reduceOnly = req.reduceOnly === true;
    if (reduceOnly && (amount === ZERO || amount > ZERO === (req.side === 'BUY')))
      return R.reduceOnlyRejected(amount === ZERO ? 'no position to reduce' : 'the order would increase the position');
    if (!reduceOnly) {
      const notional = fixed.mul(isMarket ? mark : price, req.quantity, 'floor');
      if (notional < terms.minNotional) return R.notionalTooSmall(terms.minNotional, notional);
    }
    const taker = isMarket || (last > ZERO && (req.side === 'BUY' ? price >= last : price <= last));
    const tif = isMarket ? 'GTC' : (req.timeInForce ?? 'GTC');
    if (tif === 'GTX' && taker) return R.gtxWouldTake();
    if (tif === 'FOK' && !taker) return R.fokCannotFill();
    if (!reduceOnly) {
      const available = this.accountTotals().available;
      // The order's own cost (domain orderMargin: opening part at its price/leverage + open loss, the reducing part
      // free) against what the account has available after the resting orders' reserve.
      // Before the symbol's first trade there is no mark: no open loss is charged (the order price stands in for it).
      const cost = orderMargin(amount, req.side, req.quantity, taker ? last : price, mark > ZERO ? mark : price, s.leverage);
      if (cost > available) return R.marginInsufficient(cost, available);
    }

    const o: FuturesOrder = {
      orderId: this.nextOrderId++,
      clientOrderId: req.clientOrderId,
      symbol: req.symbol,
      side: req.side,
      type: req.type,
      timeInForce: tif,
      price,
      origQty: req.quantity,
      reduceOnly,
      time,
      executedQty: ZERO,
      cumQuote: ZERO,
      status: 'NEW',
      updateTime: time,
    };
    this.orders.add(o);
    const rests = !taker && tif !== 'IOC';
    // A resting order is on the book before its NEW event, whose `b`/`a` include it (the live frame's rule).
    if (rests) s.book.insert(o);
    const events: FuturesEvent[] = [orderEvent(s, o, 'NEW', time, 0)];
    if (taker) {
      // Reduce-only fills at most the position; the rest expires (er 4), as Binance knocks out what would reverse.
      const size = amount < ZERO ? -amount : amount;
      const qty = reduceOnly && o.origQty > size ? size : o.origQty;
      this.fill(s, o, last, qty, TAKER(this.fees.taker), time, events);
      if (isOpen(o)) this.finish(s, o, 'EXPIRED', time, events, 4);
      this.expireStaleReduceOnly(s, time, events);
    } else if (!rests) {
      this.finish(s, o, 'EXPIRED', time, events, 2); // IOC with nothing to take now
    }
    return ok({ order: orderView(o), events });
  }

  cancelOrder(symbol: string, ref: OrderRef, time: number): Result<FuturesPlaced, VenueRejection> {
    const s = this.symbols.get(symbol);
    if (s === undefined) return R.invalidSymbol();
    const o = this.orders.find(ref);
    if (o === undefined || o.symbol !== symbol || !isOpen(o)) return R.unknownOrderOnCancel();
    const events: FuturesEvent[] = [];
    this.finish(s, o, 'CANCELED', time, events, 0);
    return ok({ order: orderView(o), events });
  }

  cancelAllOpenOrders(symbol: string, time: number): Result<readonly FuturesEvent[], VenueRejection> {
    const s = this.symbols.get(symbol);
    if (s === undefined) return R.invalidSymbol();
    const events: FuturesEvent[] = [];
    this.cancelAll(s, time, events);
    return ok(events);
  }

  getOrder(symbol: string, ref: OrderRef): Result<FuturesOrderView, VenueRejection> {
    if (!this.symbols.has(symbol)) return R.invalidSymbol();
    const o = this.orders.find(ref);
    if (o === undefined || o.symbol !== symbol) return R.orderDoesNotExist();
    return ok(orderView(o));
  }

  openOrders(symbol?: string): Result<FuturesOrderView[], VenueRejection> {
    if (symbol !== undefined && !this.symbols.has(symbol)) return R.invalidSymbol();
    const out: FuturesOrderView[] = [];
    for (const o of this.orders.all()) if (isOpen(o) && (symbol === undefined || o.symbol === symbol)) out.push(orderView(o));
    return ok(out);
  }

  allOrders(symbol: string): Result<FuturesOrderView[], VenueRejection> {
    if (!this.symbols.has(symbol)) return R.invalidSymbol();
    const out: FuturesOrderView[] = [];
    for (const o of this.orders.all()) if (o.symbol === symbol) out.push(orderView(o));
    return ok(out);
  }

  userTrades(symbol: string): Result<FuturesTrade[], VenueRejection> {
    if (!this.symbols.has(symbol)) return R.invalidSymbol();
    return ok(this.trades.filter((t) => t.symbol === symbol));
  }

  income(): readonly IncomeRow[] {
    return this.incomeRows;
  }

  /** Each symbol's leverage brackets, the ones every margin figure here uses (GET /fapi/v1/leverageBracket serves them). */
  brackets(): ReadonlyMap<string, SymbolBrackets> {
    const out = new Map<string, SymbolBrackets>();
    for (const [symbol, s] of this.symbols) out.set(symbol, s.brackets);
    return out;
  }

  // ── configuration ─────────────────────────────────────────────────────────────────────────────────────────

  setLeverage(
    symbol: string,
    leverage: number,
    time: number,
  ): Result<{ leverage: number; maxNotionalValue: Fixed; events: readonly FuturesEvent[] }, VenueRejection> {
    const s = this.symbols.get(symbol);
    if (s === undefined) return R.invalidSymbol();
    const max = s.brackets.brackets[0]?.initialLeverage ?? 1;
    if (!Number.isInteger(leverage) || leverage < 1 || leverage > max) return R.invalidLeverage(leverage, max);
    const cap = maxNotionalFor(s.brackets, leverage);
    const amount = s.position.amount;
    if (amount !== ZERO) {
      if (s.marginType === 'ISOLATED' && leverage < s.leverage) return R.isolatedLeverageReduction();
      const notional = positionNotional(amount, this.market.markPrice(symbol));
      if (notional > cap) return R.leverageTooHighForPosition(cap, notional);
    }
    s.leverage = leverage;
    const events: FuturesEvent[] = [{ type: 'leverage', time, symbol, leverage }];
    return ok({ leverage, maxNotionalValue: cap, events });
  }

  setMarginType(symbol: string, marginType: MarginType, time: number): Result<readonly FuturesEvent[], VenueRejection> {
    const s = this.symbols.get(symbol);
    if (s === undefined) return R.invalidSymbol();
    if (s.marginType === marginType) return R.marginTypeUnchanged();
    if (s.book.count() > 0) return R.marginTypeOpenOrders();
    if (s.position.amount !== ZERO) return R.marginTypePosition();
    s.marginType = marginType;
    s.updateTime = time;
    // Flat and without orders nothing moves between wallets, so Binance's stream has nothing to say (no event).
    return ok(NO_EVENTS);
  }

  setDualSidePosition(dual: boolean): Result<void, VenueRejection> {
    return dual ? R.hedgeModeUnsupported() : R.positionSideUnchanged();
  }

  dualSidePosition(): boolean {
    return false;
  }

  symbolConfig(symbol?: string): Result<SymbolConfigView[], VenueRejection> {
    const list = this.select(symbol);
    if (list === undefined) return R.invalidSymbol();
    return ok(
      list.map((s) => ({
        symbol: s.symbol,
        marginType: s.marginType,
        isAutoAddMargin: false as const,
        leverage: s.leverage,
        maxNotionalValue: maxNotionalFor(s.brackets, s.leverage),
      })),
    );
  }

  commissionRate(symbol: string): Result<{ maker: Fixed; taker: Fixed }, VenueRejection> {
    if (!this.symbols.has(symbol)) return R.invalidSymbol();
    return ok({ maker: this.fees.maker, taker: this.fees.taker });
  }

  countdownCancelAll(symbol: string, countdownMs: number, time: number): Result<void, VenueRejection> {
    const s = this.symbols.get(symbol);
    if (s === undefined) return R.invalidSymbol();
    if (!Number.isInteger(countdownMs) || countdownMs < 0) return R.invalidCountdown();
    s.countdownDeadline = countdownMs === 0 ? 0 : time + countdownMs;
    this.refreshDue();
    return ok(undefined);
  }

  // ── queries ───────────────────────────────────────────────────────────────────────────────────────────────

  positions(symbol?: string): Result<PositionView[], VenueRejection> {
    const list = this.select(symbol);
    if (list === undefined) return R.invalidSymbol();
    const cross = this.crossTotals();
    return ok(list.map((s) => this.positionView(s, this.figures(s), cross)));
  }

  account(): FuturesAccountView {
    const t = this.accountTotals();
    const cross = this.crossTotals();
    const positions: PositionView[] = [];
    for (const s of this.symbols.values())
      if (s.position.amount !== ZERO || s.book.count() > 0) positions.push(this.positionView(s, this.figures(s), cross));
    const balance = this.balanceView(t);
    return {
      totalWalletBalance: balance.walletBalance,
      totalUnrealizedProfit: balance.unrealizedProfit,
      totalMarginBalance: balance.marginBalance,
      totalInitialMargin: balance.initialMargin,
      totalMaintMargin: balance.maintMargin,
      totalPositionInitialMargin: balance.positionInitialMargin,
      totalOpenOrderInitialMargin: balance.openOrderInitialMargin,
      totalCrossWalletBalance: balance.crossWalletBalance,
      totalCrossUnPnl: balance.crossUnPnl,
      availableBalance: balance.availableBalance,
      maxWithdrawAmount: balance.maxWithdrawAmount,
      assets: [balance],
      positions,
    };
  }

  balances(): FuturesBalanceView[] {
    return [this.balanceView(this.accountTotals())];
  }

  // ── the tape and the clock ────────────────────────────────────────────────────────────────────────────────

  onTrade(tick: TradeTick): readonly FuturesEvent[] {
    const s = this.symbols.get(tick.symbol);
    if (s === undefined) return NO_EVENTS;
    const book = s.book;
    if (!book.crosses(tick.price) && s.position.amount === ZERO) return NO_EVENTS;
    const events: FuturesEvent[] = [];
    let left = tick.quantity;
    while (left > ZERO && tick.price < book.bestBid) left -= this.fillBest(s, book.bids, left, tick.time, events);
    left = tick.quantity;
    while (left > ZERO && book.bestAsk >= ZERO && tick.price > book.bestAsk) left -= this.fillBest(s, book.asks, left, tick.time, events);
    if (this.openPositions > 0) this.checkRisk(tick.time, events, s);
    return events.length > 0 ? events : NO_EVENTS;
  }

  /**
   * Settles what fell due up to `time`, then, if anything did, checks margin calls and liquidations (funding can drain
   * a position without a trade). Marks move only with trades, and each trade checks its own symbol's risk (onTrade),
   * so a clock tick with nothing due costs one comparison and allocates nothing, positions open or not.
   */
  advance(time: number): readonly FuturesEvent[] {
    if (time < this.nextDue) return NO_EVENTS;
    const events: FuturesEvent[] = [];
    while (this.nextDue <= time) {
      const at = this.nextDue;
      for (const s of this.symbols.values()) {
        if (s.nextFunding === at) this.settleFunding(s, at, events);
        if (s.countdownDeadline !== 0 && s.countdownDeadline <= at) {
          s.countdownDeadline = 0;
          this.cancelAll(s, at, events);
        }
      }
      this.refreshDue();
    }
    if (this.openPositions > 0) this.checkRisk(time, events);
    return events.length > 0 ? events : NO_EVENTS;
  }

  // ── persistence ───────────────────────────────────────────────────────────────────────────────────────────

  /** The whole account as plain data (futures-snapshot.ts encodes it to JSON-safe strings). */
  state(): FuturesState {
    return {
      crossWallet: this.crossWallet,
      crossMarginCalled: this.crossMarginCalled,
      nextOrderId: this.nextOrderId,
      nextTradeId: this.nextTradeId,
      nextTranId: this.nextTranId,
      symbols: [...this.symbols.values()].map((s) => ({
        symbol: s.symbol,
        leverage: s.leverage,
        marginType: s.marginType,
        position: s.position,
        isolatedWallet: s.isolatedWallet,
        accumulatedRealized: s.accumulatedRealized,
        updateTime: s.updateTime,
        marginCalled: s.marginCalled,
        countdownDeadline: s.countdownDeadline,
        nextFunding: s.nextFunding,
      })),
      orders: [...this.orders.all()].map((o) => ({ ...o })),
      trades: this.trades,
      income: this.incomeRows,
    };
  }

  private restore(st: FuturesState): void {
    this.crossWallet = st.crossWallet;
    this.crossMarginCalled = st.crossMarginCalled;
    this.nextOrderId = st.nextOrderId;
    this.nextTradeId = st.nextTradeId;
    this.nextTranId = st.nextTranId;
    for (const saved of st.symbols) {
      const s = this.symbols.get(saved.symbol);
      if (s === undefined) continue; // a symbol no longer served: its state is dropped with it
      Object.assign(s, { ...saved, symbol: s.symbol });
      if (s.position.amount !== ZERO) this.openPositions++;
    }
    for (const saved of st.orders) {
      const s = this.symbols.get(saved.symbol);
      if (s === undefined) continue;
      const o: FuturesOrder = { ...saved };
      this.orders.add(o);
      if (isOpen(o)) s.book.insert(o);
    }
    this.trades = [...st.trades];
    this.incomeRows = [...st.income];
  }

  // ── matching and booking ──────────────────────────────────────────────────────────────────────────────────

  /** Fills the best order of one side from up to `available` of a trade; returns the quantity used. */
  private fillBest(s: SymbolState, side: FuturesOrder[], available: Fixed, time: number, events: FuturesEvent[]): Fixed {
    const o = side[side.length - 1] as FuturesOrder;
    let qty = o.origQty - o.executedQty;
    if (o.reduceOnly) {
      const amount = s.position.amount;
      const size = amount < ZERO ? -amount : amount;
      if (size === ZERO || amount > ZERO === (o.side === 'BUY')) {
        this.finish(s, o, 'EXPIRED', time, events, 4);
        return ZERO;
      }
      if (qty > size) qty = size;
    }
    if (qty > available) qty = available;
    this.fill(s, o, o.price, qty, MAKER(this.fees.maker), time, events);
    if (o.status === 'FILLED') {
      side.pop();
      s.book.refresh();
    }
    this.expireStaleReduceOnly(s, time, events);
    return qty;
  }

  /**
   * Books one fill: position (domain applyFill), wallets, the order, a userTrades row, income rows, then the events in
   * the live capture's order (PROTOCOLS-FUTURES B.3): ACCOUNT_UPDATE (ORDER) before ORDER_TRADE_UPDATE.
   */
  private fill(s: SymbolState, o: FuturesOrder, price: Fixed, qty: Fixed, kind: FillKind, time: number, events: FuturesEvent[]): void {
    const before = s.position;
    const size = before.amount < ZERO ? -before.amount : before.amount;
    // Commission = price·qty·rate in USDT, half-even to 8 places once from the exact product (README "Fees").
    let fee = fixed.divRound(price * qty * kind.feeRate, SCALE * SCALE, 'halfEven');
    const result = applyFill(before, o.side, qty, price, fee);
    const isolated = s.marginType === 'ISOLATED';
    if (kind.liquidation) {
      // The clearance fee takes at most what the closed position's margin still holds, never a debt (README).
      const left = (isolated ? s.isolatedWallet : this.crossWallet) + result.realizedPnl;
      const cap = left > ZERO ? left : ZERO;
      if (fee > cap) fee = cap;
    }
    const opened = qty - result.closed;
    const openingFee = opened === ZERO ? ZERO : fixed.divRound(fee * opened, qty, 'halfEven');
    if (isolated) {
      if (result.closed > ZERO) {
        // Reducing releases the closed share of the isolated wallet (all of it when flat) back to the cross wallet.
        const release = result.closed === size ? s.isolatedWallet : fixed.divRound(s.isolatedWallet * result.closed, size, 'floor');
        s.isolatedWallet -= release;
        this.crossWallet += release;
      }
      if (opened > ZERO) {
        // Opening moves the opened part's initial margin at the fill price into the position's wallet; its fee is paid
        // from there (UNVERIFIED on Binance, chosen: the liquidation price then counts the fee already paid).
        const margin = initialMargin(opened, price, s.leverage);
        this.crossWallet -= margin;
        s.isolatedWallet += margin - openingFee;
      }
      this.crossWallet += result.realizedPnl - (fee - openingFee);
    } else {
      this.crossWallet += result.realizedPnl - fee;
    }
    const wasOpen = before.amount !== ZERO;
    s.position = result.position;
    const isOpenNow = s.position.amount !== ZERO;
    if (wasOpen !== isOpenNow) this.openPositions += isOpenNow ? 1 : -1;
    s.accumulatedRealized += result.realizedPnl;
    s.updateTime = time;

    o.executedQty += qty;
    o.cumQuote += fixed.divRound(price * qty, SCALE, 'halfEven');
    o.status = o.executedQty === o.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
    o.updateTime = time;
    if (o.status === 'FILLED') this.orders.close(o);

    const tradeId = this.nextTradeId++;
    const f: FuturesFill = {
      tradeId,
      price,
      quantity: qty,
      commission: fee,
      commissionAsset: MARGIN_ASSET,
      realizedPnl: result.realizedPnl,
      isMaker: kind.isMaker,
    };
    this.remember(this.trades, { ...f, symbol: s.symbol, orderId: o.orderId, side: o.side, positionSide: 'BOTH', time });
    if (result.realizedPnl !== ZERO) this.addIncome(s.symbol, 'REALIZED_PNL', result.realizedPnl, time, tradeId);
    if (fee !== ZERO) this.addIncome(s.symbol, kind.liquidation ? 'INSURANCE_CLEAR' : 'COMMISSION', -fee, time, tradeId);

    events.push(this.accountEvent('ORDER', time, ZERO, [this.positionView(s, this.figures(s), this.crossTotals())]));
    events.push(orderEvent(s, o, kind.execution, time, 0, f));
  }

  /** An order ends without (more) fills: off the book, recorded, and told. */
  private finish(
    s: SymbolState,
    o: FuturesOrder,
    status: 'CANCELED' | 'EXPIRED',
    time: number,
    events: FuturesEvent[],
    expireReason: number,
  ): void {
    s.book.remove(o);
    o.status = status;
    o.updateTime = time;
    this.orders.close(o);
    events.push(orderEvent(s, o, status, time, expireReason));
  }

  private cancelAll(s: SymbolState, time: number, events: FuturesEvent[]): void {
    for (const o of s.book.orders()) this.finish(s, o, 'CANCELED', time, events, 0);
  }

  /** Resting reduce-only orders that would now open or increase the position expire (er 4), as Binance's do. */
  private expireStaleReduceOnly(s: SymbolState, time: number, events: FuturesEvent[]): void {
    const amount = s.position.amount;
    const stale = amount === ZERO ? s.book.orders() : amount > ZERO ? s.book.bids : s.book.asks;
    for (const o of [...stale]) if (o.reduceOnly) this.finish(s, o, 'EXPIRED', time, events, 4);
  }

  // ── funding, margin calls, liquidation ────────────────────────────────────────────────────────────────────

  /**
   * One settlement at `at`: every open position of the symbol pays or receives the domain's fundingWalletChange at the
   * mark current now, with the rate FuturesMarket's source gives for `at` (none settled where a series has no row).
   */
  private settleFunding(s: SymbolState, at: number, events: FuturesEvent[]): void {
    const amount = s.position.amount;
    s.nextFunding = nextFundingTime(at, this.market.intervalHoursAt(s.symbol, at));
    if (amount === ZERO) return;
    const rate = this.market.fundingRateAt(s.symbol, at);
    if (rate === undefined) return;
    const change = fundingWalletChange(amount, this.market.markPrice(s.symbol), rate);
    if (change === ZERO) return;
    const isolated = s.marginType === 'ISOLATED';
    if (isolated) s.isolatedWallet += change;
    else this.crossWallet += change;
    s.updateTime = at;
    this.addIncome(s.symbol, 'FUNDING_FEE', change, at);
    // A cross settlement carries balances only (P: []), an isolated one that position (PROTOCOLS-FUTURES B.3).
    const positions = isolated ? [this.positionView(s, this.figures(s), this.crossTotals())] : [];
    events.push(this.accountEvent('FUNDING_FEE', at, change, positions));
  }

  /**
   * Margin calls and liquidations at the current marks: isolated positions one by one (only `only` after its trade),
   * and the cross account as a whole when it holds a position (and `only`, if given, is cross).
   */
  private checkRisk(time: number, events: FuturesEvent[], only?: SymbolState): void {
    if (only !== undefined) {
      if (only.marginType === 'ISOLATED') {
        if (only.position.amount !== ZERO) this.checkIsolated(only, time, events);
        return;
      }
    } else {
      for (const s of this.symbols.values())
        if (s.marginType === 'ISOLATED' && s.position.amount !== ZERO) this.checkIsolated(s, time, events);
    }
    // Only what the check needs (uPnL and maintenance), not the order margins: this runs on every trade with a position.
    let unrealized = ZERO;
    let maintenance = ZERO;
    let positions = 0;
    for (const s of this.symbols.values()) {
      const amount = s.position.amount;
      if (amount === ZERO || s.marginType !== 'CROSSED') continue;
      const mark = this.market.markPrice(s.symbol);
      unrealized += unrealizedPnl(amount, s.position.entryPrice, mark);
      maintenance += maintenanceMargin(amount, mark, s.brackets).margin;
      positions++;
    }
    if (positions === 0) return;
    const balance = this.crossWallet + unrealized;
    const liquidatable = isLiquidatable(balance, maintenance);
    const reached = liquidatable || this.ratioReached(maintenance, balance);
    // A drop straight through the liquidation price still tells the margin call first (README "Liquidation").
    if (reached && !this.crossMarginCalled) {
      const cross = this.crossTotals();
      const views: PositionView[] = [];
      for (const s of this.symbols.values())
        if (s.marginType === 'CROSSED' && s.position.amount !== ZERO) views.push(this.positionView(s, this.figures(s), cross));
      events.push({ type: 'marginCall', time, crossWalletBalance: this.crossWallet, positions: views });
    }
    this.crossMarginCalled = reached && !liquidatable;
    if (liquidatable) this.liquidateCross(time, events, positions > 1);
  }

  /**
   * Closes cross positions one at a time, the largest maintenance margin first, each at its liquidation price taken
   * from the account as it stands just before that close, until the account is no longer liquidatable: each close
   * brings the margin balance to the remaining maintenance (less the clearance fee), so the rest is judged afresh.
   */
  private liquidateCross(time: number, events: FuturesEvent[], several: boolean): void {
    for (;;) {
      let victim: SymbolState | undefined;
      let largest = -1n;
      let unrealized = ZERO;
      let maintenance = ZERO;
      for (const s of this.symbols.values()) {
        const amount = s.position.amount;
        if (amount === ZERO || s.marginType !== 'CROSSED') continue;
        const mark = this.market.markPrice(s.symbol);
        const mm = maintenanceMargin(amount, mark, s.brackets).margin;
        unrealized += unrealizedPnl(amount, s.position.entryPrice, mark);
        maintenance += mm;
        if (mm > largest) {
          largest = mm;
          victim = s;
        }
      }
      if (victim === undefined || !isLiquidatable(this.crossWallet + unrealized, maintenance)) return;
      this.liquidate(victim, time, events, several);
    }
  }

  private checkIsolated(s: SymbolState, time: number, events: FuturesEvent[]): void {
    const amount = s.position.amount;
    const mark = this.market.markPrice(s.symbol);
    const balance = s.isolatedWallet + unrealizedPnl(amount, s.position.entryPrice, mark);
    const maintenance = maintenanceMargin(amount, mark, s.brackets).margin;
    const liquidatable = isLiquidatable(balance, maintenance);
    const reached = liquidatable || this.ratioReached(maintenance, balance);
    if (reached && !s.marginCalled)
      events.push({
        type: 'marginCall',
        time,
        crossWalletBalance: this.crossWallet,
        positions: [this.positionView(s, this.figures(s), this.crossTotals())],
      });
    s.marginCalled = reached && !liquidatable;
    if (liquidatable) this.liquidate(s, time, events, false);
  }

  /** Margin ratio = maintenance/margin balance ≥ the threshold (always, once the balance is gone). */
  private ratioReached(maintenance: Fixed, balance: Fixed): boolean {
    return balance <= ZERO || maintenance * SCALE >= this.marginCallRatio * balance;
  }

  /**
   * Liquidates one position: its liquidation price is taken from the domain before anything moves, then the symbol's
   * open orders are canceled and the whole position closed by a LIQUIDATION order (`autoclose-<time>`) at that price,
   * reported CALCULATED, with the clearance fee. No positive root (the formula's "--") closes at the mark.
   */
  private liquidate(s: SymbolState, time: number, events: FuturesEvent[], several: boolean): void {
    const price = liquidationPriceOf(s, this.figures(s), this.crossWallet, this.crossTotals()) ?? this.market.markPrice(s.symbol);
    this.cancelAll(s, time, events);
    const amount = s.position.amount;
    const o: FuturesOrder = {
      orderId: this.nextOrderId++,
      // Client ids are looked up account-wide: several positions closed at one instant each get their own.
      clientOrderId: several ? `autoclose-${time}-${s.symbol}` : `autoclose-${time}`,
      symbol: s.symbol,
      side: amount > ZERO ? 'SELL' : 'BUY',
      type: 'LIQUIDATION',
      timeInForce: 'IOC',
      price,
      origQty: amount > ZERO ? amount : -amount,
      reduceOnly: true,
      time,
      executedQty: ZERO,
      cumQuote: ZERO,
      status: 'NEW',
      updateTime: time,
    };
    this.orders.add(o);
    this.fill(s, o, price, o.origQty, LIQUIDATION(this.liquidationFeeRate), time, events);
  }

  // ── figures and views ─────────────────────────────────────────────────────────────────────────────────────

  private figures(s: SymbolState): PositionFigures {
    return positionFigures(s, this.market.markPrice(s.symbol), this.openOrderMarginRule);
  }

  private crossTotals(): CrossTotals {
    return crossTotals(this.symbols.values(), this.figuresOf);
  }

  private accountTotals(): AccountTotals {
    return accountTotals([...this.symbols.values()], this.crossWallet, this.figuresOf);
  }

  private balanceView(t: AccountTotals): FuturesBalanceView {
    return balanceView(this.crossWallet, t, this.lastUpdate());
  }

  private positionView(s: SymbolState, f: PositionFigures, cross: CrossTotals): PositionView {
    return positionView(s, f, this.crossWallet, cross);
  }

  private readonly figuresOf = (s: SymbolState): PositionFigures => this.figures(s);

  private accountEvent(
    reason: 'ORDER' | 'FUNDING_FEE',
    time: number,
    balanceChange: Fixed,
    positions: readonly PositionView[],
  ): FuturesEvent {
    const walletBalance = this.crossWallet + this.isolatedWallets();
    return {
      type: 'account',
      time,
      reason,
      balances: [{ asset: MARGIN_ASSET, walletBalance, crossWalletBalance: this.crossWallet, balanceChange }],
      positions,
    };
  }

  private isolatedWallets(): Fixed {
    let sum = ZERO;
    for (const s of this.symbols.values()) if (s.marginType === 'ISOLATED') sum += s.isolatedWallet;
    return sum;
  }

  private lastUpdate(): number {
    let t = 0;
    for (const s of this.symbols.values()) if (s.updateTime > t) t = s.updateTime;
    return t;
  }

  private addIncome(symbol: string, incomeType: IncomeType, income: Fixed, time: number, tradeId?: number): void {
    const tranId = this.nextTranId++;
    // Binance's `info` is the trade id for trade rows and the type's name otherwise (its docs' TRANSFER example).
    const row = {
      symbol,
      incomeType,
      income,
      asset: MARGIN_ASSET,
      info: tradeId === undefined ? incomeType : String(tradeId),
      time,
      tranId,
    };
    this.remember(this.incomeRows, tradeId === undefined ? row : { ...row, tradeId });
  }

  private remember<T>(list: T[], row: T): void {
    list.push(row);
    if (list.length > this.historyLimit) list.splice(0, list.length - this.historyLimit);
  }

  private select(symbol?: string): SymbolState[] | undefined {
    if (symbol === undefined) return [...this.symbols.values()];
    const s = this.symbols.get(symbol);
    return s === undefined ? undefined : [s];
  }

  private refreshDue(): void {
    let due = Number.POSITIVE_INFINITY;
    for (const s of this.symbols.values()) {
      if (s.nextFunding < due) due = s.nextFunding;
      if (s.countdownDeadline !== 0 && s.countdownDeadline < due) due = s.countdownDeadline;
    }
    this.nextDue = due;
  }
}

const MAKER = (feeRate: Fixed): FillKind => ({ isMaker: true, execution: 'TRADE', feeRate, liquidation: false });
const TAKER = (feeRate: Fixed): FillKind => ({ isMaker: false, execution: 'TRADE', feeRate, liquidation: false });
const LIQUIDATION = (feeRate: Fixed): FillKind => ({ isMaker: false, execution: 'CALCULATED', feeRate, liquidation: true });
