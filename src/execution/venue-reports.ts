import type { Component, Kernel } from '../engine/index.js';
import type { ExchangeGateway } from '../exchange/index.js';

/** The user data stream onto the bus: the venue's executionReports and balance updates, whoever placed the orders. */
export class VenueReports implements Component {
  readonly name = 'venue-reports';
  private kernel!: Kernel;
  private unsubscribe?: () => void;

  constructor(private readonly gateway: ExchangeGateway) {}

  attach(kernel: Kernel): void {
    this.kernel = kernel;
  }

  async start(): Promise<void> {
    this.unsubscribe = this.gateway.subscribe({
      onExecution: (report) => this.kernel.bus.publish({ type: 'OrderReported', report }),
      onBalances: (balances, time) => this.kernel.bus.publish({ type: 'BalancesReported', balances, time }),
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
  }
}
