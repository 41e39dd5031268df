import type {
  Candle,
  Fixed,
  FuturesAccount,
  FuturesAccountUpdate,
  FuturesCommissionRates,
  FuturesExecutionReport,
  FuturesIncome,
  FuturesIncomeType,
  FuturesMarginCall,
  FuturesMarginType,
  FuturesOrderRequest,
  FuturesPositionRisk,
  FuturesPremiumIndex,
  Instrument,
  Result,
  SymbolBrackets,
} from '../domain/index.js';
import type { GatewayFailure } from './gateway.js';

/**
 * The user data stream's life, as the gateway sees it: `ready` once a socket on a live listenKey is open; `renewing`
 * while a new key is asked for (the old one expired or was refused: events in between are lost, so reconcile over
 * REST when `ready` comes back); `failed` when a new key could not be had (nothing is retried: subscribe again to start over).
 */
export interface FuturesStreamState {
  readonly state: 'ready' | 'renewing' | 'failed';
  readonly reason: string;
  /** Local time, ms. */
  readonly time: number;
}

export interface FuturesVenueListener {
  onExecution(report: FuturesExecutionReport): void;
  /** ACCOUNT_UPDATE: fills (reason ORDER), funding settlements (FUNDING_FEE), margin type changes, transfers. */
  onAccountUpdate(update: FuturesAccountUpdate): void;
  onMarginCall(call: FuturesMarginCall): void;
  onStreamState?(state: FuturesStreamState): void;
}

export interface FuturesIncomeQuery {
  readonly symbol?: string;
  readonly incomeType?: Exclude<FuturesIncomeType, 'OTHER'>;
  readonly startTime?: number;
  readonly endTime?: number;
  /** Binance's default 100, at most 1000. */
  readonly limit?: number;
}

/**
 * The USD-M perpetual venue in one-way mode: Binance live, testnet or the sandbox. Failures are the spot port's four
 * kinds. Fills arrive through the listener (ORDER_TRADE_UPDATE), never only in an answer. Every symbol, asked or
 * reported, is the bot's name for the perpetual (`BTCUSDT.P`); a name without `.P` is refused (`NOT_PERPETUAL`).
 */
export interface FuturesGateway {
  readonly name: string;
  /** The venue's perpetuals, each with `market: 'usdm'`, tick, step and minimum notional. */
  instruments(): Promise<Result<readonly Instrument[], GatewayFailure>>;
  placeOrder(request: FuturesOrderRequest): Promise<Result<FuturesExecutionReport, GatewayFailure>>;
  cancelOrder(symbol: string, clientOrderId: string): Promise<Result<FuturesExecutionReport, GatewayFailure>>;
  /** Cancels every open order of the symbol. Binance answers only "done"; each order's CANCELED comes on the stream. */
  cancelAll(symbol: string): Promise<Result<void, GatewayFailure>>;
  /** Undefined when the venue has no such order. */
  getOrder(symbol: string, clientOrderId: string): Promise<Result<FuturesExecutionReport | undefined, GatewayFailure>>;
  openOrders(symbol?: string): Promise<Result<readonly FuturesExecutionReport[], GatewayFailure>>;
  /** One report per trade of the order (userTrades by its orderId), oldest first, with cumQty/cumQuote as of it. */
  orderTrades(symbol: string, clientOrderId: string): Promise<Result<readonly FuturesExecutionReport[], GatewayFailure>>;
  /** Positions with a non-zero amount (of the symbol, when given). */
  positions(symbol?: string): Promise<Result<readonly FuturesPositionRisk[], GatewayFailure>>;
  account(): Promise<Result<FuturesAccount, GatewayFailure>>;
  setLeverage(symbol: string, leverage: number): Promise<Result<{ leverage: number; maxNotionalValue: Fixed }, GatewayFailure>>;
  /** Already in that margin type (-4046) is success. */
  setMarginType(symbol: string, marginType: FuturesMarginType): Promise<Result<void, GatewayFailure>>;
  /** One-way mode, or a `HEDGE_MODE` rejection: the bot refuses to trade an account in hedge mode. */
  positionMode(): Promise<Result<'one-way', GatewayFailure>>;
  brackets(symbol?: string): Promise<Result<readonly SymbolBrackets[], GatewayFailure>>;
  commissionRate(symbol: string): Promise<Result<FuturesCommissionRates, GatewayFailure>>;
  income(query?: FuturesIncomeQuery): Promise<Result<readonly FuturesIncome[], GatewayFailure>>;
  premiumIndex(symbol: string): Promise<Result<FuturesPremiumIndex, GatewayFailure>>;
  /** The latest `limit` klines of the perpetual (`BTCUSDT.P`), oldest first, the one still open last. */
  candles(symbol: string, interval: string, query: { readonly limit: number }): Promise<Result<readonly Candle[], GatewayFailure>>;
  /**
   * GET /fapi/v1/fundingInfo: the funding interval in hours of each perpetual Binance lists (only those whose terms were
   * adjusted; any other settles every 8 h, facts D.6), by the bot's name (`BTCUSDT.P`).
   */
  fundingIntervals(): Promise<Result<ReadonlyMap<string, number>, GatewayFailure>>;
  /**
   * Dead man's switch: cancel every open order of the symbol unless this is called again within `countdownMs`
   * (0 disarms). Binance checks about every 10 s.
   */
  countdownCancelAll(symbol: string, countdownMs: number): Promise<Result<void, GatewayFailure>>;
  /** Starts the user data stream (one listenKey, renewed on expiry); returns the function that stops it. */
  subscribe(listener: FuturesVenueListener): () => void;
}
