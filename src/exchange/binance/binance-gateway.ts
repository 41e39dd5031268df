import { type Balance, type Candle, type ExecutionReport, type Instrument, type Result, err, format, ok } from '../../domain/index.js';
import type { ExchangeGateway, GatewayFailure, PlaceOrderRequest, VenueListener } from '../gateway.js';
import { type ApiRestrictions, mapApiRestrictions } from './api-restrictions.js';
import { mapCandles } from './candle-mapping.js';
import { type BinanceClient, type BinanceClientOptions, type BinanceOrderParams, createBinanceClient } from './binance-client.js';
import {
  type BinanceRateLimit,
  type SkippedSymbol,
  mapAccountBalances,
  mapCanceledOrders,
  mapExchangeInfo,
  mapOpenOrders,
  mapOrderTrades,
  mapRestOrder,
  mapServerTime,
  mapUserEvent,
} from './binance-mapping.js';
import type { MappingProblem } from './wire-readers.js';
import type { BinanceEndpoints } from './binance-urls.js';
import { BinanceTimeoutError, type CallKind, DEFAULT_RETRY_AFTER_MS, classifyFailure } from './failure-classification.js';

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface BinanceGatewayOptions extends BinanceEndpoints {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Local time; server time is this plus the offset `syncTime()` measured. */
  readonly clock: { now(): number };
  /** Per call; binance-api-node has no timeout of its own. Default 10 s, Binance's own matching-engine timeout. */
  readonly requestTimeoutMs?: number;
  readonly name?: string;
  /** Told when the user data stream cannot subscribe or sends an event it cannot read: reconcile over REST then. */
  readonly onStreamProblem?: (failure: GatewayFailure) => void;
  /** Builds the client; default the real binance-api-node. Tests substitute a scripted one. */
  readonly createClient?: (options: BinanceClientOptions) => BinanceClient;
}

type Mapper<T> = (raw: unknown) => Result<T, MappingProblem>;

/** What the health endpoint and `/limits` read of the adapter: its last REST success and failure, 429s, the user stream. */
export interface GatewayActivity {
  /** Local time of the last REST call the exchange answered (an error answer that is not a 5xx or a timeout counts). */
  readonly lastRestOkAt?: number;
  /** The last call that failed without an answer from the exchange (timeout, 5xx, refused connection), and when. */
  readonly lastRestFailure?: { readonly at: number; readonly code: string; readonly message: string };
  /** 429/418 answers so far, and when the last came. */
  readonly rateLimited: { readonly count: number; readonly lastAt?: number };
  /** The user data stream: none subscribed, subscribing, confirmed by the exchange, or refused/unreadable. */
  readonly stream: 'none' | 'connecting' | 'ready' | 'failed';
  /** Local time of the last user data event received. */
  readonly lastStreamEventAt?: number;
}

/** The one user data subscription all listeners share (Binance allows one per account per connection). */
interface UserStream {
  readonly ready: Promise<Result<void, GatewayFailure>>;
  stop(): void;
}

/**
 * The ExchangeGateway on binance-api-node: Binance Spot live, testnet or the sandbox, chosen only by the URLs given.
 * Every call is bounded by a timeout and every failure is classified by what it means for the account.
 */
export class BinanceGateway implements ExchangeGateway {
  readonly name: string;
  private readonly client: BinanceClient;
  private readonly clock: { now(): number };
  private readonly timeoutMs: number;
  private readonly onStreamProblem: ((failure: GatewayFailure) => void) | undefined;
  private offsetMs = 0;
  private limits: readonly BinanceRateLimit[] = [];
  private skipped: readonly SkippedSymbol[] = [];
  private listeners: readonly VenueListener[] = [];
  /** Local time until which no request goes out, after the exchange said 429. */
  private pausedUntil = 0;
  private stream: UserStream | undefined;
  private activityNow: { -readonly [K in keyof GatewayActivity]: GatewayActivity[K] } = { rateLimited: { count: 0 }, stream: 'none' };

  constructor(options: BinanceGatewayOptions) {
    this.name = options.name ?? `Binance at ${options.httpBase}`;
    this.clock = options.clock;
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.onStreamProblem = options.onStreamProblem;
    this.client = (options.createClient ?? createBinanceClient)({
      apiKey: options.apiKey,
      apiSecret: options.apiSecret,
      httpBase: options.httpBase,
      wsBase: options.wsBase,
      wsApi: options.wsApi,
      getTime: () => this.serverNow(),
    });
  }

  /** Server time as this gateway believes it: what it signs requests with. */
  serverNow(): number {
    return this.clock.now() + this.offsetMs;
  }

  /** Measures server time minus local time (GET /api/v3/time, halfway through the round trip) and signs with it from now on. */
  async syncTime(): Promise<Result<number, GatewayFailure>> {
    const sent = this.clock.now();
    const r = await this.call('read', () => this.client.time(), mapServerTime, false);
    if (!r.ok) return r;
    const received = this.clock.now();
    this.offsetMs = r.value - Math.round((sent + received) / 2);
    return ok(this.offsetMs);
  }

  async instruments(): Promise<Result<readonly Instrument[], GatewayFailure>> {
    const r = await this.call('read', () => this.client.exchangeInfo(), mapExchangeInfo);
    if (!r.ok) return r;
    this.limits = r.value.rateLimits;
    this.skipped = r.value.skipped;
    return ok(r.value.instruments);
  }

  /** The rate limits exchangeInfo reported at the last `instruments()`; empty before it. */
  rateLimits(): readonly BinanceRateLimit[] {
    return this.limits;
  }

  /** A copy of what the adapter has seen of the exchange so far (health, metrics, `/limits`). */
  activity(): GatewayActivity {
    return { ...this.activityNow };
  }

  /** Symbols the last `instruments()` left out because their filters could not be read exactly, and why. */
  skippedSymbols(): readonly SkippedSymbol[] {
    return this.skipped;
  }

  async placeOrder(request: PlaceOrderRequest): Promise<Result<ExecutionReport, GatewayFailure>> {
    let params: BinanceOrderParams = {
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      quantity: format(request.quantity),
      newClientOrderId: request.clientOrderId,
      newOrderRespType: 'RESULT',
    };
    if (request.type === 'LIMIT') {
      if (request.price === undefined) return err({ kind: 'rejected', code: 'MISSING_PRICE', message: 'A LIMIT order needs a price.' });
      params = { ...params, price: format(request.price), timeInForce: request.timeInForce ?? 'GTC' };
    }
    return this.call('place', () => this.client.order(params), mapRestOrder);
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<Result<ExecutionReport, GatewayFailure>> {
    return this.call('cancel', () => this.client.cancelOrder({ symbol, origClientOrderId: clientOrderId }), mapRestOrder);
  }

  async cancelAll(symbol: string): Promise<Result<readonly ExecutionReport[], GatewayFailure>> {
    const r = await this.call('cancel', () => this.client.cancelOpenOrders({ symbol }), mapCanceledOrders);
    // The port says "nothing was open" with an empty list; Binance says it with -2011.
    if (!r.ok && r.error.code === 'BINANCE_-2011') return ok([]);
    return r;
  }

  async getOrder(symbol: string, clientOrderId: string): Promise<Result<ExecutionReport | undefined, GatewayFailure>> {
    const r = await this.call('read', () => this.client.getOrder({ symbol, origClientOrderId: clientOrderId }), mapRestOrder);
    // The port says "no such order" with undefined; Binance says it with -2013.
    if (!r.ok && r.error.code === 'BINANCE_-2013') return ok(undefined);
    return r;
  }

  async openOrders(symbol?: string): Promise<Result<readonly ExecutionReport[], GatewayFailure>> {
    // The library would send "symbol=undefined" for a present-but-undefined key.
    return this.call('read', () => this.client.openOrders(symbol === undefined ? {} : { symbol }), mapOpenOrders);
  }

  async orderTrades(symbol: string, clientOrderId: string): Promise<Result<readonly ExecutionReport[], GatewayFailure>> {
    // myTrades names orders only by Binance's orderId, so the order is looked up by our id first.
    const order = await this.getOrder(symbol, clientOrderId);
    if (!order.ok) return order;
    const known = order.value;
    if (known === undefined) return ok([]);
    // 1000 is Binance's most per page; an order of ours never trades that often (a grid level fills in a few trades).
    const run = () => this.client.myTrades({ symbol, orderId: known.exchangeOrderId, limit: 1000 });
    return this.call('read', run, (raw) => mapOrderTrades(raw, known));
  }

  /** The latest `limit` klines (weight 2), the one still open last. */
  async candles(symbol: string, interval: string, query: { readonly limit: number }): Promise<Result<readonly Candle[], GatewayFailure>> {
    return this.call('read', () => this.client.candles({ symbol, interval, limit: query.limit }), mapCandles);
  }

  async balances(): Promise<Result<readonly Balance[], GatewayFailure>> {
    return this.call('read', () => this.client.accountInfo(), mapAccountBalances);
  }

  /**
   * What this API key may do (GET /sapi/v1/account/apiRestrictions, weight 1), for the start-up check. Not on the port:
   * only a real Binance key has restrictions. Binance documents only /api for the Spot Test Network, so there expect a
   * rejection.
   */
  async apiRestrictions(): Promise<Result<ApiRestrictions, GatewayFailure>> {
    const request = this.client.apiRestrictions;
    if (request === undefined)
      return err({ kind: 'rejected', code: 'UNSUPPORTED', message: 'This Binance client cannot ask for the API key restrictions.' });
    return this.call('read', () => request.call(this.client), mapApiRestrictions);
  }

  subscribe(listener: VenueListener): () => void {
    this.listeners = [...this.listeners, listener];
    if (this.stream === undefined) this.activityNow.stream = 'connecting';
    this.stream ??= this.openStream();
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.listeners = this.listeners.filter((l) => l !== listener);
      if (this.listeners.length === 0 && this.stream !== undefined) {
        this.stream.stop();
        this.stream = undefined;
        this.activityNow.stream = 'none';
      }
    };
  }

  /**
   * Closes the user data stream, whoever still listens (the app's shutdown): a stopped bot leaves no socket behind, and
   * with it nothing that socket's handlers hold (a listener's closure may hold the whole stopped bot).
   */
  close(): void {
    this.listeners = [];
    this.stream?.stop();
    this.stream = undefined;
    this.activityNow.stream = 'none';
  }

  /**
   * Resolves once Binance confirmed the user data subscription (events before that are not delivered), or with the
   * failure that refused it; a stream still connecting after the request timeout answers `TIMEOUT` and keeps trying.
   */
  async userStreamReady(): Promise<Result<void, GatewayFailure>> {
    if (this.stream === undefined) return err({ kind: 'rejected', code: 'NOT_SUBSCRIBED', message: 'No listener is subscribed.' });
    const first = await this.streamReady(this.stream);
    if (first.ok || first.error.code !== 'BINANCE_-1021') return first;
    // The subscription is signed: a clock that drifted since start-up (a laptop waking) is re-measured, once, as REST is.
    const synced = await this.syncTime();
    if (!synced.ok || this.stream === undefined) return first;
    this.stream.stop();
    this.stream = this.openStream();
    return this.streamReady(this.stream);
  }

  private async streamReady(stream: UserStream): Promise<Result<void, GatewayFailure>> {
    try {
      return await this.withTimeout(stream.ready);
    } catch (error) {
      return err(classifyFailure(error, 'read', this.serverNow()));
    }
  }

  private openStream(): UserStream {
    let stopped = false;
    let cleanup: ((options?: object) => void) | undefined;
    let subscribed: Promise<(options?: object) => void>;
    try {
      subscribed = this.client.ws.user((event) => {
        // A stopped stream's late events must not reach listeners of the next one.
        if (!stopped) this.deliver(event);
      });
    } catch (error) {
      subscribed = Promise.reject(error);
    }
    const ready = subscribed.then(
      (close): Result<void, GatewayFailure> => {
        if (stopped) close();
        else {
          cleanup = close;
          this.activityNow.stream = 'ready';
        }
        return ok(undefined);
      },
      (error: unknown): Result<void, GatewayFailure> => {
        const failure = classifyFailure(error, 'read', this.serverNow());
        if (!stopped) this.activityNow.stream = 'failed';
        this.onStreamProblem?.(failure);
        return err(failure);
      },
    );
    return {
      ready,
      stop: () => {
        stopped = true;
        cleanup?.();
      },
    };
  }

  private deliver(raw: unknown): void {
    this.activityNow.lastStreamEventAt = this.clock.now();
    const mapped = mapUserEvent(raw);
    if (!mapped.ok) {
      this.onStreamProblem?.({ kind: 'unknown', code: mapped.error.code, message: mapped.error.message });
      return;
    }
    const event = mapped.value;
    // A listener that unsubscribes mid-delivery must not disturb this delivery: iterate the list as it was.
    const listeners = this.listeners;
    switch (event.type) {
      case 'execution':
        for (const l of listeners) l.onExecution(event.report);
        return;
      case 'balances':
        for (const l of listeners) l.onBalances(event.balances, event.time);
        return;
      case 'ignored':
        return;
      default: {
        const never: never = event;
        throw new Error(`unhandled user event ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * Runs one library call under the timeout and classifies what goes wrong. A -1021 (timestamp outside recvWindow) was
   * refused before the matching engine, so it is retried once after re-measuring the clock offset.
   */
  private async call<T>(
    kind: CallKind,
    run: () => Promise<unknown>,
    map: Mapper<T>,
    resyncOn1021 = true,
  ): Promise<Result<T, GatewayFailure>> {
    // After a 429 Binance counts every further request toward an IP ban (418): hold them here until the wait is over.
    const wait = this.pausedUntil - this.clock.now();
    if (wait > 0) {
      return err({
        kind: 'rate_limited',
        code: 'RATE_LIMIT_BACKOFF',
        message: `Binance asked us to slow down; nothing is sent for another ${Math.ceil(wait / 1000)} s`,
        retryAfterMs: wait,
      });
    }
    let pending: Promise<unknown>;
    try {
      pending = run();
    } catch (error) {
      // The library validates parameters synchronously, before anything is sent.
      return err({ kind: 'rejected', code: 'CLIENT_ERROR', message: error instanceof Error ? error.message : String(error) });
    }
    let raw: unknown;
    try {
      raw = await this.withTimeout(pending);
    } catch (error) {
      const failure = classifyFailure(error, kind, this.serverNow());
      this.noteFailure(failure);
      if (failure.kind === 'rate_limited')
        this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + (failure.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS.weight));
      if (failure.code === 'BINANCE_-1021' && resyncOn1021) {
        const synced = await this.syncTime();
        if (synced.ok) return this.call(kind, run, map, false);
      }
      return err(failure);
    }
    this.activityNow.lastRestOkAt = this.clock.now();
    const mapped = map(raw);
    if (mapped.ok) return mapped;
    // Binance answered, but not in a shape we can read: a placement may still have happened.
    return err({ kind: kind === 'place' ? 'unknown' : 'retryable', code: mapped.error.code, message: mapped.error.message });
  }

  /** A refusal is still an answer (the exchange is reachable); a 429/418 is counted; anything else is a REST failure. */
  private noteFailure(failure: GatewayFailure): void {
    const now = this.clock.now();
    if (failure.kind === 'rejected') this.activityNow.lastRestOkAt = now;
    else if (failure.kind === 'rate_limited') this.activityNow.rateLimited = { count: this.activityNow.rateLimited.count + 1, lastAt: now };
    else this.activityNow.lastRestFailure = { at: now, code: failure.code, message: failure.message };
  }

  private withTimeout<T>(pending: Promise<T>): Promise<T> {
    const ms = this.timeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new BinanceTimeoutError(ms)), ms);
      pending.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }
}
