import {
  type Candle,
  type Fixed,
  type FuturesAccount,
  type FuturesCommissionRates,
  type FuturesExecutionReport,
  type FuturesIncome,
  type FuturesMarginType,
  type FuturesOrderRequest,
  type FuturesPositionRisk,
  type FuturesPremiumIndex,
  type Instrument,
  type Result,
  type SymbolBrackets,
  ZERO,
  err,
  format,
  isPerpetual,
  ok,
  venueSymbol,
} from '../../domain/index.js';
import { BinanceTimeoutError, type CallKind, DEFAULT_RETRY_AFTER_MS, mapCandles } from '../binance/index.js';
import type { FuturesGateway, FuturesIncomeQuery, FuturesStreamState, FuturesVenueListener } from '../futures-gateway.js';
import type { GatewayFailure } from '../gateway.js';
import {
  mapBrackets,
  mapCommissionRate,
  mapDualSidePosition,
  mapFuturesAccount,
  mapFuturesTime,
  mapIncome,
  mapLeverage,
  mapPositionRisk,
  mapFundingIntervals,
  mapPremiumIndex,
} from './account-mapping.js';
import { mapFuturesExchangeInfo, type SkippedContract } from './exchange-info-mapping.js';
import { type FuturesClient, type FuturesClientOptions, type FuturesOrderParams, createFuturesClient } from './futures-client.js';
import { classifyFuturesFailure } from './futures-failure-classification.js';
import type { FuturesEndpoints } from './futures-urls.js';
import { mapFuturesOpenOrders, mapFuturesOrder, mapFuturesOrderTrades } from './order-mapping.js';
import { claimStreamUrls } from './stream-url-claim.js';
import { FuturesUserStream } from './user-stream.js';
import type { FuturesUserEvent } from './user-event-mapping.js';
import type { Mapped } from './wire-readers.js';

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Ample for the library's own POST listenKey and socket after a failed periodic keepalive. */
const DEFAULT_STREAM_RENEW_GRACE_MS = 5_000;

export interface BinanceFuturesGatewayOptions extends FuturesEndpoints {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Local time; server time is this plus the offset `syncTime()` measured. */
  readonly clock: { now(): number };
  /** Per call; binance-api-node has none. Default 10 s. */
  readonly requestTimeoutMs?: number;
  readonly name?: string;
  /** After a -1125 keepalive, wall-time ms the library gets to open its own new socket (user-stream.ts). Default 5 s. */
  readonly streamRenewGraceMs?: number;
  /** Told when the user stream reports an error or sends a frame it cannot read: reconcile over REST then. */
  readonly onStreamProblem?: (failure: GatewayFailure) => void;
  /** Builds the client; default the real binance-api-node. Tests substitute a scripted one. */
  readonly createClient?: (options: FuturesClientOptions) => FuturesClient;
}

/**
 * The FuturesGateway on binance-api-node's futures methods: Binance USD-M live, testnet or the sandbox, chosen only
 * by the URLs given (README.md here lists the library's traps and what this adapter does about each).
 */
export class BinanceFuturesGateway implements FuturesGateway {
  readonly name: string;
  private readonly client: FuturesClient;
  private readonly clock: { now(): number };
  private readonly timeoutMs: number;
  private readonly onStreamProblem: ((failure: GatewayFailure) => void) | undefined;
  private readonly streamRenewGraceMs: number;
  private readonly releaseUrls: () => void;
  private offsetMs = 0;
  private pausedUntil = 0;
  private skipped: readonly SkippedContract[] = [];
  private listeners: readonly FuturesVenueListener[] = [];
  private stream: FuturesUserStream | undefined;

  constructor(options: BinanceFuturesGatewayOptions) {
    this.name = options.name ?? `Binance USD-M at ${options.httpFutures}`;
    this.clock = options.clock;
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.onStreamProblem = options.onStreamProblem;
    this.streamRenewGraceMs = options.streamRenewGraceMs ?? DEFAULT_STREAM_RENEW_GRACE_MS;
    this.releaseUrls = claimStreamUrls(options);
    this.client = (options.createClient ?? createFuturesClient)({
      apiKey: options.apiKey,
      apiSecret: options.apiSecret,
      httpFutures: options.httpFutures,
      wsFuturesPublic: options.wsFuturesPublic,
      wsFuturesMarket: options.wsFuturesMarket,
      wsFuturesPrivate: options.wsFuturesPrivate,
      getTime: () => this.serverNow(),
    });
  }

  /** Server time as this gateway believes it: what it signs requests with. */
  serverNow(): number {
    return this.clock.now() + this.offsetMs;
  }

  /** Measures server minus local time (GET /fapi/v1/time, halfway through the round trip) and signs with it from now on. */
  async syncTime(): Promise<Result<number, GatewayFailure>> {
    const sent = this.clock.now();
    const r = await this.call('read', () => this.client.futuresTime(), mapFuturesTime, false);
    if (!r.ok) return r;
    this.offsetMs = r.value - Math.round((sent + this.clock.now()) / 2);
    return ok(this.offsetMs);
  }

  async instruments(): Promise<Result<readonly Instrument[], GatewayFailure>> {
    const r = await this.call('read', () => this.client.futuresExchangeInfo(), mapFuturesExchangeInfo);
    if (!r.ok) return r;
    this.skipped = r.value.skipped;
    return ok(r.value.instruments);
  }

  /** Contracts the last `instruments()` left out (delivery contracts, unreadable filters), and why. */
  skippedContracts(): readonly SkippedContract[] {
    return this.skipped;
  }

  async placeOrder(request: FuturesOrderRequest): Promise<Result<FuturesExecutionReport, GatewayFailure>> {
    const symbol = wireSymbol(request.symbol);
    if (!symbol.ok) return symbol;
    // Our client id always: without one the library makes up "x-cvBPrNm9…", which no restart could ask about.
    let params: FuturesOrderParams = {
      symbol: symbol.value,
      side: request.side,
      type: request.type,
      quantity: format(request.quantity),
      positionSide: 'BOTH',
      newClientOrderId: request.clientOrderId,
      newOrderRespType: 'RESULT',
      ...(request.reduceOnly === true && { reduceOnly: 'true' as const }),
    };
    if (request.type === 'LIMIT') {
      if (request.price === undefined) return err({ kind: 'rejected', code: 'MISSING_PRICE', message: 'A LIMIT order needs a price.' });
      params = { ...params, price: format(request.price), timeInForce: request.timeInForce ?? 'GTC' };
    }
    return this.call('place', () => this.client.futuresOrder(params), mapFuturesOrder);
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<Result<FuturesExecutionReport, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    return this.call(
      'cancel',
      () => this.client.futuresCancelOrder({ symbol: venue.value, origClientOrderId: clientOrderId }),
      mapFuturesOrder,
    );
  }

  async cancelAll(symbol: string): Promise<Result<void, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    // Binance answers {code: 200, msg: "The operation of cancel all open order is done."}, not the orders.
    return this.call(
      'cancel',
      () => this.client.futuresCancelAllOpenOrders({ symbol: venue.value }),
      codeMsgDone('cancel all open orders'),
    );
  }

  async getOrder(symbol: string, clientOrderId: string): Promise<Result<FuturesExecutionReport | undefined, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    const r = await this.call(
      'read',
      () => this.client.futuresGetOrder({ symbol: venue.value, origClientOrderId: clientOrderId }),
      mapFuturesOrder,
    );
    // The port says "no such order" with undefined; /fapi says it with -2013 "Order does not exist."
    if (!r.ok && r.error.code === 'BINANCE_-2013') return ok(undefined);
    return r;
  }

  async openOrders(symbol?: string): Promise<Result<readonly FuturesExecutionReport[], GatewayFailure>> {
    const venue = optionalSymbol(symbol);
    if (!venue.ok) return venue;
    return this.call('read', () => this.client.futuresOpenOrders(venue.value), mapFuturesOpenOrders);
  }

  async orderTrades(symbol: string, clientOrderId: string): Promise<Result<readonly FuturesExecutionReport[], GatewayFailure>> {
    // userTrades names orders only by Binance's orderId, so the order is looked up by our id first.
    const order = await this.getOrder(symbol, clientOrderId);
    if (!order.ok) return order;
    const known = order.value;
    if (known === undefined) return ok([]);
    const run = () => this.client.futuresUserTrades({ symbol: venueSymbol(symbol), orderId: known.exchangeOrderId, limit: 1000 });
    return this.call('read', run, (raw) => mapFuturesOrderTrades(raw, known));
  }

  async positions(symbol?: string): Promise<Result<readonly FuturesPositionRisk[], GatewayFailure>> {
    const venue = optionalSymbol(symbol);
    if (!venue.ok) return venue;
    const r = await this.call('read', () => this.client.futuresPositionRisk(venue.value), mapPositionRisk);
    if (!r.ok) return r;
    return ok(r.value.filter((p) => p.positionAmt !== ZERO));
  }

  async account(): Promise<Result<FuturesAccount, GatewayFailure>> {
    return this.call('read', () => this.client.futuresAccountInfo({}), mapFuturesAccount);
  }

  // Configuration writes are idempotent: a lost answer is retryable, never an unknown outcome ('read' semantics).
  async setLeverage(symbol: string, leverage: number): Promise<Result<{ leverage: number; maxNotionalValue: Fixed }, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    return this.call('read', () => this.client.futuresLeverage({ symbol: venue.value, leverage }), mapLeverage);
  }

  async setMarginType(symbol: string, marginType: FuturesMarginType): Promise<Result<void, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    const r = await this.call('read', () => this.client.futuresMarginType({ symbol: venue.value, marginType }), codeMsgDone('margin type'));
    // -4046 "No need to change margin type.": it already is what we asked for.
    if (!r.ok && r.error.code === 'BINANCE_-4046') return ok(undefined);
    return r;
  }

  async positionMode(): Promise<Result<'one-way', GatewayFailure>> {
    const r = await this.call('read', () => this.client.futuresPositionMode({}), mapDualSidePosition);
    if (!r.ok) return r;
    if (r.value)
      return err({
        kind: 'rejected',
        code: 'HEDGE_MODE',
        message:
          'The futures account is in hedge mode (dual side position); telegrid trades one-way mode only. Switch the account to ' +
          'one-way mode (no open orders or positions) and start again.',
      });
    return ok('one-way');
  }

  async brackets(symbol?: string): Promise<Result<readonly SymbolBrackets[], GatewayFailure>> {
    const venue = optionalSymbol(symbol);
    if (!venue.ok) return venue;
    return this.call('read', () => this.client.futuresLeverageBracket(venue.value), mapBrackets);
  }

  async commissionRate(symbol: string): Promise<Result<FuturesCommissionRates, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    return this.call('read', () => this.client.futuresCommissionRate({ symbol: venue.value }), mapCommissionRate);
  }

  async income(query: FuturesIncomeQuery = {}): Promise<Result<readonly FuturesIncome[], GatewayFailure>> {
    const venue = optionalSymbol(query.symbol);
    if (!venue.ok) return venue;
    const params: Record<string, string | number> = { ...venue.value };
    for (const [k, v] of Object.entries(query)) if (v !== undefined && k !== 'symbol') params[k] = v as string | number;
    return this.call('read', () => this.client.futuresIncome(params), mapIncome);
  }

  async premiumIndex(symbol: string): Promise<Result<FuturesPremiumIndex, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    return this.call('read', () => this.client.futuresMarkPrice({ symbol: venue.value }), mapPremiumIndex);
  }

  async candles(symbol: string, interval: string, query: { readonly limit: number }): Promise<Result<readonly Candle[], GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    // USD-M's limit goes to 1500; the callers ask at most 1000, as spot allows.
    return this.call('read', () => this.client.futuresCandles({ symbol: venue.value, interval, limit: query.limit }), mapCandles);
  }

  async fundingIntervals(): Promise<Result<ReadonlyMap<string, number>, GatewayFailure>> {
    return this.call('read', () => this.client.fundingInfo(), mapFundingIntervals);
  }

  async countdownCancelAll(symbol: string, countdownMs: number): Promise<Result<void, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    // Answers {symbol, countdownTime}; nothing in it the caller needs.
    return this.call(
      'read',
      () => this.client.countdownCancelAll({ symbol: venue.value, countdownTime: countdownMs }),
      () => ok(undefined),
    );
  }

  subscribe(listener: FuturesVenueListener): () => void {
    this.listeners = [...this.listeners, listener];
    // A stream that could not get a key retries nothing: a new subscription is the caller's way to start over.
    if (this.stream?.failed === true) this.stopStream();
    this.stream ??= new FuturesUserStream({
      open: (onFrame) => this.client.ws.futuresUser(onFrame, false),
      onEvent: (event) => this.deliver(event),
      onState: (state) => this.tellState(state),
      onProblem: (failure) => this.onStreamProblem?.(failure),
      now: () => this.clock.now(),
      renewGraceMs: this.streamRenewGraceMs,
    });
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.listeners = this.listeners.filter((l) => l !== listener);
      if (this.listeners.length === 0) this.stopStream();
    };
  }

  /** Resolves once the user stream's socket is open on a live key, or with why it is not. */
  async userStreamReady(): Promise<Result<void, GatewayFailure>> {
    if (this.stream === undefined) return err({ kind: 'rejected', code: 'NOT_SUBSCRIBED', message: 'No listener is subscribed.' });
    return this.stream.ready();
  }

  /** Closes the user stream whoever listens and releases the process-wide stream URLs. */
  close(): void {
    this.listeners = [];
    this.stopStream();
    this.releaseUrls();
  }

  private stopStream(): void {
    this.stream?.stop();
    this.stream = undefined;
  }

  private tellState(state: FuturesStreamState): void {
    for (const l of this.listeners) l.onStreamState?.(state);
  }

  private deliver(event: FuturesUserEvent): void {
    // A listener that unsubscribes mid-delivery must not disturb this delivery: iterate the list as it was.
    const listeners = this.listeners;
    switch (event.type) {
      case 'execution':
        for (const l of listeners) l.onExecution(event.report);
        return;
      case 'account':
        for (const l of listeners) l.onAccountUpdate(event.update);
        return;
      case 'marginCall':
        for (const l of listeners) l.onMarginCall(event.call);
        return;
      case 'expired':
      case 'ignored':
        return;
      default: {
        const never: never = event;
        throw new Error(`unhandled futures user event ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * One library call under the timeout, failures classified with the futures codes. A -1021 (timestamp outside
   * recvWindow) was refused before anything happened, so it is retried once after re-measuring the clock offset.
   */
  private async call<T>(
    kind: CallKind,
    run: () => Promise<unknown>,
    map: (raw: unknown) => Mapped<T>,
    resyncOn1021 = true,
  ): Promise<Result<T, GatewayFailure>> {
    // After a 429 Binance counts further requests toward an IP ban (418): hold them until the wait is over.
    const wait = this.pausedUntil - this.clock.now();
    if (wait > 0)
      return err({
        kind: 'rate_limited',
        code: 'RATE_LIMIT_BACKOFF',
        message: `Binance asked us to slow down; nothing is sent for another ${Math.ceil(wait / 1000)} s`,
        retryAfterMs: wait,
      });
    let raw: unknown;
    try {
      raw = await this.withTimeout(run());
    } catch (error) {
      const failure = classifyFuturesFailure(error, kind, this.serverNow());
      if (failure.kind === 'rate_limited')
        this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + (failure.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS.weight));
      if (failure.code === 'BINANCE_-1021' && resyncOn1021) {
        const synced = await this.syncTime();
        if (synced.ok) return this.call(kind, run, map, false);
      }
      return err(failure);
    }
    const mapped = map(raw);
    if (mapped.ok) return mapped;
    // Binance answered, but not in a shape we can read: a placement may still have happened.
    return err({ kind: kind === 'place' ? 'unknown' : 'retryable', code: mapped.error.code, message: mapped.error.message });
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

/** The {code: 200, msg} answers of cancel-all and marginType: anything but 200 is not the success it should be. */
function codeMsgDone(what: string): (raw: unknown) => Mapped<void> {
  return (raw) => {
    const code = typeof raw === 'object' && raw !== null ? (raw as { code?: unknown }).code : undefined;
    if (code === 200 || code === '200') return ok(undefined);
    return { ok: false, error: { code: 'BAD_RESPONSE', message: `unreadable ${what} answer: ${JSON.stringify(raw)}` } };
  };
}

/**
 * The bot's name for a perpetual (BTCUSDT.P) → Binance's (BTCUSDT), at this edge only. A name without `.P` is a spot
 * pair sent to the futures venue by mistake: refused, never traded as the perpetual of the same Binance name.
 */
function wireSymbol(symbol: string): Result<string, GatewayFailure> {
  if (isPerpetual(symbol)) return ok(venueSymbol(symbol));
  return err({ kind: 'rejected', code: 'NOT_PERPETUAL', message: `${symbol} is not a USD-M perpetual; the bot names them <SYMBOL>.P` });
}

/** An optional symbol: none (the library would send "symbol=undefined" for a present-but-undefined key), or Binance's name. */
function optionalSymbol(symbol: string | undefined): Result<{ symbol?: string }, GatewayFailure> {
  if (symbol === undefined) return ok({});
  const venue = wireSymbol(symbol);
  return venue.ok ? ok({ symbol: venue.value }) : venue;
}
