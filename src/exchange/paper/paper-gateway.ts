import type { Balance, ExecutionReport, Fixed, Instrument, Result, TradeTick } from '../../domain/index.js';
import { ok } from '../../domain/index.js';
import { type FeeRates, MatchingEngine, type MatchingSnapshot, type VenueEvent, type VenueRejection } from '../../sandbox/index.js';
import type { ExchangeGateway, GatewayFailure, PlaceOrderRequest, VenueListener } from '../gateway.js';

export interface PaperGatewayOptions {
  readonly instruments: readonly Instrument[];
  /** Default 10,000 USDT. */
  readonly startingBalances?: Readonly<Record<string, Fixed>>;
  /** Default 0.1 % maker and taker. */
  readonly fees?: FeeRates;
  /** Any clock (the engine's Clock fits); taken structurally because exchange/ does not import engine/. */
  readonly clock: { now(): number };
  /** Resume a persisted paper account instead of starting fresh. */
  readonly snapshot?: MatchingSnapshot;
}

/**
 * The in-process paper venue: the sandbox's matching core behind the ExchangeGateway port. Every call settles at once,
 * and listeners hear each executionReport synchronously, as it happens, before the call resolves; balance snapshots
 * follow once the current synchronous work is done, in the order a network venue's would arrive.
 */
export class PaperGateway implements ExchangeGateway {
  readonly name = 'the in-process paper venue';
  private readonly engine: MatchingEngine;
  private readonly clock: { now(): number };
  private listeners: readonly VenueListener[] = [];

  constructor(options: PaperGatewayOptions) {
    this.clock = options.clock;
    const config = {
      instruments: options.instruments,
      startingBalances: options.startingBalances,
      fees: options.fees,
      // `orderTrades`: each order keeps its own trade reports, and they go when the venue forgets it (a restored
      // snapshot's orders have none). Nothing is kept by key beside it, so a fill or a placement costs no lookup here.
      keepTrades: true,
    };
    if (options.snapshot) {
      const restored = MatchingEngine.fromSnapshot(config, options.snapshot);
      // A snapshot this process cannot read is a deployment fault, not a trading outcome.
      if (!restored.ok) throw new Error(`paper account snapshot unusable: ${restored.error.message}`);
      this.engine = restored.value;
    } else {
      this.engine = new MatchingEngine(config);
    }
  }

  /** Feeds one trade of the tape; the app calls it for every TradeTicked. Allocation-free when nothing crosses. */
  onTrade(tick: TradeTick): void {
    const events = this.engine.onTrade(tick);
    if (events.length > 0) this.emit(events);
  }

  async instruments(): Promise<Result<readonly Instrument[], GatewayFailure>> {
    return ok(this.engine.instruments());
  }

  /**
   * Not `async`: every order passes here, and an async function costs a frame object of its own per call. What it did
   * is kept: the answer comes as an already settled promise, and a throw as a rejected one, never thrown to the caller.
   */
  placeOrder(request: PlaceOrderRequest): Promise<Result<ExecutionReport, GatewayFailure>> {
    try {
      const r = this.engine.placeOrder(request, this.clock.now());
      if (!r.ok) return Promise.resolve(rejected(r.error));
      this.emit(r.value.events);
      return Promise.resolve(ok(r.value.report));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<Result<ExecutionReport, GatewayFailure>> {
    const r = this.engine.cancelOrder(symbol, { clientOrderId }, this.clock.now());
    if (!r.ok) return rejected(r.error);
    this.emit(r.value.events);
    return ok(r.value.report);
  }

  async cancelAll(symbol: string): Promise<Result<readonly ExecutionReport[], GatewayFailure>> {
    const open = this.engine.openOrders(symbol);
    if (!open.ok) return rejected(open.error);
    const time = this.clock.now();
    const canceled: ExecutionReport[] = [];
    // Oldest first, as Binance cancels them. Every order listed was just open and nothing runs in between.
    for (const o of open.value) {
      const r = this.engine.cancelOrder(symbol, { clientOrderId: o.clientOrderId }, time);
      if (!r.ok) throw new Error(`paper venue could not cancel its own open order ${o.clientOrderId}: ${r.error.message}`);
      this.emit(r.value.events);
      canceled.push(r.value.report);
    }
    return ok(canceled);
  }

  async getOrder(symbol: string, clientOrderId: string): Promise<Result<ExecutionReport | undefined, GatewayFailure>> {
    const r = this.engine.getOrder(symbol, { clientOrderId });
    if (r.ok) return r;
    // The port says "no such order" with undefined; Binance says it with -2013.
    return r.error.binanceCode === -2013 ? ok(undefined) : rejected(r.error);
  }

  async openOrders(symbol?: string): Promise<Result<readonly ExecutionReport[], GatewayFailure>> {
    const r = this.engine.openOrders(symbol);
    return r.ok ? r : rejected(r.error);
  }

  async orderTrades(symbol: string, clientOrderId: string): Promise<Result<readonly ExecutionReport[], GatewayFailure>> {
    // A client order id may be reused once its order has ended: the order it names now has its own trades.
    const known = this.engine.orderTrades(symbol, { clientOrderId });
    if (!known.ok) return known.error.binanceCode === -2013 ? ok([]) : rejected(known.error);
    return ok([...known.value]);
  }

  async balances(): Promise<Result<readonly Balance[], GatewayFailure>> {
    return ok(this.engine.balances());
  }

  subscribe(listener: VenueListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** The last trade price the venue has seen for a symbol. */
  lastPrice(symbol: string): Fixed | undefined {
    return this.engine.lastPrice(symbol);
  }

  /** The paper account's state as JSON-safe data, for persistence. */
  snapshot(): MatchingSnapshot {
    return this.engine.snapshot();
  }

  private emit(events: readonly VenueEvent[]): void {
    // A listener that unsubscribes mid-delivery must not disturb this delivery: iterate the list as it was.
    const listeners = this.listeners;
    for (const e of events) {
      for (const l of listeners) {
        switch (e.type) {
          case 'execution':
            l.onExecution(e.report);
            break;
          case 'balances':
            // A network venue's balance snapshot lands after the bot has handled the execution report before it;
            // delivering it after the current synchronous work keeps that order here too.
            soonBalances(l, e.balances, e.time);
            break;
          default: {
            const never: never = e;
            throw new Error(`unhandled venue event ${JSON.stringify(never)}`);
          }
        }
      }
    }
  }
}

const RESOLVED = Promise.resolve();

/**
 * queueMicrotask's place in the one microtask FIFO, without the AsyncResource Node builds for each call (two balance
 * snapshots per fill), and one closure per call (not one for the caller and one here); a throw still surfaces as an
 * uncaught exception, as it would from queueMicrotask.
 */
function soonBalances(l: VenueListener, balances: readonly Balance[], time: number): void {
  void RESOLVED.then(() => {
    try {
      l.onBalances(balances, time);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  });
}

function rejected(e: VenueRejection): { readonly ok: false; readonly error: GatewayFailure } {
  // A duplicate open client id means an order under that id is live already (as the Binance adapter also says): an
  // outcome to settle by asking, not a refusal to forget.
  const kind = e.binanceCode === -2010 && e.message === 'Duplicate order sent.' ? 'unknown' : 'rejected';
  return { ok: false, error: { kind, code: e.code, message: e.message } };
}
