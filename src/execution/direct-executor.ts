import type { ExecutionReport, OrderIntent, Result } from '../domain/index.js';
import type { ComponentContext } from '../engine/index.js';
import type { ExchangeGateway, GatewayFailure } from '../exchange/index.js';
import type { CancelOutcome, Executor } from './executor.js';
import { orderRequestOf, orderSentOf } from './intent-messages.js';

export interface ExecutorLog {
  warn(obj: object, msg: string): void;
}

/**
 * Sends approved orders and cancels straight to the gateway, in process: the in-process paper venue's executor (tests,
 * benchmarks, the floor the pipeline's latency is measured against). The app runs the BullMQ pipeline instead. An unknown
 * outcome is settled once by asking the venue, never by placing again.
 */
export class DirectExecutor implements Executor {
  readonly name = 'direct-executor';
  private ctx!: ComponentContext;
  private readonly cancels = new Map<string, Promise<CancelOutcome>>();
  private inFlight = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly log: ExecutorLog,
  ) {}

  attach(ctx: ComponentContext): void {
    this.ctx = ctx;
    ctx.bus.handle('PlaceOrder', (m) => this.place(m.intent));
    ctx.bus.handle('CancelOrder', (m) => void this.cancel(m.symbol, m.clientOrderId));
  }

  async stop(): Promise<void> {
    await this.settled();
  }

  /** Resolves when every request sent so far has been answered. */
  settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Cancels one order; a second request for the same order while the first is out shares its answer. */
  cancel(symbol: string, clientOrderId: string): Promise<CancelOutcome> {
    const pending = this.cancels.get(clientOrderId);
    if (pending) return pending;
    const request = this.track(this.gateway.cancelOrder(symbol, clientOrderId)).then((res): CancelOutcome => {
      this.cancels.delete(clientOrderId);
      if (res.ok) {
        this.ctx.bus.publish({ type: 'OrderReported', report: res.value });
        return { ok: true, reports: [res.value] };
      }
      this.log.warn({ clientOrderId, code: res.error.code }, `cancel failed: ${res.error.message}`);
      return { ok: false, reason: `${res.error.code}: ${res.error.message}` };
    });
    this.cancels.set(clientOrderId, request);
    return request;
  }

  private place(intent: OrderIntent): void {
    const bus = this.ctx.bus;
    bus.publish(orderSentOf(intent, this.ctx.clock.now()));
    const request = this.gateway.placeOrder(orderRequestOf(intent));
    // Every order passes here: one reaction per answer instead of a promise chain per step. The answer is handled
    // before the request counts as done, so a follow-up query it starts keeps `settled()` waiting.
    this.inFlight++;
    void request.then(
      (res) => {
        this.onPlaced(intent, res);
        this.requestDone();
      },
      (error: unknown) => {
        // The gateway threw instead of answering: nobody knows whether the order reached the exchange.
        this.log.warn({ clientOrderId: intent.clientOrderId, err: error }, 'placement threw; outcome unknown');
        this.onPlaced(intent, {
          ok: false,
          error: { kind: 'unknown', code: 'GATEWAY_ERROR', message: 'the request failed without an answer' },
        });
        this.requestDone();
      },
    );
  }

  private onPlaced(intent: OrderIntent, res: Result<ExecutionReport, GatewayFailure>): void {
    const bus = this.ctx.bus;
    if (res.ok) {
      bus.publish({ type: 'OrderReported', report: res.value });
      return;
    }
    const { kind, code, message } = res.error;
    // Only `unknown` may have reached the exchange; a refused connection or a rate limit means nothing happened, and
    // without a retrying pipeline (BullMQ, next) the order is reported as not placed rather than left hanging.
    const outcome = kind === 'unknown' ? 'unknown' : 'rejected';
    bus.publish({ type: 'OrderSubmissionFailed', clientOrderId: intent.clientOrderId, outcome, code, message });
    if (outcome === 'unknown') void this.settle(intent);
  }

  /** Asks the venue what became of an order whose placement answer was lost. */
  private async settle(intent: OrderIntent): Promise<void> {
    const res = await this.track(this.gateway.getOrder(intent.symbol, intent.clientOrderId));
    if (res.ok && res.value) this.ctx.bus.publish({ type: 'OrderReported', report: res.value });
    else this.log.warn({ clientOrderId: intent.clientOrderId }, 'order outcome still unknown after asking the venue');
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight++;
    const done = (): void => this.requestDone();
    p.then(done, done);
    return p;
  }

  /** Counts one request answered; the last one out wakes whoever waits in `settled()`. */
  private requestDone(): void {
    if (--this.inFlight > 0) return;
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
