import type { Balance, Fixed, Instrument } from '../domain/index.js';
import { type Clock, type IdSource, Kernel, ManualClock } from '../engine/index.js';
import { PaperGateway } from '../exchange/paper/index.js';
import { DirectExecutor, type ExecutorLog, OrderTracker } from '../execution/index.js';
import { FeedPump, MarketWatch, type TickSource } from '../market/index.js';
import { Portfolio } from '../portfolio/index.js';
import { DailyLossGuard, type RiskLimits, type RiskView, RiskGate, TradingStateMachine } from '../risk/index.js';
import { GridStrategy } from '../strategy/index.js';

export interface PaperEngineOptions {
  readonly instruments: readonly Instrument[];
  readonly balances: Readonly<Record<string, Fixed>>;
  readonly fees: { readonly maker: Fixed; readonly taker: Fixed };
  readonly limits: RiskLimits;
  readonly source: TickSource;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly log: ExecutorLog;
}

/** Every component of a running engine, for the services, the tests and the benchmarks to reach. */
export interface PaperEngine {
  readonly kernel: Kernel;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly fees: { readonly maker: Fixed; readonly taker: Fixed };
  readonly limits: RiskLimits;
  readonly gateway: PaperGateway;
  readonly tracker: OrderTracker;
  readonly executor: DirectExecutor;
  readonly market: MarketWatch;
  readonly portfolio: Portfolio;
  readonly tradingState: TradingStateMachine;
  readonly risk: RiskGate;
  readonly grids: GridStrategy;
  readonly pump: FeedPump;
  /** Subscribes to the venue and loads the starting balances. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires the paper venue: the same components any venue gets, with the in-process paper gateway as the exchange.
 * The venue hears each trade first, so a resting order fills on the trade that crosses it, before strategies react.
 */
export function buildPaperEngine(o: PaperEngineOptions): PaperEngine {
  const kernel = new Kernel(o.clock, o.ids);
  const instruments = new Map(o.instruments.map((i) => [i.symbol, i]));
  const instrument = (symbol: string) => instruments.get(symbol);

  const gateway = new PaperGateway({
    instruments: o.instruments,
    startingBalances: o.balances,
    fees: { maker: o.fees.maker, taker: o.fees.taker },
    clock: o.clock,
  });
  kernel.bus.on('TradeTicked', (m) => gateway.onTrade(m.tick));

  const market = new MarketWatch({ clock: o.clock });
  const tracker = new OrderTracker(instrument);
  const executor = new DirectExecutor(gateway, o.log);
  const portfolio = new Portfolio({ baseAssetOf: (symbol) => instruments.get(symbol)?.baseAsset });
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
  kernel.add(market).add(tracker).add(executor).add(portfolio).add(risk).add(guard).add(grids);
  // A manual clock follows the tape (tests, replays, benchmarks); the app's wall clock runs on its own.
  const pump = new FeedPump(o.source, kernel.bus, o.clock instanceof ManualClock ? { clock: o.clock } : {});

  return {
    kernel,
    instruments,
    fees: o.fees,
    limits: o.limits,
    gateway,
    tracker,
    executor,
    market,
    portfolio,
    tradingState,
    risk,
    grids,
    pump,
    async start() {
      await kernel.start();
      const balances = await gateway.balances();
      if (balances.ok) kernel.bus.publish({ type: 'BalancesReported', balances: balances.value as Balance[], time: o.clock.now() });
    },
    async stop() {
      pump.stop();
      await kernel.stop();
    },
  };
}
