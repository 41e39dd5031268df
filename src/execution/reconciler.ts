import type { ExecutionReport } from '../domain/index.js';
import type { Component, ComponentContext } from '../engine/index.js';
import type { ExchangeGateway } from '../exchange/index.js';
import type { ExecutorLog } from './direct-executor.js';
import type { OrderTracker } from './order-tracker.js';

/**
 * Catches the bot up with the venue over REST after the user data stream may have missed reports (a dropped socket):
 * for every order the tracker still holds open or unknown it fetches the venue's state and, when the venue filled more
 * than was booked, the order's trades, and publishes them as `OrderReported`; the tracker's dedup makes repeats
 * harmless. Runs on `MarketDataResumed` (the sockets came back), every `everyMs` of clock time while orders are open
 * (the user stream can drop alone, and binance-api-node reconnects it silently), whenever the app calls it, and at
 * once for an order reported late (`OrderReported.late`) with fills the bot has not booked: those trades may have
 * streamed while nobody listened (a process killed after placing it), and no stream brings them again.
 */
export class Reconciler implements Component {
  readonly name = 'reconciler';
  private ctx!: ComponentContext;
  private running: Promise<void> | undefined;
  /** A request that came while a pass was running: one more pass follows it, since that one may have started too early. */
  private again = false;

  private lastPass = Number.NEGATIVE_INFINITY;
  /** No passes of its own while the start-up recovery runs its own (it merges them with the held stream). */
  private suspended = false;
  /**
   * Orders reported late with unbooked fills: asked about in the next pass even while still 'new' (the executor's own
   * answer is in, and it was one the tracker had to hold back).
   */
  private behind = new Set<string>();

  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly tracker: OrderTracker,
    private readonly log: ExecutorLog,
    /** Clock time between routine passes; 0 turns them off (an in-process venue never misses a report). */
    private readonly everyMs = 0,
    /** Ask about orders sent but not yet answered too: the in-process executor has no queue that reports for them. */
    private readonly includeUnsent = true,
  ) {}

  attach(ctx: ComponentContext): void {
    this.ctx = ctx;
    ctx.bus.on('MarketDataResumed', () => !this.suspended && void this.reconcile());
    ctx.bus.on('OrderReported', (m) => m.late === true && this.onLate(m.report));
    // Ticks are the engine's heartbeat: one comparison each, and a pass at most every `everyMs` while orders are open.
    if (this.everyMs > 0) ctx.bus.on('TradeTicked', () => this.onTick());
  }

  private onTick(): void {
    const now = this.ctx.clock.now();
    if (this.suspended || now - this.lastPass < this.everyMs || this.running || this.tracker.openCount() === 0) return;
    this.lastPass = now;
    void this.reconcile();
  }

  private onLate(report: ExecutionReport): void {
    const booked = this.tracker.get(report.clientOrderId)?.filledQty;
    if (booked === undefined || report.cumQty <= booked) return;
    this.behind.add(report.clientOrderId);
    if (!this.suspended) void this.reconcile();
  }

  async stop(): Promise<void> {
    await this.running;
  }

  /** Resolves when the venue's state, as of no earlier than this call, has been published. */
  reconcile(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<void> => {
      do {
        this.again = false;
        await this.pass();
      } while (this.again);
    };
    this.running = run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  suspend(): void {
    this.suspended = true;
  }

  resume(): void {
    this.suspended = false;
    if (this.behind.size > 0) void this.reconcile();
  }

  /**
   * What a pass would publish, without publishing it: the trades the venue has that were not booked, then each order's
   * status. The start-up recovery merges these with the held user stream. Every open order is asked about, 'new' ones
   * too: a process killed after placing one never heard its answer, and the trades it made while nobody listened must
   * be booked now, before the futures book settles with the venue's position, not when the dead worker's job is found
   * stalled and run again (a minute later), which would book them on top of a position that already holds them.
   */
  async collect(): Promise<ExecutionReport[]> {
    const out: ExecutionReport[] = [];
    await this.pass((reports) => out.push(...reports), true);
    return out;
  }

  private async pass(emit?: (reports: readonly ExecutionReport[]) => void, includeUnsent = this.includeUnsent): Promise<void> {
    // 'new' orders are still with the executor (queued, or on their way): it reports their outcome, and asking the
    // venue about thousands of queued orders would only spend request weight the placements need.
    const behind = this.behind;
    this.behind = new Set();
    const tracked = this.tracker.open().filter((r) => r.status !== 'new' || includeUnsent || behind.has(r.intent.clientOrderId));
    if (tracked.length === 0) return;
    // One openOrders call covers every order still resting; only orders that ended meanwhile are asked one by one,
    // which keeps a 10,000-order book within Binance's request weight.
    const open = await this.gateway.openOrders();
    if (!open.ok) {
      this.log.warn({ code: open.error.code }, `reconciliation skipped: open orders unreadable: ${open.error.message}`);
      for (const id of behind) this.behind.add(id); // the next pass asks again
      return;
    }
    const resting = new Map<string, ExecutionReport>();
    for (const r of open.value) resting.set(r.clientOrderId, r);
    // Trades are booked across orders in the exchange's order (time, then trade id), as they would have streamed in:
    // average-cost PnL depends on the sequence. Each order's status follows once its trades are in.
    const trades: ExecutionReport[] = [];
    const statuses: ExecutionReport[] = [];
    for (const rec of tracked) {
      const { symbol, clientOrderId } = rec.intent;
      let venue = resting.get(clientOrderId);
      if (venue === undefined) {
        const asked = await this.gateway.getOrder(symbol, clientOrderId);
        if (!asked.ok) {
          this.log.warn({ clientOrderId, code: asked.error.code }, `reconciliation: order unreadable: ${asked.error.message}`);
          if (behind.has(clientOrderId)) this.behind.add(clientOrderId);
          continue;
        }
        if (asked.value === undefined) {
          // Still queued ('new'): the pipeline places it. Given up on as unknown ('unknown'), long after the request,
          // and the exchange has no such order: it was never placed, and the owner hears so rather than a silence.
          if (rec.status === 'unknown') {
            this.ctx.bus.publish({
              type: 'OrderSubmissionFailed',
              clientOrderId,
              outcome: 'rejected',
              code: 'NOT_PLACED',
              message: 'the exchange has no such order: it was never placed',
            });
          }
          continue;
        }
        venue = asked.value;
      }
      const booked = this.tracker.get(clientOrderId)?.filledQty ?? rec.filledQty;
      if (venue.cumQty > booked) {
        const fetched = await this.gateway.orderTrades(symbol, clientOrderId);
        if (!fetched.ok) {
          this.log.warn({ clientOrderId, code: fetched.error.code }, `reconciliation: trades unreadable: ${fetched.error.message}`);
          if (behind.has(clientOrderId)) this.behind.add(clientOrderId);
          continue; // the status report would be held back anyway until the trades are booked
        }
        trades.push(...fetched.value);
      }
      statuses.push(venue);
    }
    trades.sort((a, b) => a.time - b.time || (a.trade?.tradeId ?? 0) - (b.trade?.tradeId ?? 0));
    if (emit) return emit([...trades, ...statuses]);
    for (const report of trades) this.ctx.bus.publish({ type: 'OrderReported', report });
    for (const report of statuses) this.ctx.bus.publish({ type: 'OrderReported', report });
  }
}
