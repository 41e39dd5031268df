import type {
  Balance,
  Candle,
  ExecutionReport,
  Failure,
  FuturesAccountUpdate,
  FuturesExecutionReport,
  FuturesMarginCall,
  Instrument,
  OrderRequest,
  Result,
} from '../domain/index.js';

export type PlaceOrderRequest = OrderRequest;

/**
 * Why a venue call failed, sorted by what the caller must do: `rejected` never retry (filters, balance, unknown order);
 * `unknown` the outcome is not known (timeout, 5xx, -1007) and must be settled by asking; `retryable` nothing happened
 * (network refused, -1003 queue); `rate_limited` wait `retryAfterMs` (429/418).
 */
export interface GatewayFailure extends Failure {
  readonly kind: 'rejected' | 'unknown' | 'retryable' | 'rate_limited';
  readonly retryAfterMs?: number;
}

export interface VenueListener {
  onExecution(report: ExecutionReport): void;
  onBalances(balances: readonly Balance[], time: number): void;
  /** USD-M ACCOUNT_UPDATE (fills, funding, margin type, transfers), symbols the bot's `.P`: venues with futures only. */
  onFuturesAccount?(update: FuturesAccountUpdate): void;
  /** USD-M MARGIN_CALL. */
  onMarginCall?(call: FuturesMarginCall): void;
  /** The venue's own order closing a position (LIQUIDATION, `autoclose-…`): never an execution of the bot's. */
  onLiquidation?(report: FuturesExecutionReport): void;
  /**
   * The USD-M user stream is back after a gap (a listenKey renewed, a socket replaced): whatever it said in between is
   * lost, so positions and orders must be asked for again.
   */
  onFuturesStreamBack?(): void;
}

/** The one contract every venue meets: the Binance adapter (live, testnet, sandbox) and the in-process paper venue. */
export interface ExchangeGateway {
  readonly name: string;
  instruments(): Promise<Result<readonly Instrument[], GatewayFailure>>;
  /** The venue's acknowledgement; fills arrive through the listener as executionReports, never only here. */
  placeOrder(request: PlaceOrderRequest): Promise<Result<ExecutionReport, GatewayFailure>>;
  cancelOrder(symbol: string, clientOrderId: string): Promise<Result<ExecutionReport, GatewayFailure>>;
  /** Cancels every open order of the symbol: one CANCELED report per order cancelled, empty when nothing was open. */
  cancelAll(symbol: string): Promise<Result<readonly ExecutionReport[], GatewayFailure>>;
  /** Undefined when the venue has no such order. */
  getOrder(symbol: string, clientOrderId: string): Promise<Result<ExecutionReport | undefined, GatewayFailure>>;
  openOrders(symbol?: string): Promise<Result<readonly ExecutionReport[], GatewayFailure>>;
  /**
   * One report per trade of the order, oldest first, each with `trade` set and cumQty/cumQuote as of that trade: what
   * the user data stream said, asked again over REST after it may have missed something. Empty for an unknown order.
   */
  orderTrades(symbol: string, clientOrderId: string): Promise<Result<readonly ExecutionReport[], GatewayFailure>>;
  balances(): Promise<Result<readonly Balance[], GatewayFailure>>;
  /**
   * The latest `limit` klines of the symbol at `interval` (Binance's names: 1m, 1h, 4h, 1d), oldest first, the one still
   * open last. Absent on a venue with no history (the in-process paper venue).
   */
  candles?(symbol: string, interval: string, query: { readonly limit: number }): Promise<Result<readonly Candle[], GatewayFailure>>;
  /** Starts the user data stream; returns the function that stops it. */
  subscribe(listener: VenueListener): () => void;
}
