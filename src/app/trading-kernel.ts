import type { Redis } from 'ioredis';
import { type Balance, type Fixed, type Instrument, assetPriceIn } from '../domain/index.js';
import { BusHost, type Clock, type SequentialIds } from '../engine/index.js';
import type { ExchangeGateway, FuturesGateway } from '../exchange/index.js';
import {
  DirectExecutor,
  type Executor,
  type ExecutorLog,
  type FinishedOrderRetention,
  OrderTracker,
  Reconciler,
  SharedTradingState,
  type StateSaver,
  VenueReports,
} from '../execution/index.js';
import { CandleBook, type CandlesKept, MarketWatch } from '../market/index.js';
import { FuturesBook, Portfolio } from '../portfolio/index.js';
import { DailyLossGuard, FaultHalt, type RiskLimits, type RiskView, RiskGate, TradingStateMachine } from '../risk/index.js';
import { BotStateStore, type FillJournalRetention } from '../store/index.js';
import { GridStrategy } from '../strategy/index.js';
import type { Config } from './config.js';

/** Where the kernel writes what went wrong: the executor's warnings, and a component's fault. */
export interface KernelLog extends ExecutorLog {
  error(obj: object, msg: string): void;
}

export interface TradingKernelOptions<G extends ExchangeGateway> {
  readonly gateway: G;
  readonly instruments: readonly Instrument[];
  readonly fees: { readonly maker: Fixed; readonly taker: Fixed };
  readonly limits: RiskLimits;
  readonly clock: Clock;
  readonly ids: SequentialIds;
  readonly log: KernelLog;
  /** Clock time between routine REST reconciliations; 0 (the default) for a venue that cannot miss a report. */
  readonly reconcileEveryMs?: number;
  /** Redis: the state store and the trading state every worker reads. Without it nothing outlives the process. */
  readonly persistence?: { readonly redis: Redis; readonly prefix: string };
  /**
   * Makes the order pipeline (BullMQ in the app) on the bot's state store (`state`): the pipeline saves the state before
   * it enqueues, or grants a placement in the state's own transaction. By default orders go straight to the gateway in
   * process.
   */
  readonly executor?: (state: StateSaver) => Executor;
  /** How long finished orders and fills stay (FINISHED_ORDERS_KEEP_*, FILLS_KEEP_*); by default the settings' defaults. */
  readonly retention?: HistoryRetention;
  /** The USD-M venue (venue.futures) when FUTURES_SYMBOLS lists perpetuals: the futures book reconciles with it. */
  readonly futures?: FuturesGateway;
  /** Closed candles kept per symbol and interval (in memory and in the Redis copy); by default the book's. */
  readonly candlesKept?: CandlesKept;
}

/** The bounds on the history the kernel keeps, in memory and in Redis. */
export interface HistoryRetention {
  readonly finishedOrders: FinishedOrderRetention;
  readonly fills: FillJournalRetention;
}

const DAY_MS = 86_400_000;

/** A kernel without Redis saves nothing: its pipeline's transactions never run, so nothing rides on them. */
const UNSAVED: StateSaver = { commit: () => Promise.resolve(), commitWith: () => Promise.resolve(undefined) };

/** The bounds the settings give. */
export function historyRetentionOf(config: Config): HistoryRetention {
  return {
    finishedOrders: { maxAgeMs: Math.round(config.FINISHED_ORDERS_KEEP_DAYS * DAY_MS), maxCount: config.FINISHED_ORDERS_KEEP_MAX },
    fills: { maxAgeMs: Math.round(config.FILLS_KEEP_DAYS * DAY_MS), maxCount: config.FILLS_KEEP_MAX },
  };
}

/** Every component of a running trading kernel, for the services, the tests and the benchmarks to reach. */
export interface TradingKernel<G extends ExchangeGateway = ExchangeGateway> {
  /** The bus host: the message bus, the components on it and their states. */
  readonly host: BusHost;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly fees: { readonly maker: Fixed; readonly taker: Fixed };
  readonly limits: RiskLimits;
  readonly gateway: G;
  readonly ids: SequentialIds;
  readonly tracker: OrderTracker;
  readonly executor: Executor;
  /** The user data stream on the bus; held at a restart while the missed trades are fetched. */
  readonly venueReports: VenueReports;
  /** Fetches over REST what the user data stream may have missed; runs by itself when market data resumes. */
  readonly reconciler: Reconciler;
  readonly market: MarketWatch;
  /** Candles per symbol from the trade feed (charts, indicators), backfilled at start from the exchange's klines. */
  readonly candles: CandleBook;
  readonly portfolio: Portfolio;
  /** The USD-M positions, funding and margin (always there; without a futures venue it holds nothing). */
  readonly futuresBook: FuturesBook;
  /** The USD-M venue, when the bot trades perpetuals. */
  readonly futures?: FuturesGateway;
  readonly tradingState: TradingStateMachine;
  readonly risk: RiskGate;
  readonly grids: GridStrategy;
  /** With persistence: the bot's state in Redis, and the trading state mirrored where every worker reads it. */
  readonly store?: BotStateStore;
  readonly shared?: SharedTradingState;
  /** Subscribes to the venue and loads the starting balances. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The trading kernel: the same components whatever the venue (the in-process paper venue, the sandbox or Binance through
 * the adapter), built in the order they need each other and added to the bus host in the order they hear messages.
 * Trade ticks arrive on the bus from whichever feed the caller runs.
 */
export function buildTradingKernel<G extends ExchangeGateway>(o: TradingKernelOptions<G>): TradingKernel<G> {
  const host = new BusHost(o.clock, o.ids, (fault, error) =>
    o.log.error({ err: error, component: fault.component, message: fault.messageType }, 'component faulted; trading halted'),
  );
  const instruments = new Map(o.instruments.map((i) => [i.symbol, i]));
  const instrument = (symbol: string) => instruments.get(symbol);

  const market = new MarketWatch({ clock: o.clock });
  const candles = new CandleBook(o.candlesKept);
  // A fee in a third asset (BNB) is valued from the watched markets: list BNBUSDT (or a cross) in MARKET_SYMBOLS.
  const priceOf = (asset: string, quote: string) => assetPriceIn(asset, quote, instruments.values(), (s) => market.lastPrice(s));
  const tracker = new OrderTracker(instrument, priceOf, o.retention?.finishedOrders);
  const portfolio = new Portfolio({
    baseAssetOf: (symbol) => instruments.get(symbol)?.baseAsset,
    lastPrice: (symbol) => market.lastPrice(symbol),
    priceOf,
  });
  const futuresBook = new FuturesBook({
    ...(o.futures ? { gateway: o.futures } : {}),
    openOrders: () => tracker.open(),
    log: o.log,
  });
  const tradingState = new TradingStateMachine(host.bus, o.clock);
  const view: RiskView = {
    instrument,
    // Read at once by the gate and never kept: the live entry, not a copy per order.
    lastTrade: (symbol) => market.live(symbol),
    positionQty: (symbol) => portfolio.positionQty(symbol),
    freeBalance: (asset) => portfolio.freeBalance(asset),
    // The daily loss limit watches spot and USD-M together, both in the quote asset.
    dailyPnl: () => portfolio.dailyPnl() + futuresBook.dailyPnl(),
    knowsOrder: (clientOrderId) => tracker.get(clientOrderId) !== undefined,
    openOrders: () => tracker.open(),
    ...(o.futures ? { futures: futuresBook } : {}),
  };
  const risk = new RiskGate({ view, limits: o.limits, state: tradingState });
  const guard = new DailyLossGuard({ view, maxDailyLoss: o.limits.maxDailyLoss, state: tradingState });
  const grids = new GridStrategy({
    instrument,
    profitOf: (gridId) => portfolio.gridProfit(gridId),
    makerFee: o.fees.maker,
    lastPrice: (symbol) => market.lastPrice(symbol),
    intentOf: (clientOrderId) => tracker.get(clientOrderId)?.intent,
  });
  const p = o.persistence;
  const store =
    p &&
    new BotStateStore({
      redis: p.redis,
      prefix: p.prefix,
      parts: { tracker, grids, portfolio, futuresBook, ids: o.ids, tradingState, risk },
      log: o.log,
      ...(o.retention ? { fills: o.retention.fills } : {}),
    });
  const shared = p && new SharedTradingState(p.redis, p.prefix);
  const executor = o.executor ? o.executor(store ?? UNSAVED) : new DirectExecutor(o.gateway, o.log);
  const reconciler = new Reconciler(o.gateway, tracker, o.log, o.reconcileEveryMs ?? 0, o.executor === undefined);
  // A gap in the USD-M user stream lost its events: positions and wallet are read again, the orders reconciled (their
  // missed fills booked), and only then does the venue's word settle what the fills did not explain.
  const resyncFutures = async (): Promise<void> => {
    await futuresBook.reconcile();
    await reconciler.reconcile();
    futuresBook.settleVenue("the venue's position after the futures user stream came back");
  };
  const venueReports = new VenueReports(
    o.gateway,
    () => void resyncFutures().catch((error: unknown) => o.log.error({ error }, 'futures: resync after a stream gap failed')),
  );
  for (const c of [
    market,
    candles,
    tracker,
    venueReports,
    executor,
    reconciler,
    portfolio,
    futuresBook,
    risk,
    guard,
    new FaultHalt(tradingState),
    grids,
  ])
    host.add(c);
  if (shared && store) host.add(shared).add(store);
  host.assertWired();

  return {
    host,
    instruments,
    fees: o.fees,
    limits: o.limits,
    gateway: o.gateway,
    ids: o.ids,
    tracker,
    executor,
    venueReports,
    reconciler,
    market,
    candles,
    portfolio,
    futuresBook,
    ...(o.futures ? { futures: o.futures } : {}),
    tradingState,
    risk,
    grids,
    ...(store && shared ? { store, shared } : {}),
    async start() {
      await host.start();
      const balances = await o.gateway.balances();
      if (balances.ok) host.bus.publish({ type: 'BalancesReported', balances: balances.value as Balance[], time: o.clock.now() });
    },
    stop: () => host.stop(),
  };
}

/** The risk limits the settings give; `staleAfterMs` is the stale-data rule fitted to the venue (stale-limits.ts). */
export function riskLimitsOf(config: Config, staleAfterMs: number): RiskLimits {
  return {
    maxOrderNotional: config.RISK_MAX_ORDER_NOTIONAL,
    maxOpenOrdersPerSymbol: config.RISK_MAX_OPEN_ORDERS_PER_SYMBOL,
    maxOpenOrdersTotal: config.RISK_MAX_OPEN_ORDERS_TOTAL,
    maxPositionNotional: config.RISK_MAX_POSITION_NOTIONAL,
    priceBandPct: config.RISK_PRICE_BAND_PCT,
    staleAfterMs,
    maxDailyLoss: config.RISK_MAX_DAILY_LOSS,
    maxLeverage: config.RISK_MAX_LEVERAGE,
    minLiquidationDistancePct: config.RISK_MIN_LIQUIDATION_DISTANCE_PCT,
  };
}
