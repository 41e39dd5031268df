import type { Fixed, Instrument, Result, TradeTick } from '../../domain/index.js';
import { type Canceled, DEFAULT_FEES, type FeeRates, MatchingEngine, type NewOrder, type OrderRef, type Placed, type VenueEvent, type VenueRejection } from '../matching/index.js';

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
  private readonly tradeListeners = new Set<Listener<TradeTick>>();
  private readonly venueListeners = new Set<Listener<VenueEvent>>();

  constructor(options: SandboxHubOptions) {
    this.fees = options.fees ?? DEFAULT_FEES;
    this.engine = new MatchingEngine({ instruments: options.instruments, startingBalances: options.balances, fees: this.fees });
    this.account = options.account;
    this.now = options.now;
  }

  /** One trade on the tape: matched against resting orders, then announced to market streams. */
  trade(tick: TradeTick): void {
    this.announce(this.engine.onTrade(tick));
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
