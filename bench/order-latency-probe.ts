/**
 * Drives one grid on a sandbox the bench owns through fill → re-arm cycles and times each one from the venue's side:
 * when the crossing trade went onto the tape, when the sandbox emitted the fill, and when it accepted the re-armed
 * order. The bot's own bus adds where it was in between (fill heard on the user stream, re-arm approved for sending).
 */
import { performance } from 'node:perf_hooks';
import type { Fixed } from '../src/domain/index.js';
import type { TradingKernel } from '../src/app/trading-kernel.js';
import type { SandboxHub } from '../src/sandbox/index.js';

export interface CycleSample {
  /** Crossing trade put on the tape → re-armed order accepted by the sandbox. */
  readonly tickToOrder: number;
  /** Fill emitted by the sandbox → re-armed order accepted. */
  readonly fillToRearm: number;
  /** Fill emitted → the bot's bus has the fill (user data stream, gateway mapping). */
  readonly fillToHeard: number;
  /** Fill on the bus → the re-arm approved by risk and handed to the executor (the engine's own work). */
  readonly heardToSend: number;
  /** Handed to the executor → accepted by the sandbox (DirectExecutor: one REST call; the app: queue, worker, REST). */
  readonly sendToAccepted: number;
  readonly side: 'BUY' | 'SELL';
}

interface Resting {
  readonly clientOrderId: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: Fixed;
}

/**
 * The sandbox account the grid trades on, as the probe watches it: spot's matching engine or the USD-M account. Both
 * share the hub's one tape (`hub.trade` fills a spot order and a perpetual's alike).
 */
export interface ProbeVenue {
  /** Told when the venue accepts an order onto its book (`accepted`) and when a fill completes one (`filled`). */
  onOrder(
    listener: (e: {
      readonly clientOrderId: string;
      readonly side: 'BUY' | 'SELL';
      readonly price: Fixed;
      readonly change: 'accepted' | 'filled';
    }) => void,
  ): () => void;
  resting(): readonly Resting[];
}

/** The spot account's executionReports. */
export function spotVenue(hub: SandboxHub, symbol: string): ProbeVenue {
  return {
    onOrder: (listener) =>
      hub.onVenueEvent((e) => {
        if (e.type !== 'execution') return;
        const r = e.report;
        if (r.trade !== undefined) {
          if (r.status === 'FILLED') listener({ clientOrderId: r.clientOrderId, side: r.side, price: r.price, change: 'filled' });
        } else if (r.status === 'NEW') listener({ clientOrderId: r.clientOrderId, side: r.side, price: r.price, change: 'accepted' });
      }),
    resting: () => {
      const open = hub.engine.openOrders(symbol);
      return open.ok ? open.value : [];
    },
  };
}

/** The USD-M account's ORDER_TRADE_UPDATEs (`symbol` as Binance names it, `BTCUSDT`). */
export function futuresVenue(hub: SandboxHub, symbol: string): ProbeVenue {
  return {
    onOrder: (listener) =>
      hub.onFuturesEvent((e) => {
        if (e.type !== 'order' || e.order.symbol !== symbol) return;
        const o = e.order;
        if (e.execution === 'NEW') listener({ clientOrderId: o.clientOrderId, side: o.side, price: o.price, change: 'accepted' });
        else if (e.execution === 'TRADE' && o.status === 'FILLED')
          listener({ clientOrderId: o.clientOrderId, side: o.side, price: o.price, change: 'filled' });
      }),
    resting: () => {
      const open = hub.futuresEngine.openOrders(symbol);
      return open.ok ? open.value : [];
    },
  };
}

/** How long one cycle may take before the bench gives up (a lost order must fail the run, not hang it). */
const CYCLE_BOUND_MS = 10_000;

export class OrderLatencyProbe {
  private readonly seen = new Set<string>();
  private tradeId = 1;
  private fillAt = Number.NaN;
  private heardAt = Number.NaN;
  private sendAt = Number.NaN;
  private filling: string | undefined;
  private waiter: ((order: Resting, at: number) => void) | undefined;
  private readonly offs: Array<() => void> = [];

  /**
   * `symbol` is the bot's (`BTCUSDT`, or `BTCUSDT.P` for the perpetual); `tape` is the hub's name for its trades
   * (`BTCUSDT` for both).
   */
  constructor(
    private readonly hub: SandboxHub,
    private readonly engine: TradingKernel,
    private readonly symbol: string,
    private readonly venue: ProbeVenue,
    private readonly tape: string = symbol,
  ) {
    this.offs.push(
      venue.onOrder((r) => {
        if (r.change === 'filled') {
          if (r.clientOrderId === this.filling) this.fillAt = performance.now();
          return;
        }
        if (this.seen.has(r.clientOrderId)) return;
        const at = performance.now();
        this.seen.add(r.clientOrderId);
        const w = this.waiter;
        this.waiter = undefined;
        w?.({ clientOrderId: r.clientOrderId, side: r.side, price: r.price }, at);
      }),
      engine.host.bus.on('OrderReported', (m) => {
        if (m.report.trade !== undefined && m.report.status === 'FILLED' && m.report.clientOrderId === this.filling)
          this.heardAt = performance.now();
      }),
      engine.host.bus.on('OrderSent', () => {
        if (Number.isNaN(this.sendAt)) this.sendAt = performance.now();
      }),
    );
  }

  /** Every order resting now counts as seen; returns the highest buy, where the cycles start. */
  arm(): Resting {
    const open = this.venue.resting();
    if (open.length === 0) throw new Error('no grid order rests on the sandbox');
    for (const r of open) this.seen.add(r.clientOrderId);
    const buys = open.filter((r) => r.side === 'BUY').sort((a, b) => (a.price < b.price ? 1 : -1));
    const top = buys[0];
    if (!top) throw new Error('the grid has no resting buy');
    return { clientOrderId: top.clientOrderId, side: 'BUY', price: top.price };
  }

  /** One trade a tick through `order`, and the time until the sandbox accepts the order the bot re-arms from its fill. */
  async cycle(order: Resting): Promise<{ sample: CycleSample; next: Resting }> {
    const tick = this.engine.instruments.get(this.symbol)!.filters.priceFilter.tickSize;
    // The sandbox fills a resting order only on a trade strictly through its price.
    const price = order.side === 'BUY' ? order.price - tick : order.price + tick;
    this.filling = order.clientOrderId;
    this.fillAt = this.heardAt = this.sendAt = Number.NaN;
    const accepted = new Promise<{ next: Resting; at: number }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no re-armed order within ${CYCLE_BOUND_MS} ms of filling ${order.clientOrderId}`)),
        CYCLE_BOUND_MS,
      );
      this.waiter = (next, at) => {
        clearTimeout(timer);
        resolve({ next, at });
      };
    });
    const t0 = performance.now();
    this.hub.trade({
      symbol: this.tape,
      price,
      quantity: 100_000_000n,
      time: Date.now(),
      tradeId: this.tradeId++,
      isBuyerMaker: order.side === 'BUY',
    });
    const { next, at } = await accepted;
    if (Number.isNaN(this.fillAt)) throw new Error(`the trade at ${price} did not fill ${order.clientOrderId}`);
    await this.settled(next.clientOrderId);
    return {
      sample: {
        tickToOrder: at - t0,
        fillToRearm: at - this.fillAt,
        fillToHeard: this.heardAt - this.fillAt,
        heardToSend: this.sendAt - this.heardAt,
        sendToAccepted: at - this.sendAt,
        side: order.side,
      },
      next,
    };
  }

  /** Waits (bounded) until the bot itself knows the order is resting, so one cycle's tail does not run into the next. */
  private async settled(clientOrderId: string): Promise<void> {
    const end = performance.now() + CYCLE_BOUND_MS;
    while (this.engine.tracker.get(clientOrderId)?.status !== 'accepted') {
      if (performance.now() > end) throw new Error(`the bot never saw ${clientOrderId} accepted`);
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  close(): void {
    for (const off of this.offs) off();
  }
}
