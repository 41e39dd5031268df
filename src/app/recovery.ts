import { type ExecutionReport, isBotOrder } from '../domain/index.js';
import { type QueueExecutor, intentOfReport, orderSentOf, requeuePlacements } from '../execution/index.js';
import type { Engine } from './engine.js';

export type OrphanPolicy = 'adopt' | 'cancel';

export interface RecoveryReport {
  readonly restoredGrids: number;
  readonly restoredOpenOrders: number;
  readonly fillsBooked: number;
  readonly ordersPlaced: number;
  readonly placementsResumed: number;
  readonly orphans: readonly string[];
  readonly orphanPolicy: OrphanPolicy;
}

/**
 * Catches the restored state up with the exchange, which is the truth: fills that happened while the bot was down are
 * booked from the exchange's trades (the grids re-arm on them as they would have live), placements that never reached
 * the exchange are queued again under the same job id, and bot-prefixed orders the state does not know are adopted
 * (watched and counted like any other) or cancelled.
 */
export async function reconcileAtStart(engine: Engine, executor: QueueExecutor, policy: OrphanPolicy): Promise<RecoveryReport> {
  // Counted from here, so what the held stream brings is counted too.
  const { kernel, tracker, grids } = engine;
  let fillsBooked = 0;
  let ordersPlaced = 0;
  const offFill = kernel.bus.on('OrderFilled', () => fillsBooked++);
  // Re-arms the grids sent for those fills (an adopted orphan's OrderSent is the owner's, not a placement).
  const offPlace = kernel.bus.on('OrderSent', (m) => m.owner.kind === 'grid' && ordersPlaced++);
  const restoredGrids = grids.summaries().filter((g) => g.status !== 'stopped').length;
  const restoredOpenOrders = tracker.openCount();
  try {
    // The caller held the user stream (and the reconciler's own passes) since before it subscribed: what the exchange
    // did while the bot was down and what it reported since go out together, in the exchange's order.
    let fetched: ExecutionReport[] = [];
    try {
      fetched = await engine.reconciler.collect();
    } finally {
      engine.venueReports.release(fetched);
      engine.reconciler.resume();
    }
    // Orders still 'new' were sent to the queue but never answered: their job runs, ran (its outcome is applied), or is
    // queued again under the same id to ask the exchange before placing.
    const placementsResumed = await requeuePlacements(tracker.open(), executor);
    // Placements whose job had finished before the crash are now accepted: one more pass books what they did since.
    if (placementsResumed > 0) await engine.reconciler.reconcile();
    const orphans = await handleOrphans(engine, executor, policy);
    return { restoredGrids, restoredOpenOrders, fillsBooked, ordersPlaced, placementsResumed, orphans, orphanPolicy: policy };
  } finally {
    offFill();
    offPlace();
  }
}

async function handleOrphans(engine: Engine, executor: QueueExecutor, policy: OrphanPolicy): Promise<string[]> {
  const open = await engine.gateway.openOrders();
  if (!open.ok) return [];
  const orphans = open.value.filter((r) => isBotOrder(r.clientOrderId) && engine.tracker.get(r.clientOrderId) === undefined);
  for (const report of orphans) {
    if (policy === 'cancel') await executor.cancel(report.symbol, report.clientOrderId, 'orphan');
    else adopt(engine, report);
  }
  engine.risk.restoreOpenOrders(engine.tracker.open());
  return orphans.map((r) => r.clientOrderId);
}

/** Tracks an order the exchange holds under the bot's prefix as the owner's: its fills move positions; no grid re-arms it. */
function adopt(engine: Engine, report: ExecutionReport): void {
  const bus = engine.kernel.bus;
  bus.publish(orderSentOf(intentOfReport(report, { kind: 'manual' }), engine.kernel.clock.now()));
  bus.publish({ type: 'OrderReported', report });
}

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
    lines.push(`  bot orders on the exchange the state did not know, ${verb}: ${r.orphans.length} (${r.orphans.slice(0, 10).join(', ')}${r.orphans.length > 10 ? ', …' : ''})`);
  }
  return lines.join('\n');
}
