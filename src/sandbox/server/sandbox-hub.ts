import type { Fixed, Instrument, Result, SymbolBrackets, TradeTick } from '../../domain/index.js';
import {
  type Canceled,
  DEFAULT_FEES,
  type FeeRates,
  MatchingEngine,
  type MatchingSnapshot,
  type NewOrder,
  type OrderRef,
  type Placed,
  type VenueEvent,
  type VenueRejection,
} from '../matching/index.js';
import {
  AnnouncedFuturesVenue,
  FuturesEngine,
  type FuturesEngineOptions,
  type FuturesEvent,
  FuturesMarket,
  type FuturesMarketOptions,
  type FuturesSnapshot,
  type FuturesVenue,
  decodeFuturesSnapshot,
  encodeFuturesState,
} from '../futures/index.js';
import { TradeHistory, type TradeHistorySnapshot } from './rest/trade-history.js';

export interface SandboxAccount {
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface SandboxHubOptions {
  readonly instruments: readonly Instrument[];
  readonly balances?: Readonly<Record<string, Fixed>>;
  readonly fees?: FeeRates;
  readonly account: SandboxAccount;
  /** Server time, ms; injected so tests control timestamps and recvWindow checks. */
  readonly now: () => number;
  /** How many finished orders and how many fills the spot account keeps queryable (each, oldest forgotten first); default 10,000. */
  readonly historyLimit?: number;
  /** USD-M over the same tape: the funding-rate source (default a constant 0.0001, or series per symbol) and contract terms. */
  readonly futures?: FuturesMarketOptions;
  /** The USD-M account: starting wallet, fees, liquidation fee, margin-call ratio, leverage brackets (futures README). */
  readonly futuresAccount?: FuturesEngineOptions;
}

/** The account's whole state as JSON-safe plain data: the matching core plus the REST layer's fills and order facts. */
export interface SandboxHubSnapshot {
  readonly matching: MatchingSnapshot;
  readonly history: TradeHistorySnapshot;
  /** The USD-M account; absent in documents saved before futures existed, which restore to a fresh futures account. */
  readonly futures?: FuturesSnapshot;
}

type Listener<T> = (value: T) => void;

/**
 * The sandbox exchange's one account and its tape, shared by the REST server, the market streams and the WebSocket
 * API: every order action and every trade goes through here, and whatever the matching engine reports is announced to
 * the user data stream's subscribers. Market streams hear each trade after the engine has matched it.
 */
export class SandboxHub {
  readonly engine: MatchingEngine;
  readonly account: SandboxAccount;
  readonly fees: FeeRates;
  readonly now: () => number;
  /** Fills and order facts myTrades and the order endpoints report; kept here so they persist with the account. */
  readonly history: TradeHistory;
  /**
   * USD-M marks, funding and contract terms over the same tape. Marks start from the trades heard from now on: a
   * restored account's mark is rebuilt from the tape, as Binance's mark is the market's, not the account's.
   */
  readonly futuresMarket: FuturesMarket;
  /** The USD-M account's engine; the wire layers use `futures`, which announces. */
  readonly futuresEngine: FuturesEngine;
  /** The USD-M account as REST and the user data stream use it: every command announces its events before returning. */
  readonly futures: FuturesVenue;
  /** What GET /fapi/v1/leverageBracket answers: the tiers the engine was built with (the same function over the same option). */
  readonly futuresBrackets: ReadonlyMap<string, SymbolBrackets>;
  private readonly futuresListeners = new Set<Listener<FuturesEvent>>();
  private readonly futuresChangeListeners = new Set<() => void>();
  private readonly tradeListeners = new Set<Listener<TradeTick>>();
  private readonly venueListeners = new Set<Listener<VenueEvent>>();

  constructor(
    options: SandboxHubOptions,
    restored?: { readonly engine: MatchingEngine; readonly history: TradeHistory; readonly futures?: FuturesSnapshot },
  ) {
    this.fees = options.fees ?? DEFAULT_FEES;
    this.engine =
      restored?.engine ??
      new MatchingEngine({
        instruments: options.instruments,
        startingBalances: options.balances,
        fees: this.fees,
        ...(options.historyLimit !== undefined ? { recentOrderLimit: options.historyLimit } : {}),
      });
    this.history = restored?.history ?? new TradeHistory(options.historyLimit);
    this.account = options.account;
    this.now = options.now;
    this.venueListeners.add(this.history.onVenueEvent);
    this.futuresMarket = new FuturesMarket(this.engine.instruments(), this, options.futures);
    const saved = restored?.futures === undefined ? undefined : decodeFuturesSnapshot(restored.futures);
    if (saved !== undefined && !saved.ok) throw new Error(saved.error.message); // fromSnapshot decodes first
    this.futuresEngine = new FuturesEngine(
      this.engine.instruments(),
      this.futuresMarket,
      options.futuresAccount ?? {},
      this.now(),
      saved?.value,
    );
    this.futuresBrackets = this.futuresEngine.brackets();
    this.futures = new AnnouncedFuturesVenue(
      this.futuresEngine,
      () => this.advanceFutures(),
      this.announceFutures,
      () => {
        for (const l of this.futuresChangeListeners) l();
      },
    );
  }

  /** A hub that continues a saved account; the options' instruments and fees apply, their balances do not. */
  static fromSnapshot(options: SandboxHubOptions, snap: SandboxHubSnapshot): Result<SandboxHub> {
    const fees = options.fees ?? DEFAULT_FEES;
    const limit = options.historyLimit;
    const engine = MatchingEngine.fromSnapshot(
      { instruments: options.instruments, fees, ...(limit !== undefined ? { recentOrderLimit: limit } : {}) },
      snap.matching,
    );
    if (!engine.ok) return engine;
    // The orders the restored core still knows: the facts of others (forgotten under a smaller limit) go with them.
    const restoredSnap = engine.value.snapshot();
    const known = { open: restoredSnap.openOrders.map((o) => o.orderId), finished: restoredSnap.recentOrders.map((o) => o.orderId) };
    const history = TradeHistory.fromSnapshot(snap.history, known, limit);
    if (!history.ok) return history;
    if (snap.futures !== undefined) {
      const futures = decodeFuturesSnapshot(snap.futures);
      if (!futures.ok) return futures;
    }
    const restored = { engine: engine.value, history: history.value, ...(snap.futures === undefined ? {} : { futures: snap.futures }) };
    return { ok: true, value: new SandboxHub(options, restored) };
  }

  /** The account's whole state, for a store to persist. */
  snapshot(): SandboxHubSnapshot {
    return { matching: this.engine.snapshot(), history: this.history.snapshot(), futures: encodeFuturesState(this.futuresEngine.state()) };
  }

  /**
   * One trade on the tape: matched against spot's resting orders; the futures account first catches up with the clock
   * (funding settled at the mark before this trade, the last one at or before the settlement), then the mark moves and
   * the futures account matches the trade at the new mark; market streams hear it last.
   */
  trade(tick: TradeTick): void {
    this.announce(this.engine.onTrade(tick));
    this.advanceFutures();
    this.futuresMarket.onTrade(tick);
    this.announceFutures(this.futuresEngine.onTrade(tick));
    for (const l of this.tradeListeners) l(tick);
  }

  /** Brings the futures account to the hub's clock: funding settlements, countdown cancels and liquidations due. */
  advanceFutures(): void {
    this.announceFutures(this.futuresEngine.advance(this.now()));
  }

  /** Every futures command that changed the account, with or without events (what a store must save). */
  onFuturesChange(listener: () => void): () => void {
    this.futuresChangeListeners.add(listener);
    return () => this.futuresChangeListeners.delete(listener);
  }

  /** ORDER_TRADE_UPDATE, ACCOUNT_UPDATE, MARGIN_CALL and ACCOUNT_CONFIG_UPDATE facts, in the order they happened. */
  onFuturesEvent(listener: Listener<FuturesEvent>): () => void {
    this.futuresListeners.add(listener);
    return () => this.futuresListeners.delete(listener);
  }

  placeOrder(order: NewOrder): Result<Placed, VenueRejection> {
    const res = this.engine.placeOrder(order, this.now());
    if (res.ok) this.announce(res.value.events);
    return res;
  }

  cancelOrder(symbol: string, ref: OrderRef): Result<Canceled, VenueRejection> {
    const res = this.engine.cancelOrder(symbol, ref, this.now());
    if (res.ok) this.announce(res.value.events);
    return res;
  }

  onTrade(listener: Listener<TradeTick>): () => void {
    this.tradeListeners.add(listener);
    return () => this.tradeListeners.delete(listener);
  }

  /** Execution reports and balance snapshots, in the order the engine produced them. */
  onVenueEvent(listener: Listener<VenueEvent>): () => void {
    this.venueListeners.add(listener);
    return () => this.venueListeners.delete(listener);
  }

  private announce(events: readonly VenueEvent[]): void {
    for (const e of events) for (const l of this.venueListeners) l(e);
  }

  private readonly announceFutures = (events: readonly FuturesEvent[]): void => {
    for (const e of events) for (const l of this.futuresListeners) l(e);
  };
}
