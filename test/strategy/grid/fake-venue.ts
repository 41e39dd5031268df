import {
  type CancelOrder,
  type DenialCode,
  type Fixed,
  type Message,
  type OrderFilled,
  type OrderIntent,
  type Side,
  ZERO,
} from '../../../src/domain/index.js';
import type { BusHost } from '../../../src/engine/index.js';
import { aFillOf, aTradeTicked } from '../../kit/builders.js';

export interface FillOptions {
  readonly quantity?: Fixed;
  readonly price?: Fixed;
  readonly tradeId?: number;
  readonly commission?: Fixed;
  readonly commissionAsset?: string;
  readonly feeQuote?: Fixed;
}

/**
 * A venue in a few lines: it records every SubmitOrder and CancelOrder, answers cancels with OrderCanceled, may deny,
 * and fills on request with the kit's OrderFilled (aFillOf: 0.1 % fee, in base for buys, in quote for sells, like
 * Binance without BNB).
 */
export class FakeVenue {
  readonly log: Message[] = [];
  readonly submitted: OrderIntent[] = [];
  readonly cancels: CancelOrder[] = [];
  readonly fills: OrderFilled[] = [];
  autoCancel = true;
  /** When set, answers the next SubmitOrders with OrderDenied of this code. */
  denyNext: { code: DenialCode; count: number } | undefined;
  private readonly live = new Map<string, { intent: OrderIntent; filled: Fixed }>();
  private nextTrade = 1;

  constructor(private readonly kernel: BusHost) {
    const bus = kernel.bus;
    for (const type of ['GridStarted', 'GridStopped', 'GridRoundTrip', 'OrderDenied', 'OrderCanceled'] as const)
      bus.on(type, (m) => this.log.push(m));
    bus.handle('SubmitOrder', (m) => {
      this.log.push(m);
      this.submitted.push(m.intent);
      if (this.denyNext && this.denyNext.count > 0) {
        this.denyNext.count -= 1;
        bus.publish({ type: 'OrderDenied', intent: m.intent, code: this.denyNext.code, message: 'denied by the test', numbers: {} });
        return;
      }
      this.live.set(m.intent.clientOrderId, { intent: m.intent, filled: ZERO });
    });
    bus.handle('CancelOrder', (m) => {
      this.log.push(m);
      this.cancels.push(m);
      if (this.autoCancel) this.cancel(m.clientOrderId);
    });
  }

  /** The latest order the grid submitted for this side and level (ids end in _B-2, _S1, …). */
  at(side: Side, level: number, gridId = 'G1'): OrderIntent {
    const tail = `_${side === 'BUY' ? 'B' : 'S'}${level}`;
    const hit = [...this.submitted].reverse().find((i) => i.clientOrderId.endsWith(tail) && i.clientOrderId.startsWith(`tg_${gridId}_`));
    if (!hit) throw new Error(`no ${side} at level ${level} for ${gridId}`);
    return hit;
  }

  isLive(clientOrderId: string): boolean {
    return this.live.has(clientOrderId);
  }

  fill(clientOrderId: string, o: FillOptions = {}): OrderFilled {
    const order = this.live.get(clientOrderId);
    if (!order) throw new Error(`order ${clientOrderId} is not live`);
    const { intent } = order;
    const quantity = o.quantity ?? intent.quantity - order.filled;
    const event = aFillOf(intent, {
      ...o,
      quantity,
      cumQty: order.filled + quantity,
      time: this.kernel.clock.now(),
      tradeId: o.tradeId ?? this.nextTrade++,
    });
    order.filled = event.cumQty;
    if (event.complete) this.live.delete(clientOrderId);
    this.fills.push(event);
    this.kernel.bus.publish(event);
    return event;
  }

  /** Delivers an event again, as a duplicated report would if nothing upstream caught it. */
  replay(event: OrderFilled): void {
    this.kernel.bus.publish(event);
  }

  cancel(clientOrderId: string): void {
    const order = this.live.get(clientOrderId);
    if (!order) return;
    this.live.delete(clientOrderId);
    const { intent } = order;
    this.kernel.bus.publish({
      type: 'OrderCanceled',
      clientOrderId,
      symbol: intent.symbol,
      side: intent.side,
      owner: intent.owner,
      time: this.kernel.clock.now(),
      filledQty: order.filled,
      reason: 'canceled',
    });
  }

  tick(symbol: string, price: Fixed): void {
    this.kernel.bus.publish(aTradeTicked({ symbol, price, time: this.kernel.clock.now(), tradeId: this.nextTrade++ }));
  }

  of<T extends Message['type']>(type: T): Extract<Message, { type: T }>[] {
    return this.log.filter((m): m is Extract<Message, { type: T }> => m.type === type);
  }
}
