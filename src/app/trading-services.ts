import type { DeadmanView, KillReceipt, LimitsView, OrderView, PositionView, StatusView, TradingServices } from '../chat/index.js';
import { type Fixed, ZERO, failure, format, gridIdOf, isBotOrder, isTerminal, manualOrderId, ok, roundQuantity } from '../domain/index.js';
import type { CancelOutcome } from '../execution/index.js';
import type { Clock } from '../engine/index.js';
import { buildGridPreview } from '../strategy/index.js';
import type { TradingKernel } from './trading-kernel.js';
import { riskWarnings } from './preview-risk.js';

export interface ServicesOptions {
  readonly mode: string;
  readonly gridAmountQuote: Fixed;
  /** Wall time, for uptime; the kernel's clock is market time in replays. */
  readonly wallClock: Clock;
  readonly startedAt: number;
  /** The order pipeline's kill-switch controls; without them (in-process venue) the kill asks the gateway directly. */
  readonly control?: KillControl;
  /** The dead-man's switch (app/deadman DeadmanSetting); without it (no lease, as in tests) it reads off and cannot be set. */
  readonly deadman?: { view(): DeadmanView; set: TradingServices['setDeadman'] };
  /** The rate budget, the queues and the outbox as `/limits` shows them (app/ops); without it only an explanation. */
  readonly limits?: () => Promise<LimitsView>;
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

/** What the kill switch needs from the order pipeline. */
interface KillControl {
  /** Writes HALTED where every process's workers read it; resolves once it is there. */
  haltNow(): Promise<void>;
  /** Resolves once the bot's current trading state is visible to every process's workers. */
  haltPublished(): Promise<void>;
  /** Removes queued placements and waits for those in flight; returns the client order ids removed. */
  dropPlacements(waitMs: number): Promise<readonly string[]>;
  /** Cancels every bot order the exchange lists on the symbol. */
  sweep(symbol: string): Promise<CancelOutcome>;
}

/** How long the kill switch waits for placements already in flight, and for each flattening order. */
const KILL_WAIT_MS = 10_000;
/** How long the kill switch waits for Redis before it acts on the exchange directly. */
const REDIS_WAIT_MS = 2_000;

/** True when `p` settles within `ms`. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The chat's use cases over the trading kernel's components. Reads are synchronous snapshots; the only awaits are on the
 * venue, for the kill switch's cancels, so the kernel itself never waits on the chat.
 */
export function createTradingServices(kernel: TradingKernel, options: ServicesOptions): TradingServices {
  const { host, portfolio, market, grids, tracker, tradingState, instruments } = kernel;
  const quoteAsset = portfolio.quoteAsset;

  const control = options.control;

  /** A cancel sent to the exchange without the queue (Redis down): its answer goes on the bus like any other. */
  const cancelDirect = async (symbol: string, clientOrderId: string): Promise<CancelOutcome> => {
    const res = await kernel.gateway.cancelOrder(symbol, clientOrderId);
    if (!res.ok) return { ok: false, reason: `${res.error.code}: ${res.error.message}` };
    host.bus.publish({ type: 'OrderReported', report: res.value });
    return { ok: true, reports: [res.value] };
  };

  /**
   * Sells (or buys back) every open position at market after the cancels, under REDUCING: the only state in which the
   * risk gate and the workers let an order through that shrinks a position and nothing else. HALTED again afterwards.
   */
  const flattenPositions = async (): Promise<KillReceipt['flattened'][number][]> => {
    const out: KillReceipt['flattened'][number][] = [];
    const sent: Array<{ id: string; symbol: string; side: 'BUY' | 'SELL'; quantity: Fixed }> = [];
    tradingState.set('REDUCING', 'kill switch: flattening positions');
    await control?.haltPublished();
    for (const p of positions()) {
      const inst = instruments.get(p.symbol);
      if (!inst || p.quantity === ZERO) continue;
      const side = p.quantity > ZERO ? ('SELL' as const) : ('BUY' as const);
      const quantity = roundQuantity(inst, p.quantity > ZERO ? p.quantity : -p.quantity, 'MARKET');
      if (quantity === ZERO) {
        out.push({ symbol: p.symbol, side, quantity, outcome: "below the symbol's lot step; left as it is" });
        continue;
      }
      const id = manualOrderId(host.ids.next('F'), side);
      sent.push({ id, symbol: p.symbol, side, quantity });
      host.bus.send({
        type: 'SubmitOrder',
        intent: { clientOrderId: id, symbol: p.symbol, side, type: 'MARKET', quantity, owner: { kind: 'manual' }, reducesPosition: true },
      });
    }
    const deadline = options.wallClock.now() + KILL_WAIT_MS;
    const done = () =>
      sent.every((o) => {
        const s = tracker.get(o.id)?.status;
        return s === undefined || isTerminal(s);
      });
    while (!done() && options.wallClock.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const o of sent) {
      const rec = tracker.get(o.id);
      const outcome =
        rec === undefined
          ? 'refused by the risk gate'
          : rec.status === 'filled'
            ? `filled ${format(rec.filledQty)}`
            : `${rec.status}${rec.reason ? `: ${rec.reason}` : ''}`;
      out.push({ symbol: o.symbol, side: o.side, quantity: o.quantity, outcome });
    }
    tradingState.set('HALTED', 'kill switch: positions flattened');
    await control?.haltPublished();
    return out;
  };

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
        return failure(
          'PREVIEW_STALE',
          `the price moved to ${now}, outside the previewed ladder's first levels; send /grid again for a fresh preview`,
        );
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

    async kill({ flatten }): Promise<KillReceipt> {
      // In force in Redis first, for every process's workers; then announced here. Nothing granted after this write is
      // placed, and the queue is emptied only once it holds.
      // If Redis does not answer, the kill must not wait for it: the exchange is asked directly instead (no worker can
      // place meanwhile either, since every placement pays its budget in Redis first).
      const queue = control && (await within(control.haltNow(), REDIS_WAIT_MS)) ? control : undefined;
      tradingState.set('HALTED', flatten ? 'kill switch (flatten)' : 'kill switch');
      if (queue) await queue.haltPublished();
      const dropped = queue ? await queue.dropPlacements(KILL_WAIT_MS) : [];
      // Taken before the grids stop: their cancels may settle at once, and the receipt must still count them.
      const tracked = tracker.open();
      const stopped = grids.stopAll('kill');
      const outcomes = new Map<string, { symbol: string; outcome: Promise<CancelOutcome> }>();
      const cancel = (clientOrderId: string, symbol: string) => {
        if (outcomes.has(clientOrderId)) return;
        outcomes.set(clientOrderId, {
          symbol,
          outcome: queue || !control ? kernel.executor.cancel(symbol, clientOrderId) : cancelDirect(symbol, clientOrderId),
        });
      };
      // Asked for at once, so the cancels stopAll just sent are shared rather than sent twice.
      for (const o of tracked) if (!isTerminal(o.status) && o.status !== 'rejected') cancel(o.intent.clientOrderId, o.intent.symbol);
      const failed: KillReceipt['failed'][number][] = [];
      /** Symbols whose bot orders the exchange listed and cancelled after the halt was in force everywhere. */
      const sweptClean = new Set<string>();
      /** Placements still waiting (a 429 pause, a slow worker) that the exchange has not got: the halt refuses them. */
      let notPlaced = 0;
      // The exchange is the truth: bot-prefixed orders open there that this process does not know are cancelled too.
      if (control && !queue)
        failed.push({
          clientOrderId: '(queue)',
          symbol: '*',
          reason: 'Redis did not answer: cancels went straight to the exchange, and queued placements stay refused when Redis is back',
        });
      if (queue) {
        await Promise.all([...outcomes.values()].map((o) => o.outcome));
        const sweeps = await Promise.all([...instruments.keys()].map(async (symbol) => ({ symbol, res: await queue.sweep(symbol) })));
        for (const { symbol, res } of sweeps) {
          if (res.ok) sweptClean.add(symbol);
          if (!res.ok)
            failed.push({ clientOrderId: '(sweep)', symbol, reason: `could not list or cancel the exchange's open orders: ${res.reason}` });
          else
            for (const r of res.reports)
              if (!outcomes.has(r.clientOrderId))
                outcomes.set(r.clientOrderId, { symbol, outcome: Promise.resolve({ ok: true, reports: [r] }) });
        }
      } else {
        const venueOpen = await kernel.gateway.openOrders();
        if (venueOpen.ok) {
          for (const o of venueOpen.value) if (isBotOrder(o.clientOrderId)) cancel(o.clientOrderId, o.symbol);
        } else {
          failed.push({
            clientOrderId: '(all)',
            symbol: '*',
            reason: `could not list the exchange's open orders: ${venueOpen.error.message}`,
          });
        }
      }
      const canceled: KillReceipt['canceled'][number][] = [];
      for (const [clientOrderId, { symbol, outcome }] of outcomes) {
        const res = await outcome;
        const ref = { clientOrderId, symbol };
        const status = tracker.get(clientOrderId)?.status;
        if (status === 'filled') failed.push({ ...ref, reason: 'filled before the cancel arrived' });
        else if (status === 'rejected' || status === 'expired')
          continue; // never reached the book: nothing to cancel
        else if (res.ok || status === 'canceled') canceled.push(ref);
        // Sent to the queue, never acknowledged, not on the book at the sweep, and HALTED is in force in every worker's
        // budget script: its job, whenever it runs, is refused. It is a dropped placement, not a live order.
        else if (isUnacknowledged(status) && sweptClean.has(symbol)) notPlaced++;
        else failed.push({ ...ref, reason: res.reason });
      }
      const flattened = flatten && (queue || !control) ? await flattenPositions() : [];
      return {
        canceled,
        failed,
        placementsDropped: dropped.length + notPlaced,
        gridsStopped: stopped.gridIds,
        flattened,
        positions: positions().filter((p) => p.quantity !== ZERO),
      };
    },

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

/** Sent, and not yet on the book as far as the bot has heard: the placement is still in flight or its fate is unknown. */
function isUnacknowledged(status: string | undefined): boolean {
  return status === 'new' || status === 'unknown';
}
