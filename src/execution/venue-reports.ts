import type { EngineEvent, ExecutionReport, FuturesAccountReported, PositionLiquidated } from '../domain/index.js';
import type { Component, ComponentContext } from '../engine/index.js';
import type { ExchangeGateway } from '../exchange/index.js';

type OrderReported = Extract<EngineEvent, { type: 'OrderReported' }>;

/** What the stream says in sequence: held together at a restart, released in the exchange's order. */
type Sequenced = OrderReported | FuturesAccountReported | PositionLiquidated;

/**
 * The user data streams onto the bus: the venue's executionReports and balance updates, whoever placed the orders, and
 * (with USD-M perpetuals) the futures account's updates, margin calls and liquidations. At a restart the streams are
 * held while the missed trades are fetched over REST, then both go out merged in the exchange's order: average-cost PnL
 * depends on the sequence, and a re-arm needs the market feed that comes up meanwhile. A futures account update and a
 * liquidation are held with the executions (the futures book reads positions from them in the fills' order); balances
 * and margin calls are never held (they carry no sequence that matters, and a margin call is urgent).
 */
export class VenueReports implements Component {
  readonly name = 'venue-reports';
  private ctx!: ComponentContext;
  private unsubscribe?: () => void;
  private held: Sequenced[] | undefined;

  /** `onFuturesStreamBack`: the USD-M user stream came back after a gap; the kernel asks the venue again (see there). */
  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly onFuturesStreamBack?: () => void,
  ) {}

  attach(ctx: ComponentContext): void {
    this.ctx = ctx;
  }

  async start(): Promise<void> {
    this.unsubscribe = this.gateway.subscribe({
      onExecution: (report) => this.sequenced({ type: 'OrderReported', report }),
      onBalances: (balances, time) => this.ctx.bus.publish({ type: 'BalancesReported', balances, time }),
      onFuturesAccount: (update) => this.sequenced({ type: 'FuturesAccountReported', update }),
      onMarginCall: (call) => this.ctx.bus.publish({ type: 'MarginCallReported', call }),
      onLiquidation: (report) => this.sequenced({ type: 'PositionLiquidated', report }),
      ...(this.onFuturesStreamBack ? { onFuturesStreamBack: this.onFuturesStreamBack } : {}),
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
  }

  /** Buffers execution reports (and futures account updates and liquidations) until `release`. */
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
    const all: Sequenced[] = [...held, ...fetched.map((report): OrderReported => ({ type: 'OrderReported', report }))];
    all.sort((a, b) => timeOf(a) - timeOf(b) || tradeIdOf(a) - tradeIdOf(b));
    for (const m of all) this.ctx.bus.publish(m);
  }

  private sequenced(m: Sequenced): void {
    if (this.held) this.held.push(m);
    else this.ctx.bus.publish(m);
  }
}

function timeOf(m: Sequenced): number {
  return m.type === 'FuturesAccountReported' ? m.update.time : m.report.time;
}

/** An account update sorts after the trades of its millisecond (Binance sends it after the fill it follows). */
function tradeIdOf(m: Sequenced): number {
  return m.type === 'OrderReported' ? (m.report.trade?.tradeId ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER;
}
