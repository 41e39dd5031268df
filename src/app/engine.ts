import type { Balance, Fixed, Instrument } from '../domain/index.js';
import { type Clock, type IdSource, BusHost } from '../engine/index.js';
import type { ExchangeGateway } from '../exchange/index.js';
import { DirectExecutor, type Executor, type ExecutorLog, OrderTracker, Reconciler, VenueReports } from '../execution/index.js';
import { MarketWatch } from '../market/index.js';
import { Portfolio } from '../portfolio/index.js';
import { DailyLossGuard, FaultHalt, type RiskLimits, type RiskView, RiskGate, TradingStateMachine } from '../risk/index.js';
import { GridStrategy } from '../strategy/index.js';

/** Where the engine writes what went wrong: the executor's warnings, and a component's fault. */
export interface EngineLog extends ExecutorLog {
  error(obj: object, msg: string): void;
}

export interface EngineOptions<G extends ExchangeGateway> {
  readonly gateway: G;
  readonly instruments: readonly Instrument[];
  readonly fees: { readonly maker: Fixed; readonly taker: Fixed };
  readonly limits: RiskLimits;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly log: EngineLog;
  /** Clock time between routine REST reconciliations; 0 (the default) for a venue that cannot miss a report. */
  readonly reconcileEveryMs?: number;
  /** The order pipeline (BullMQ in the app); by default orders go straight to the gateway in process. */
  readonly executor?: Executor;
}

/** Every component of a running engine, for the services, the tests and the benchmarks to reach. */
export interface Engine<G extends ExchangeGateway = ExchangeGateway> {
  readonly kernel: BusHost;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly fees: { readonly maker: Fixed; readonly taker: Fixed };
  readonly limits: RiskLimits;
  readonly gateway: G;
  readonly tracker: OrderTracker;
  readonly executor: Executor;
  /** The user data stream on the bus; held at a restart while the missed trades are fetched. */
  readonly venueReports: VenueReports;
  /** Fetches over REST what the user data stream may have missed; runs by itself when market data resumes. */
  readonly reconciler: Reconciler;
  readonly market: MarketWatch;
  readonly portfolio: Portfolio;
  readonly tradingState: TradingStateMachine;
  readonly risk: RiskGate;
  readonly grids: GridStrategy;
  /** Subscribes to the venue and loads the starting balances. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The kernel: the same components whatever the venue (the in-process paper venue, the sandbox or Binance through the
 * adapter). Trade ticks arrive on the bus from whichever feed the caller runs.
 */
export function buildEngine<G extends ExchangeGateway>(o: EngineOptions<G>): Engine<G> {
  const kernel = new BusHost(o.clock, o.ids, (fault, error) => o.log.error({ err: error, component: fault.component, message: fault.messageType }, 'component faulted; trading halted'));
  const instruments = new Map(o.instruments.map((i) => [i.symbol, i]));
  const instrument = (symbol: string) => instruments.get(symbol);

  const market = new MarketWatch({ clock: o.clock });
  const tracker = new OrderTracker(instrument);
  const executor = o.executor ?? new DirectExecutor(o.gateway, o.log);
  const reconciler = new Reconciler(o.gateway, tracker, o.log, o.reconcileEveryMs ?? 0, o.executor === undefined);
  const portfolio = new Portfolio({ baseAssetOf: (symbol) => instruments.get(symbol)?.baseAsset, lastPrice: (symbol) => market.lastPrice(symbol) });
  const tradingState = new TradingStateMachine(kernel.bus, o.clock);
  const view: RiskView = {
    instrument,
    lastTrade: (symbol) => market.lastSeen(symbol),
    positionQty: (symbol) => portfolio.positionQty(symbol),
    freeBalance: (asset) => portfolio.freeBalance(asset),
    dailyPnl: () => portfolio.dailyPnl(),
    knowsOrder: (clientOrderId) => tracker.get(clientOrderId) !== undefined,
  };
  const risk = new RiskGate({ view, limits: o.limits, state: tradingState });
  const guard = new DailyLossGuard({ view, maxDailyLoss: o.limits.maxDailyLoss, state: tradingState });
  const grids = new GridStrategy({ instrument });
  const venueReports = new VenueReports(o.gateway);
  kernel.add(market).add(tracker).add(venueReports).add(executor).add(reconciler).add(portfolio).add(risk).add(guard).add(new FaultHalt(tradingState)).add(grids);
  kernel.assertWired();

  return {
    kernel,
    instruments,
    fees: o.fees,
    limits: o.limits,
    gateway: o.gateway,
    tracker,
    executor,
    venueReports,
    reconciler,
    market,
    portfolio,
    tradingState,
    risk,
    grids,
    async start() {
      await kernel.start();
      const balances = await o.gateway.balances();
      if (balances.ok) kernel.bus.publish({ type: 'BalancesReported', balances: balances.value as Balance[], time: o.clock.now() });
    },
    stop: () => kernel.stop(),
  };
}
