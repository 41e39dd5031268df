import type { DeadmanView, GridPnlView, LimitsView, OrderView, PositionView, StatusView, TradingServices } from '../chat/index.js';
import type { GridPnl } from '../portfolio/index.js';
import { type Fixed, type Result, ZERO, failure, format, gridIdOf, isPerpetual, ok } from '../domain/index.js';
import type { Clock } from '../engine/index.js';
import { type KillSwitchOptions, killSwitch } from './kill-switch.js';
import { type GridParams, type GridPreview, buildGridPreview } from '../strategy/index.js';
import type { TradingKernel } from './trading-kernel.js';
import { riskWarnings } from './preview-risk.js';
import { futuresViews, prepareFuturesGrid, previewFuturesGrid } from './futures-services.js';
import { marketViews, resolveAuto, volatilityFor } from './market-views.js';
import { chartViews } from './chart-views.js';
import { type BacktestSetup, backtestViews } from './backtest-views.js';

export interface ServicesOptions {
  readonly mode: string;
  readonly gridAmountQuote: Fixed;
  /** Wall time, for uptime; the kernel's clock is market time in replays. */
  readonly wallClock: Clock;
  readonly startedAt: number;
  /** The kill switch's hold on the order pipeline, its receipt's bound and its voice. */
  readonly kill: KillSwitchOptions;
  /** The dead-man's switch (app/deadman DeadmanSetting); without it (no lease, as in tests) it reads off and cannot be set. */
  readonly deadman?: { view(): DeadmanView; set: TradingServices['setDeadman'] };
  /** The rate budget, the queues and the outbox as `/limits` shows them (app/ops); without it only an explanation. */
  readonly limits?: () => Promise<LimitsView>;
  /** `/backtest`: the history folder and how long a command waits before it shows progress; without it, no backtests. */
  readonly backtest?: BacktestSetup;
}

/** The portfolio's figures for one grid, as the chat reads them. */
function gridPnlView(g: GridPnl): GridPnlView {
  const { gridProfit, floatingPnl, totalPnl, aprPct, investment, startPrice, base, mark, unvaluedFees } = g;
  return {
    gridProfit,
    ...(floatingPnl !== undefined ? { floatingPnl } : {}),
    ...(totalPnl !== undefined ? { totalPnl } : {}),
    ...(aprPct !== undefined ? { aprPct } : {}),
    ...(investment !== undefined ? { investment } : {}),
    ...(startPrice !== undefined ? { startPrice } : {}),
    ...(base !== undefined ? { base } : {}),
    ...(mark !== undefined ? { mark } : {}),
    ...(unvaluedFees !== undefined ? { unvaluedFees } : {}),
  };
}

const NO_DEADMAN: DeadmanView = { afterSeconds: 0, source: 'setting', minSeconds: 0, maxSeconds: 0 };

/** `/limits` on a kernel without the order pipeline (the in-process venue): nothing is queued or rate-limited there. */
const NO_LIMITS: LimitsView = {
  rules: [],
  pausedForMs: 0,
  rateLimited: { count: 0 },
  queues: [],
  unavailable: ['this bot places orders in process: there is no shared rate budget or order queue to show'],
};

/**
 * The chat's use cases over the trading kernel's components. Reads are synchronous snapshots; the kill switch (its own
 * file) answers once trading is halted and works the exchange on its own, so the kernel never waits on the chat.
 */
export function createTradingServices(kernel: TradingKernel, options: ServicesOptions): TradingServices {
  const { host, portfolio, market, grids, tracker, tradingState, instruments } = kernel;
  const quoteAsset = portfolio.quoteAsset;

  const positions = (): PositionView[] => portfolio.positions().filter((p) => p.quantity !== ZERO || p.realizedPnl !== ZERO);

  /** A spot grid's preview on the market now, with the risk gate's limits as warnings. */
  const previewSpot = async (params: GridParams): Promise<Result<GridPreview>> => {
    const instrument = instruments.get(params.symbol);
    if (!instrument) return failure('UNKNOWN_SYMBOL', `unknown symbol ${params.symbol}`);
    const referencePrice = market.lastPrice(params.symbol);
    if (referencePrice === undefined) return failure('NO_MARKET_DATA', `no trade seen on ${params.symbol} yet; try again in a moment`);
    const preview = buildGridPreview({
      params,
      instrument,
      referencePrice,
      baseFree: portfolio.freeBalance(instrument.baseAsset),
      quoteFree: portfolio.freeBalance(instrument.quoteAsset),
      makerFee: kernel.fees.maker,
      takerFee: kernel.fees.taker,
    });
    if (!preview.ok) return preview;
    if (preview.value.levels.length === 0) {
      const why = preview.value.warnings.map((w) => w.message).join(' ');
      return failure('EMPTY_GRID', `no level of this grid can be placed. ${why}`.trim());
    }
    const open = { onSymbol: tracker.openCount(params.symbol), total: tracker.openCount() };
    const extra = riskWarnings(preview.value, kernel.limits, open);
    return extra.length === 0 ? preview : ok({ ...preview.value, warnings: [...preview.value.warnings, ...extra] });
  };

  const services: TradingServices = {
    quoteAsset,
    defaults: { gridAmountQuote: options.gridAmountQuote },

    symbols: () => [...instruments.keys()],

    instrumentOf(symbol) {
      const i = instruments.get(symbol);
      if (i === undefined) return undefined;
      const { baseAsset, quoteAsset: quote, filters } = i;
      return { symbol, baseAsset, quoteAsset: quote, tickSize: filters.priceFilter.tickSize, stepSize: filters.lotSize.stepSize };
    },

    async previewGrid(asked) {
      const resolved = await resolveAuto(kernel, asked);
      if (!resolved.ok) return resolved;
      const { params, auto } = resolved.value;
      const built = params.futures !== undefined ? await previewFuturesGrid(kernel, params) : await previewSpot(params);
      if (!built.ok) return built;
      // The hourly volatility beside the ladder; a market without a day of hours yet shows none (an auto grid says why).
      const { symbol, levels } = built.value.params;
      const advice = await volatilityFor(kernel, symbol, built.value.referencePrice, levels);
      if (!advice.ok && auto === undefined) return built;
      const line = advice.ok ? advice.value.line : `no volatility line: ${advice.error.message}`;
      return ok({ ...built.value, volatility: { line, ...(auto !== undefined ? { auto } : {}) } });
    },

    async startGrid(preview) {
      if (tradingState.state() !== 'ACTIVE') {
        return failure('TRADING_NOT_ACTIVE', `trading is ${tradingState.state()}; send /resume before starting a grid`);
      }
      // A preview is a promise about prices: if the market has left the ladder's innermost levels, it no longer holds.
      const last = market.lastPrice(preview.params.symbol);
      const below = preview.levels.filter((l) => l.side === 'BUY').at(-1);
      const above = preview.levels.find((l) => l.side === 'SELL');
      // A grid waiting for its trigger is priced at the trigger, not at the market: it is placed when the market gets there.
      const waits = preview.params.trigger !== undefined;
      if (last === undefined || (!waits && ((below && last <= below.price) || (above && last >= above.price)))) {
        const now = last === undefined ? 'unknown' : format(last);
        return failure(
          'PREVIEW_STALE',
          `the price moved to ${now}, outside the previewed ladder's first levels; send /grid again for a fresh preview`,
        );
      }
      // A futures grid: the venue takes the previewed leverage and margin type before any order goes.
      const prepared = await prepareFuturesGrid(kernel, preview);
      if (!prepared.ok) return prepared;
      return grids.startGrid(preview);
    },

    async stopGrid(gridId) {
      return grids.stopGrid(gridId, 'user');
    },

    grids: () =>
      grids.summaries().map((g) => {
        const pnl = portfolio.gridPnl(g.gridId);
        return pnl === undefined ? g : { ...g, pnl: gridPnlView(pnl) };
      }),
    positions,

    pnl() {
      const p = portfolio.pnl();
      // Every grid with books, round trips or not yet: a grid with none still has floating PnL.
      const shown = portfolio
        .gridPnls()
        .filter((g) => !(kernel.futures !== undefined && isPerpetual(g.symbol)))
        .map((g) => ({
          gridId: g.gridId,
          symbol: g.symbol,
          roundTrips: g.roundTrips,
          profit: g.gridProfit,
          pnl: gridPnlView(g),
        }));
      return { realized: p.realized, unrealized: p.unrealized, fees: p.fees, today: p.today, grids: shown, feesByAsset: p.feesByAsset };
    },

    ...futuresViews(kernel),
    ...marketViews(kernel),
    ...chartViews(kernel),
    ...(options.backtest !== undefined ? backtestViews(kernel, options.backtest) : {}),

    balances: () => portfolio.balances(),

    openOrders(): OrderView[] {
      return tracker.open().map((o) => ({
        clientOrderId: o.intent.clientOrderId,
        symbol: o.intent.symbol,
        side: o.intent.side,
        type: o.intent.type,
        price: o.intent.price,
        quantity: o.intent.quantity,
        filledQty: o.filledQty,
        status: o.status,
        gridId: gridIdOf(o.intent.clientOrderId),
      }));
    },

    status(): StatusView {
      const now = host.clock.now();
      return {
        mode: options.mode,
        venue: kernel.gateway.name,
        tradingState: tradingState.state(),
        uptimeMs: options.wallClock.now() - options.startedAt,
        markets: [...instruments.keys()].map((symbol) => {
          const seen = market.lastSeen(symbol);
          return seen ? { symbol, lastPrice: seen.price, lastTickAgeMs: Math.max(0, now - seen.receivedAt) } : { symbol };
        }),
        gridsRunning: grids.summaries().filter((g) => g.status !== 'stopped').length,
        openOrders: tracker.openCount(),
      };
    },

    kill: killSwitch(kernel, options.kill),

    resume() {
      const from = tradingState.state();
      if (from === 'ACTIVE') return failure('ALREADY_ACTIVE', 'trading is already ACTIVE');
      // A faulted component may hold half-changed state: only a restart (which reloads and reconciles) clears it.
      const fault = host.faulted()[0];
      if (fault)
        return failure(
          'COMPONENT_FAULTED',
          `${fault.component} failed on ${fault.messageType} (${fault.error}); trading stays halted until telegrid restarts`,
        );
      tradingState.set('ACTIVE', 'resumed by the owner');
      return ok({ from, to: 'ACTIVE' as const });
    },

    deadman: () => options.deadman?.view() ?? NO_DEADMAN,
    setDeadman: async (seconds) =>
      options.deadman ? options.deadman.set(seconds) : failure('NO_DEADMAN', "this bot has no Redis lease, so no dead-man's switch"),
    limits: () => options.limits?.() ?? Promise.resolve(NO_LIMITS),
  };
  return services;
}
