import type { KillReceipt, OrderView, PositionView, StatusView, TradingServices } from '../chat/index.js';
import { type Fixed, ZERO, failure, format, gridIdOf, isBotOrder, ok } from '../domain/index.js';
import type { Clock } from '../engine/index.js';
import { buildGridPreview } from '../strategy/index.js';
import type { Engine } from './engine.js';
import { riskWarnings } from './preview-risk.js';

export interface ServicesOptions {
  readonly mode: string;
  readonly gridAmountQuote: Fixed;
  /** Wall time, for uptime; the engine's own clock is market time. */
  readonly wallClock: Clock;
  readonly startedAt: number;
}

/**
 * The chat's use cases over the engine's components. Reads are synchronous snapshots; the only awaits are on the
 * venue, for the kill switch's cancels, so the engine itself never waits on the chat.
 */
export function createTradingServices(engine: Engine, options: ServicesOptions): TradingServices {
  const { kernel, portfolio, market, grids, tracker, tradingState, instruments } = engine;
  const quoteAsset = portfolio.quoteAsset;

  const positions = (): PositionView[] => portfolio.positions().filter((p) => p.quantity !== ZERO || p.realizedPnl !== ZERO);

  const services: TradingServices = {
    quoteAsset,
    defaults: { gridAmountQuote: options.gridAmountQuote },

    symbols: () => [...instruments.keys()],

    async previewGrid(params) {
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
        makerFee: engine.fees.maker,
        takerFee: engine.fees.taker,
      });
      if (!preview.ok) return preview;
      if (preview.value.levels.length === 0) {
        const why = preview.value.warnings.map((w) => w.message).join(' ');
        return failure('EMPTY_GRID', `no level of this grid can be placed. ${why}`.trim());
      }
      const open = { onSymbol: tracker.openCount(params.symbol), total: tracker.openCount() };
      const extra = riskWarnings(preview.value, engine.limits, open);
      return extra.length === 0 ? preview : ok({ ...preview.value, warnings: [...preview.value.warnings, ...extra] });
    },

    async startGrid(preview) {
      if (tradingState.state() !== 'ACTIVE') {
        return failure('TRADING_NOT_ACTIVE', `trading is ${tradingState.state()}; send /resume before starting a grid`);
      }
      // A preview is a promise about prices: if the market has left the ladder's innermost levels, it no longer holds.
      const last = market.lastPrice(preview.params.symbol);
      const below = preview.levels.filter((l) => l.side === 'BUY').at(-1);
      const above = preview.levels.find((l) => l.side === 'SELL');
      if (last === undefined || (below && last <= below.price) || (above && last >= above.price)) {
        const now = last === undefined ? 'unknown' : format(last);
        return failure('PREVIEW_STALE', `the price moved to ${now}, outside the previewed ladder's first levels; send /grid again for a fresh preview`);
      }
      return grids.startGrid(preview);
    },

    async stopGrid(gridId) {
      return grids.stopGrid(gridId, 'user');
    },

    grids: () => grids.summaries(),
    positions,

    pnl() {
      const p = portfolio.pnl();
      return { realized: p.realized, unrealized: p.unrealized, fees: p.fees, today: p.today, grids: p.grids };
    },

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
      const now = kernel.clock.now();
      return {
        mode: options.mode,
        venue: engine.gateway.name,
        tradingState: tradingState.state(),
        uptimeMs: options.wallClock.now() - options.startedAt,
        markets: [...instruments.keys()].map((symbol) => {
          const seen = market.lastSeen(symbol);
          return seen ? { symbol, lastPrice: seen.price, lastTickAgeMs: Math.max(0, now - seen.time) } : { symbol };
        }),
        gridsRunning: grids.summaries().filter((g) => g.status !== 'stopped').length,
        openOrders: tracker.openCount(),
      };
    },

    async kill(): Promise<KillReceipt> {
      tradingState.set('HALTED', 'kill switch');
      // Taken before the grids stop: their cancels may settle at once, and the receipt must still count them.
      const tracked = tracker.open();
      const stopped = grids.stopAll('kill');
      const cancel = async (clientOrderId: string, symbol: string) => ({ clientOrderId, symbol, res: await engine.executor.cancel(symbol, clientOrderId) });
      // Asked for at once, so the cancels stopAll just sent are shared rather than sent twice.
      const pending = tracked.map((o) => cancel(o.intent.clientOrderId, o.intent.symbol));
      // The exchange is the truth: bot-prefixed orders open there that this process does not know are cancelled too.
      const known = new Set(tracked.map((o) => o.intent.clientOrderId));
      const venueOpen = await engine.gateway.openOrders();
      if (venueOpen.ok) {
        for (const o of venueOpen.value) if (isBotOrder(o.clientOrderId) && !known.has(o.clientOrderId)) pending.push(cancel(o.clientOrderId, o.symbol));
      }
      const canceled: KillReceipt['canceled'][number][] = [];
      const failed: KillReceipt['failed'][number][] = [];
      for (const { clientOrderId, symbol, res } of await Promise.all(pending)) {
        const ref = { clientOrderId, symbol };
        const status = tracker.get(clientOrderId)?.status;
        if (res.ok || status === 'canceled') canceled.push(ref);
        else if (status === 'filled') failed.push({ ...ref, reason: 'filled before the cancel arrived' });
        else failed.push({ ...ref, reason: res.error.message });
      }
      if (!venueOpen.ok) failed.push({ clientOrderId: '(all)', symbol: '*', reason: `could not list the exchange's open orders: ${venueOpen.error.message}` });
      return { canceled, failed, gridsStopped: stopped.gridIds, positions: positions().filter((p) => p.quantity !== ZERO) };
    },

    resume() {
      const from = tradingState.state();
      if (from === 'ACTIVE') return failure('ALREADY_ACTIVE', 'trading is already ACTIVE');
      tradingState.set('ACTIVE', 'resumed by the owner');
      return ok({ from, to: 'ACTIVE' as const });
    },
  };
  return services;
}
