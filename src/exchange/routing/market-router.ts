import {
  type Balance,
  type Candle,
  type ExecutionReport,
  type FuturesExecutionReport,
  type Instrument,
  type Result,
  err,
  isPerpetual,
  ok,
} from '../../domain/index.js';
import type { FuturesGateway } from '../futures-gateway.js';
import type { ExchangeGateway, GatewayFailure, PlaceOrderRequest, VenueListener } from '../gateway.js';
import { CumQuoteLedger } from './cum-quote-ledger.js';
import { executionOfFutures, futuresRequestOf } from './futures-report-mapping.js';
import { FuturesStreamRelay, type RelayLog } from './futures-stream-relay.js';

/** What the app's gateways may also offer: the user streams' readiness, and closing them. */
interface StreamLife {
  userStreamReady?(): Promise<Result<unknown, GatewayFailure>>;
  close?(): void;
}

export interface MarketRouterOptions<S extends ExchangeGateway> {
  readonly spot: S;
  /** USD-M perpetuals (FUTURES_SYMBOLS set); without it a `.P` order is refused. */
  readonly futures?: FuturesGateway & StreamLife;
  readonly log?: RelayLog;
}

const NO_FUTURES: GatewayFailure = {
  kind: 'rejected',
  code: 'FUTURES_OFF',
  message: 'this bot trades no USD-M perpetuals (FUTURES_SYMBOLS is empty)',
};

/**
 * One ExchangeGateway over spot and USD-M perpetuals: a `.P` symbol (domain/futures/perpetual-symbol.ts) goes to the
 * futures gateway, anything else to spot, so the kernel, the order workers, the reconciler, restart and the kill switch
 * run one code path for both. Futures reports become spot reports field for field, with the venue's realized PnL and an
 * exact cumulative quote (cum-quote-ledger.ts); the futures account's own events reach the listener's optional methods.
 */
export class MarketRouter<S extends ExchangeGateway = ExchangeGateway> implements ExchangeGateway {
  readonly name: string;
  readonly spot: S;
  readonly futures: (FuturesGateway & StreamLife) | undefined;
  private readonly ledger = new CumQuoteLedger();
  private readonly log: RelayLog | undefined;

  constructor(options: MarketRouterOptions<S>) {
    this.spot = options.spot;
    this.futures = options.futures;
    this.log = options.log;
    this.name = options.futures ? `${options.spot.name} and ${options.futures.name}` : options.spot.name;
  }

  async instruments(): Promise<Result<readonly Instrument[], GatewayFailure>> {
    const spot = await this.spot.instruments();
    if (!spot.ok || !this.futures) return spot;
    const perpetuals = await this.futures.instruments();
    if (!perpetuals.ok) return perpetuals;
    return ok([...spot.value, ...perpetuals.value]);
  }

  async placeOrder(request: PlaceOrderRequest): Promise<Result<ExecutionReport, GatewayFailure>> {
    if (!isPerpetual(request.symbol)) return this.spot.placeOrder(request);
    if (!this.futures) return err(NO_FUTURES);
    return this.exact(await this.futures.placeOrder(futuresRequestOf(request)));
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<Result<ExecutionReport, GatewayFailure>> {
    if (!isPerpetual(symbol)) return this.spot.cancelOrder(symbol, clientOrderId);
    if (!this.futures) return err(NO_FUTURES);
    return this.exact(await this.futures.cancelOrder(symbol, clientOrderId));
  }

  /**
   * Binance's futures cancel-all answers only "done", never which orders it cancelled, and an order that filled just
   * before it must not be reported CANCELED. So a perpetual's open orders are listed and cancelled one by one: each
   * CANCELED in the answer is the venue's own; an order gone meanwhile (refused as unknown) is left out, and the
   * callers (the kill switch's sweep, the dead-man's cancels) ask for its final state as they do for spot's.
   */
  async cancelAll(symbol: string): Promise<Result<readonly ExecutionReport[], GatewayFailure>> {
    if (!isPerpetual(symbol)) return this.spot.cancelAll(symbol);
    const futures = this.futures;
    if (!futures) return err(NO_FUTURES);
    const open = await futures.openOrders(symbol);
    if (!open.ok) return open;
    const answers = await Promise.all(open.value.map((o) => futures.cancelOrder(symbol, o.clientOrderId)));
    const reports: ExecutionReport[] = [];
    for (const answer of answers) {
      if (!answer.ok) {
        if (answer.error.kind === 'rejected') continue;
        return answer;
      }
      const exact = await this.exact(answer);
      if (!exact.ok) return exact;
      reports.push(exact.value);
    }
    return ok(reports);
  }

  async getOrder(symbol: string, clientOrderId: string): Promise<Result<ExecutionReport | undefined, GatewayFailure>> {
    if (!isPerpetual(symbol)) return this.spot.getOrder(symbol, clientOrderId);
    if (!this.futures) return err(NO_FUTURES);
    const r = await this.futures.getOrder(symbol, clientOrderId);
    if (!r.ok || r.value === undefined) return r as Result<undefined, GatewayFailure>;
    return this.exact(ok(r.value));
  }

  async openOrders(symbol?: string): Promise<Result<readonly ExecutionReport[], GatewayFailure>> {
    if (symbol !== undefined && !isPerpetual(symbol)) return this.spot.openOrders(symbol);
    if (symbol !== undefined && !this.futures) return err(NO_FUTURES);
    const spot = symbol === undefined ? await this.spot.openOrders() : ok<readonly ExecutionReport[]>([]);
    if (!spot.ok || !this.futures) return spot;
    const futures = await this.futures.openOrders(symbol);
    if (!futures.ok) return futures;
    const mapped: ExecutionReport[] = [...spot.value];
    for (const o of futures.value) {
      const exact = await this.exact(ok(o));
      if (!exact.ok) return exact;
      mapped.push(exact.value);
    }
    return ok(mapped);
  }

  async candles(symbol: string, interval: string, query: { readonly limit: number }): Promise<Result<readonly Candle[], GatewayFailure>> {
    if (isPerpetual(symbol)) return this.futures ? this.futures.candles(symbol, interval, query) : err(NO_FUTURES);
    if (this.spot.candles === undefined) return err({ kind: 'rejected', code: 'NO_HISTORY', message: `${this.spot.name} keeps no klines` });
    return this.spot.candles(symbol, interval, query);
  }

  async orderTrades(symbol: string, clientOrderId: string): Promise<Result<readonly ExecutionReport[], GatewayFailure>> {
    if (!isPerpetual(symbol)) return this.spot.orderTrades(symbol, clientOrderId);
    if (!this.futures) return err(NO_FUTURES);
    const rows = await this.futures.orderTrades(symbol, clientOrderId);
    if (!rows.ok) return rows;
    this.ledger.learnTrades(rows.value);
    const mapped: ExecutionReport[] = [];
    for (const row of rows.value) {
      const exact = await this.exact(ok(row));
      if (!exact.ok) return exact;
      mapped.push(exact.value);
    }
    return ok(mapped);
  }

  /** Spot's balances: the futures wallet is reported by FuturesAccountReported and `futures.account()`. */
  balances(): Promise<Result<readonly Balance[], GatewayFailure>> {
    return this.spot.balances();
  }

  subscribe(listener: VenueListener): () => void {
    const offSpot = this.spot.subscribe(listener);
    if (!this.futures) return offSpot;
    const relay = new FuturesStreamRelay(listener, this.futures, this.ledger, this.log);
    const offFutures = this.futures.subscribe(relay);
    return () => {
      relay.stop();
      offFutures();
      offSpot();
    };
  }

  /** Resolves once both user streams are open (or says which could not be). */
  async userStreamReady(): Promise<Result<void, GatewayFailure>> {
    const spot = this.spot as S & StreamLife;
    for (const gateway of [spot, this.futures]) {
      const ready = await gateway?.userStreamReady?.();
      if (ready !== undefined && !ready.ok) return ready;
    }
    return ok(undefined);
  }

  /** Closes both user streams. */
  close(): void {
    (this.spot as S & StreamLife).close?.();
    this.futures?.close?.();
  }

  /**
   * A REST answer with its exact cumulative quote: its own when it carries one (Binance's POST answer may not), none
   * needed before a fill, else the order's trades' as userTrades gives them.
   */
  private async exact(r: Result<FuturesExecutionReport, GatewayFailure>): Promise<Result<ExecutionReport, GatewayFailure>> {
    if (!r.ok) return r;
    const known = this.ledger.of(r.value);
    if (known !== undefined) return ok(executionOfFutures(r.value, known));
    const rows = await this.futures!.orderTrades(r.value.symbol, r.value.clientOrderId);
    if (!rows.ok) return rows;
    const asOf = rows.value.find((row) => row.cumQty === r.value.cumQty && row.cumQuote !== undefined);
    if (asOf?.cumQuote === undefined)
      return err({
        kind: 'unknown',
        code: 'CUM_QUOTE_UNKNOWN',
        message: `the trades of ${r.value.clientOrderId} do not add up to its filled quantity yet`,
      });
    return ok(executionOfFutures(r.value, asOf.cumQuote));
  }
}
