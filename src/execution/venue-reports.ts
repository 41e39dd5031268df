import type { ExecutionReport } from '../domain/index.js';
import type { Component, ComponentContext } from '../engine/index.js';
import type { ExchangeGateway } from '../exchange/index.js';

/**
 * The user data stream onto the bus: the venue's executionReports and balance updates, whoever placed the orders. At a
 * restart the stream is held while the missed trades are fetched over REST, then both go out merged in the exchange's
 * order: average-cost PnL depends on the sequence, and a re-arm needs the market feed that comes up meanwhile.
 */
export class VenueReports implements Component {
  readonly name = 'venue-reports';
  private ctx!: ComponentContext;
  private unsubscribe?: () => void;
  private held: ExecutionReport[] | undefined;

  constructor(private readonly gateway: ExchangeGateway) {}

  attach(ctx: ComponentContext): void {
    this.ctx = ctx;
  }

  async start(): Promise<void> {
    this.unsubscribe = this.gateway.subscribe({
      onExecution: (report) => {
        if (this.held) this.held.push(report);
        else this.ctx.bus.publish({ type: 'OrderReported', report });
      },
      onBalances: (balances, time) => this.ctx.bus.publish({ type: 'BalancesReported', balances, time }),
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
  }

  /** Buffers execution reports until `release` (balances still flow: they carry no sequence that matters). */
  hold(): void {
    this.held ??= [];
  }

  /**
   * Publishes what was held together with `fetched` (reports read over REST), sorted by the exchange's time and trade
   * id; equal keys keep their order (the stream's own, then REST's), so each order's status follows its trades.
   */
  release(fetched: readonly ExecutionReport[] = []): void {
    const held = this.held ?? [];
    this.held = undefined;
    const all = [...held, ...fetched];
    all.sort((a, b) => a.time - b.time || (a.trade?.tradeId ?? Number.MAX_SAFE_INTEGER) - (b.trade?.tradeId ?? Number.MAX_SAFE_INTEGER));
    for (const report of all) this.ctx.bus.publish({ type: 'OrderReported', report });
  }
}
