import type { Fixed, Instrument, Result, TradeTick } from '../../domain/index.js';
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
import { FuturesMarket, type FuturesMarketOptions } from '../futures/index.js';
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
  /** USD-M over the same tape: the funding-rate source (default a constant 0.0001, or series per symbol) and contract terms. */
  readonly futures?: FuturesMarketOptions;
}

/** The account's whole state as JSON-safe plain data: the matching core plus the REST layer's fills and order facts. */
export interface SandboxHubSnapshot {
  readonly matching: MatchingSnapshot;
  readonly history: TradeHistorySnapshot;
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
  private readonly tradeListeners = new Set<Listener<TradeTick>>();
  private readonly venueListeners = new Set<Listener<VenueEvent>>();

  constructor(options: SandboxHubOptions, restored?: { readonly engine: MatchingEngine; readonly history: TradeHistory }) {
    this.fees = options.fees ?? DEFAULT_FEES;
    this.engine =
      restored?.engine ?? new MatchingEngine({ instruments: options.instruments, startingBalances: options.balances, fees: this.fees });
    this.history = restored?.history ?? new TradeHistory();
    this.account = options.account;
    this.now = options.now;
    this.venueListeners.add(this.history.onVenueEvent);
    this.futuresMarket = new FuturesMarket(this.engine.instruments(), this, options.futures);
  }

  /** A hub that continues a saved account; the options' instruments and fees apply, their balances do not. */
  static fromSnapshot(options: SandboxHubOptions, snap: SandboxHubSnapshot): Result<SandboxHub> {
    const fees = options.fees ?? DEFAULT_FEES;
    const engine = MatchingEngine.fromSnapshot({ instruments: options.instruments, fees }, snap.matching);
    if (!engine.ok) return engine;
    const history = TradeHistory.fromSnapshot(snap.history);
    if (!history.ok) return history;
    return { ok: true, value: new SandboxHub(options, { engine: engine.value, history: history.value }) };
  }

  /** The account's whole state, for a store to persist. */
  snapshot(): SandboxHubSnapshot {
    return { matching: this.engine.snapshot(), history: this.history.snapshot() };
  }

  /** One trade on the tape: matched against resting orders, then announced to market streams. */
  trade(tick: TradeTick): void {
    this.announce(this.engine.onTrade(tick));
    this.futuresMarket.onTrade(tick);
    for (const l of this.tradeListeners) l(tick);
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
}
