import type { FuturesAccountUpdate, FuturesExecutionReport, FuturesMarginCall, Result } from '../../domain/index.js';
import type { FuturesGateway, FuturesStreamState, FuturesVenueListener } from '../futures-gateway.js';
import type { GatewayFailure, VenueListener } from '../gateway.js';
import type { CumQuoteLedger } from './cum-quote-ledger.js';
import { executionOfFutures, isVenueClosure } from './futures-report-mapping.js';

/** Wall-time waits before asking REST again for a report's trades (Binance's userTrades may trail the stream). */
const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 5_000];

export interface RelayLog {
  warn(obj: object, msg: string): void;
}

/**
 * The futures user stream onto a spot listener, in the stream's order. An execution whose exact cumulative quote the
 * ledger cannot give is held (and everything after it, so the tracker still sees the order's reports in sequence)
 * until userTrades answers; a liquidation's report goes to `onLiquidation`, ACCOUNT_UPDATE to `onFuturesAccount`,
 * MARGIN_CALL to `onMarginCall`. Without a REST answer the relay keeps asking (never guesses a figure) until stopped.
 */
export class FuturesStreamRelay implements FuturesVenueListener {
  private readonly queue: Pending[] = [];
  /** True while the head of the queue waits for REST. */
  private fetching = false;
  private stopped = false;
  private lastState: FuturesStreamState['state'] | undefined;

  constructor(
    private readonly listener: VenueListener,
    private readonly futures: FuturesGateway,
    private readonly ledger: CumQuoteLedger,
    private readonly log?: RelayLog,
  ) {}

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  onExecution(report: FuturesExecutionReport): void {
    if (isVenueClosure(report)) return this.deliver(() => this.listener.onLiquidation?.(report));
    this.queue.push({
      report,
      run: () => {
        const cumQuote = this.ledger.of(report);
        if (cumQuote === undefined) return false;
        this.listener.onExecution(executionOfFutures(report, cumQuote));
        return true;
      },
    });
    this.drain();
  }

  onAccountUpdate(update: FuturesAccountUpdate): void {
    this.deliver(() => this.listener.onFuturesAccount?.(update));
  }

  onMarginCall(call: FuturesMarginCall): void {
    this.deliver(() => this.listener.onMarginCall?.(call));
  }

  /** The first `ready` is the stream starting; a `ready` after `renewing` or `failed` ends a gap the listener must fill. */
  onStreamState(state: FuturesStreamState): void {
    const gap = state.state === 'ready' && this.lastState !== undefined && this.lastState !== 'ready';
    this.lastState = state.state;
    if (gap) this.deliver(() => this.listener.onFuturesStreamBack?.());
  }

  /** In sequence with the executions: behind one held for REST, after it. */
  private deliver(send: () => void): void {
    this.queue.push({ run: () => (send(), true) });
    this.drain();
  }

  private drain(): void {
    while (!this.fetching && !this.stopped && this.queue.length > 0) {
      const head = this.queue[0]!;
      if (!head.run()) {
        if (head.report !== undefined) void this.fetch(head.report, head);
        return;
      }
      this.queue.shift();
    }
  }

  /** Asks userTrades for the order until its rows account for the report's cumQty, then lets the queue move on. */
  private async fetch(report: FuturesExecutionReport, head: Pending): Promise<void> {
    this.fetching = true;
    const { symbol, clientOrderId } = report;
    for (let attempt = 0; !this.stopped; attempt++) {
      const rows: Result<readonly FuturesExecutionReport[], GatewayFailure> = await this.futures.orderTrades(symbol, clientOrderId);
      if (rows.ok) this.ledger.learnTrades(rows.value);
      if (this.stopped) break;
      if (head.run()) {
        this.queue.shift();
        break;
      }
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
      this.log?.warn(
        { symbol, clientOrderId, error: rows.ok ? undefined : rows.error.code },
        `futures report held: its exact cumulative quote is not known yet; asking userTrades again in ${delay} ms`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    this.fetching = false;
    this.drain();
  }
}

interface Pending {
  readonly report?: FuturesExecutionReport;
  /** Delivers the entry; false when an execution's exact cumulative quote is not known yet. */
  run(): boolean;
}
