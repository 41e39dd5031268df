import { describe, expect, it } from 'vitest';
import { type ExecutionReport, type Message, type Result, catalogInstrument, fx, ok } from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import type { ExchangeGateway, GatewayFailure, PlaceOrderRequest, VenueListener } from '../../src/exchange/index.js';
import { DirectExecutor, OrderTracker, VenueReports } from '../../src/execution/index.js';
import { anIntent } from '../kit/builders.js';

const ack = (r: PlaceOrderRequest, status: ExecutionReport['status'] = 'NEW'): ExecutionReport => ({
  clientOrderId: r.clientOrderId,
  exchangeOrderId: '1',
  symbol: r.symbol,
  side: r.side,
  type: r.type,
  status,
  price: r.price ?? 0n,
  origQty: r.quantity,
  cumQty: 0n,
  cumQuote: 0n,
  time: 1,
});

/** A venue whose answers the test scripts, counting what it was asked. */
class ScriptedGateway implements ExchangeGateway {
  readonly name = 'scripted';
  placed: PlaceOrderRequest[] = [];
  cancels = 0;
  nextPlace: () => Promise<Result<ExecutionReport, GatewayFailure>> = async () => ok(ack(this.placed.at(-1)!));
  lookup: ExecutionReport | undefined;
  async instruments() {
    return ok([]);
  }
  placeOrder(r: PlaceOrderRequest) {
    this.placed.push(r);
    return this.nextPlace();
  }
  async cancelOrder(symbol: string, clientOrderId: string) {
    this.cancels++;
    return ok({ ...ack(this.placed[0]!), clientOrderId, symbol, status: 'CANCELED' as const });
  }
  async cancelAll() {
    return ok([]);
  }
  async getOrder() {
    return ok(this.lookup);
  }
  async openOrders() {
    return ok([]);
  }
  async orderTrades() {
    return ok([]);
  }
  async balances() {
    return ok([]);
  }
  subscribe(_l: VenueListener) {
    return () => undefined;
  }
}

const intent = anIntent({ clientOrderId: 'tg_G1_1_B-1', price: fx('90000') });

async function setup() {
  const kernel = new BusHost(new ManualClock(1), new SequentialIds());
  const gateway = new ScriptedGateway();
  const warnings: string[] = [];
  const executor = new DirectExecutor(gateway, { warn: (_o, msg) => warnings.push(msg) });
  const tracker = new OrderTracker(catalogInstrument);
  kernel.add(tracker).add(new VenueReports(gateway)).add(executor);
  await kernel.start();
  const events: Message[] = [];
  for (const t of ['OrderAccepted', 'OrderRejected', 'OrderUnknown'] as const) kernel.bus.on(t, (m) => events.push(m));
  return { kernel, gateway, executor, tracker, events, warnings };
}

describe('direct executor', () => {
  it('places an approved order once and books the acknowledgement', async () => {
    const { kernel, gateway, executor, events } = await setup();
    kernel.bus.send({ type: 'PlaceOrder', intent });
    await executor.settled();
    expect(gateway.placed).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual(['OrderAccepted']);
  });

  it('reports a refused connection or a rate limit as not placed: nothing happened', async () => {
    const { kernel, gateway, executor, events, tracker } = await setup();
    gateway.nextPlace = async () => ({
      ok: false,
      error: { kind: 'rate_limited', code: 'HTTP_429', message: 'Too many requests', retryAfterMs: 1000 },
    });
    kernel.bus.send({ type: 'PlaceOrder', intent });
    await executor.settled();
    expect(events.map((e) => e.type)).toEqual(['OrderRejected']);
    expect(tracker.openCount()).toBe(0);
  });

  it('settles an unknown outcome by asking the venue, never by placing again', async () => {
    const { kernel, gateway, executor, events } = await setup();
    gateway.nextPlace = async () => ({
      ok: false,
      error: { kind: 'unknown', code: 'BINANCE_-1007', message: 'Timeout waiting for response' },
    });
    gateway.lookup = ack(intent as PlaceOrderRequest);
    kernel.bus.send({ type: 'PlaceOrder', intent });
    await executor.settled();
    expect(gateway.placed).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual(['OrderUnknown', 'OrderAccepted']);
  });

  it('treats a gateway that throws as an unknown outcome and keeps the order open', async () => {
    const { kernel, gateway, executor, events, tracker, warnings } = await setup();
    gateway.nextPlace = () => Promise.reject(new Error('socket hang up'));
    kernel.bus.send({ type: 'PlaceOrder', intent });
    await executor.settled();
    expect(events.map((e) => e.type)).toEqual(['OrderUnknown']);
    expect(tracker.openCount()).toBe(1);
    expect(warnings).toContain('order outcome still unknown after asking the venue');
  });

  it('shares one cancel between callers while it is out', async () => {
    const { kernel, gateway, executor } = await setup();
    kernel.bus.send({ type: 'PlaceOrder', intent });
    await executor.settled();
    const a = executor.cancel('BTCUSDT', intent.clientOrderId);
    const b = executor.cancel('BTCUSDT', intent.clientOrderId);
    expect(a).toBe(b);
    await a;
    expect(gateway.cancels).toBe(1);
  });
});
