import { type ExecutionReport, type OrderRecord, type Result, failure, isBotOrder, ok } from '../domain/index.js';
import type { BinanceGateway } from '../exchange/binance/index.js';
import type { MarketRouter } from '../exchange/routing/index.js';
import { type QueueExecutor, intentOfReport, isUnanswered, orderSentOf, requeuePlacements } from '../execution/index.js';
import type { BinanceTradeFeed } from '../market/index.js';
import type { BotStateStore } from '../store/index.js';
import type { TradingKernel } from './trading-kernel.js';

export type OrphanPolicy = 'adopt' | 'cancel';

export interface RecoveryReport {
  readonly restoredGrids: number;
  readonly restoredOpenOrders: number;
  readonly fillsBooked: number;
  readonly ordersPlaced: number;
  readonly placementsResumed: number;
  readonly orphans: readonly string[];
  readonly orphanPolicy: OrphanPolicy;
  /** Wall time of each step of the sequence, ms, for the start-up log line (what a slow restart spent its time on). */
  readonly stagesMs: RestartStages;
}

/** The steps of `bringUp` that cost time, in order; `prices` is the wait for a first trade on every symbol (bounded). */
interface RestartStages {
  readonly restore: number;
  readonly start: number;
  readonly prices: number;
  readonly collect: number;
  readonly requeue: number;
  readonly orphans: number;
  readonly save: number;
}

/** The persistent kernel the sequence runs on: the app's, with its store and shared trading state. */
export type PersistentKernel = TradingKernel<MarketRouter<BinanceGateway>> & {
  readonly store: BotStateStore;
  readonly shared: NonNullable<TradingKernel['shared']>;
};

/** How long a restart waits for a trade on each symbol before reconciling (a quiet market must not stall the start). */
const PRICE_WAIT_MS = 5_000;

/**
 * Brings the kernel up, a first start and a restart alike, and catches what Redis held up with the exchange, which is the
 * truth. Read top to bottom: restore, hold the streams, start, feed, collect what happened while down, merge it with the
 * held stream in the exchange's order, queue again what never reached the exchange, settle orphans, save, report.
 * On a failure before anything started, nothing is left running.
 */
export async function bringUp(
  kernel: PersistentKernel,
  feed: BinanceTradeFeed,
  executor: QueueExecutor,
  orphans: OrphanPolicy,
): Promise<Result<RecoveryReport>> {
  const { store, shared, tracker, grids, gateway } = kernel;
  const lap = stopwatch();

  // 1. What a previous run left in Redis, refused whole if any document is damaged (nothing has traded yet).
  const stored = await store.load();
  if (!stored.ok) return stored;
  if (stored.value) {
    const restored = store.restore(stored.value);
    if (!restored.ok) return restored;
  } else {
    store.markAll();
  }
  const restoredGrids = grids.summaries().filter((g) => g.status !== 'stopped').length;
  const restoredOpenOrders = tracker.openCount();
  // The placements the last run sent and never heard back about. Re-arms sent below, for fills found while catching
  // up, are `new` too, but the executor queues those itself: queueing them again would only ask the queue about each,
  // count them as resumed, and cost a second reconciliation pass.
  const unanswered = new Set(
    tracker
      .open()
      .filter(isUnanswered)
      .map((r) => r.intent.clientOrderId),
  );
  const restore = lap();

  // 2. The user stream is held, and the reconciler's own passes suspended, until what was missed is merged below.
  kernel.venueReports.hold();
  kernel.reconciler.suspend();

  // 3. Start; the trading state restored (a HALTED kept across a restart stays HALTED) is what every worker must see.
  await kernel.start();
  await shared.write(kernel.tradingState.state());
  const ready = await gateway.userStreamReady();
  if (!ready.ok) {
    // The kernel holds the user-stream subscription: stop it too, or its socket keeps the process alive retrying.
    await kernel.stop();
    return failure(ready.error.code, `the exchange refused the user data stream: ${ready.error.message}`);
  }
  const start = lap();

  // 4. The market first: fills booked below re-arm grids, and the risk gate prices those orders on it.
  await feed.start();
  if (stored.value && tracker.openCount() > 0)
    await firstTrades(kernel, symbolsToPrice(tracker.open(), grids.summaries(), feed.symbols), PRICE_WAIT_MS);
  const prices = lap();

  // 5. Counted from here, so what the held stream brings is counted too (re-arms are grid orders; an adopted orphan is
  // the owner's).
  let fillsBooked = 0;
  let ordersPlaced = 0;
  const offFill = kernel.host.bus.on('OrderFilled', () => fillsBooked++);
  const offPlace = kernel.host.bus.on('OrderSent', (m) => m.owner.kind === 'grid' && ordersPlaced++);
  try {
    // 6. What the exchange did while the bot was down, released together with the held stream in the exchange's order.
    let fetched: ExecutionReport[] = [];
    try {
      fetched = await kernel.reconciler.collect();
    } finally {
      kernel.venueReports.release(fetched);
      kernel.reconciler.resume();
    }
    const collect = lap();
    // 7. Orders still `new` or `unknown` were sent to the queue but never answered: their job runs, ran (its outcome is
    // applied), or is queued again under the same id to ask the exchange before placing.
    const placementsResumed = await requeuePlacements(
      tracker.open().filter((r) => unanswered.has(r.intent.clientOrderId)),
      executor,
    );
    // Placements whose job had finished before the crash are now accepted: one more pass books what they did since.
    if (placementsResumed > 0) await kernel.reconciler.reconcile();
    const requeue = lap();

    // 8. Bot-prefixed orders on the exchange the state does not know: adopted (watched like any other) or cancelled.
    const orphaned = await settleOrphans(kernel, executor, orphans);

    // 8b. USD-M positions the venue reported at start that the missed fills did not explain: the venue's are adopted.
    kernel.futuresBook.settleVenue("the venue's position at start");
    const orphansMs = lap();

    // 9. Saved before anyone is told.
    await store.commit();
    return ok({
      restoredGrids,
      restoredOpenOrders,
      fillsBooked,
      ordersPlaced,
      placementsResumed,
      orphans: orphaned,
      orphanPolicy: orphans,
      stagesMs: { restore, start, prices, collect, requeue, orphans: orphansMs, save: lap() },
    });
  } finally {
    offFill();
    offPlace();
  }
}

/**
 * Redis came back after an outage, maybe empty: the whole state and the trading state are written again and the
 * placements that wait are queued again (each asks the exchange first). Returns how many were queued again.
 */
export async function afterRedisReturns(kernel: PersistentKernel, executor: QueueExecutor): Promise<number> {
  kernel.store.markAll();
  await kernel.store.commit();
  await kernel.shared.write(kernel.tradingState.state());
  return requeuePlacements(kernel.tracker.open(), executor);
}

/** What the owner reads about a restart; nothing for a first start on an empty exchange. */
export function recoveryText(r: RecoveryReport): string | undefined {
  const quiet = r.restoredGrids + r.restoredOpenOrders + r.fillsBooked + r.placementsResumed + r.orphans.length === 0;
  if (quiet) return undefined;
  const lines = [
    `♻️ Restored from Redis: ${r.restoredGrids} running grid(s), ${r.restoredOpenOrders} open order(s). Reconciled with the exchange:`,
    `  fills booked that happened while telegrid was down: ${r.fillsBooked}`,
    `  orders placed for them (re-arms): ${r.ordersPlaced}`,
    `  placements that had not reached the exchange, queued again: ${r.placementsResumed}`,
  ];
  if (r.orphans.length > 0) {
    const verb = r.orphanPolicy === 'adopt' ? 'adopted (watched; no grid re-arms them)' : 'cancelled';
    lines.push(
      `  bot orders on the exchange the state did not know, ${verb}: ${r.orphans.length} ` +
        `(${r.orphans.slice(0, 10).join(', ')}${r.orphans.length > 10 ? ', …' : ''})`,
    );
  }
  return lines.join('\n');
}

async function settleOrphans(kernel: PersistentKernel, executor: QueueExecutor, policy: OrphanPolicy): Promise<string[]> {
  const open = await kernel.gateway.openOrders();
  if (!open.ok) return [];
  const orphans = open.value.filter((r) => isBotOrder(r.clientOrderId) && kernel.tracker.get(r.clientOrderId) === undefined);
  for (const report of orphans) {
    if (policy === 'cancel') await executor.cancel(report.symbol, report.clientOrderId, 'orphan');
    else adopt(kernel, report);
  }
  return orphans.map((r) => r.clientOrderId);
}

/** Tracks an order the exchange holds under the bot's prefix as the owner's: its fills move positions; no grid re-arms it. */
function adopt(kernel: PersistentKernel, report: ExecutionReport): void {
  const bus = kernel.host.bus;
  bus.publish(orderSentOf(intentOfReport(report, { kind: 'manual' }), kernel.host.clock.now()));
  bus.publish({ type: 'OrderReported', report });
}

/** Each call returns the wall time, ms, since the previous one (or since it was made). */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const ms = Math.round(now - last);
    last = now;
    return ms;
  };
}

/**
 * The symbols a restart waits to see a trade on: those the feed carries with open orders or a running grid, where
 * re-arms and held levels are sent and priced. A quiet symbol nothing trades on must not hold every restart for the
 * whole wait (MARKET_SYMBOLS may list many more symbols than the grids use).
 */
export function symbolsToPrice(
  open: readonly OrderRecord[],
  grids: readonly { readonly symbol: string; readonly status: string }[],
  carried: readonly string[],
): string[] {
  const used = new Set(open.map((o) => o.intent.symbol));
  for (const g of grids) if (g.status !== 'stopped') used.add(g.symbol);
  return carried.filter((s) => used.has(s));
}

/** Resolves once every symbol has a trade on the feed, or after `boundMs` of wall time. */
async function firstTrades(kernel: PersistentKernel, symbols: readonly string[], boundMs: number): Promise<void> {
  const end = Date.now() + boundMs;
  while (Date.now() < end && symbols.some((s) => kernel.market.lastPrice(s) === undefined)) await new Promise((r) => setTimeout(r, 10));
}
