import { Counter, Histogram, type Registry } from 'prom-client';
import type { Side } from '../../domain/index.js';
import type { Component, ComponentContext } from '../../engine/index.js';

/** Seconds from an order leaving for the exchange to its acknowledgement: a local sandbox answers in ms, Binance in 10s of ms. */
const ACK_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** `tg_G3_17_B-2` → side and level: the grid's ids name them (domain/client-order-id.ts). */
const LEVEL = /_[BS](-?\d+)$/;

/**
 * The counters that come from bus events: fills, re-arms, risk denials by reason, exchange refusals and the
 * sent → acknowledged latency. A component like any other on the bus host; it never touches TradeTicked, so the hot
 * path pays nothing, and each handler is a Map operation and a counter increment (it must not throw: a fault here
 * would halt trading like any component's).
 *
 * A re-arm is the grid's order one level over from a grid order that filled (a buy at i sells at i+1, a sell at i buys
 * at i−1): a fill leaves that level "owed", and the grid's next LIMIT order there is counted once. Market orders (a
 * grid's entry and exit) owe nothing.
 */
export class BusCounters implements Component {
  readonly name = 'ops-metrics';
  private readonly fills: Counter<'symbol' | 'side'>;
  private readonly rearms: Counter<'symbol'>;
  private readonly denials: Counter<'reason'>;
  private readonly sent: Counter<'symbol'>;
  private readonly refused: Counter<'symbol'>;
  private readonly ack: Histogram;
  /** Client order id → when it was sent (kernel clock), until the exchange acknowledges or ends it. */
  private readonly sentAt = new Map<string, number>();
  /** Grid market orders in flight: their fills re-arm nothing. */
  private readonly marketOrders = new Set<string>();
  /** `grid|side|level` keys a fill made owed a re-arm. */
  private readonly owed = new Set<string>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.fills = new Counter({
      name: 'telegrid_fills_total',
      help: 'Fills booked (each trade once)',
      labelNames: ['symbol', 'side'],
      registers,
    });
    this.rearms = new Counter({
      name: 'telegrid_rearms_total',
      help: 'Grid orders re-armed one level over after a fill',
      labelNames: ['symbol'],
      registers,
    });
    this.denials = new Counter({
      name: 'telegrid_risk_denials_total',
      help: 'Orders the risk gate refused, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.sent = new Counter({
      name: 'telegrid_orders_sent_total',
      help: 'Approved orders sent toward the exchange',
      labelNames: ['symbol'],
      registers,
    });
    this.refused = new Counter({
      name: 'telegrid_orders_rejected_total',
      help: 'Orders the exchange refused',
      labelNames: ['symbol'],
      registers,
    });
    this.ack = new Histogram({
      name: 'telegrid_order_ack_seconds',
      help: 'From an order sent (saved, queued) to the exchange acknowledging it',
      buckets: ACK_BUCKETS,
      registers,
    });
  }

  attach({ bus }: ComponentContext): void {
    bus.on('OrderSent', (e) => {
      this.sent.inc({ symbol: e.symbol });
      this.sentAt.set(e.clientOrderId, e.time);
      if (e.owner.kind !== 'grid') return;
      const key = owedKey(e.owner.gridId, e.clientOrderId, e.side, 0);
      if (e.intent.type === 'MARKET') this.marketOrders.add(e.clientOrderId);
      else if (key !== undefined && this.owed.delete(key)) this.rearms.inc({ symbol: e.symbol });
    });
    bus.on('OrderAccepted', (e) => {
      const sentAt = this.sentAt.get(e.clientOrderId);
      this.sentAt.delete(e.clientOrderId);
      if (sentAt !== undefined && e.time >= sentAt) this.ack.observe((e.time - sentAt) / 1000);
    });
    bus.on('OrderFilled', (e) => {
      this.fills.inc({ symbol: e.symbol, side: e.side });
      this.sentAt.delete(e.clientOrderId);
      if (e.owner.kind === 'grid' && !this.marketOrders.has(e.clientOrderId)) {
        // The re-arm sits on the other side, one level toward it.
        const key = owedKey(e.owner.gridId, e.clientOrderId, e.side === 'BUY' ? 'SELL' : 'BUY', e.side === 'BUY' ? 1 : -1);
        if (key !== undefined) this.owed.add(key);
      }
      if (e.complete) this.marketOrders.delete(e.clientOrderId);
    });
    bus.on('OrderDenied', (e) => this.denials.inc({ reason: e.code }));
    bus.on('OrderRejected', (e) => {
      this.refused.inc({ symbol: e.symbol });
      this.ended(e.clientOrderId);
    });
    bus.on('OrderCanceled', (e) => this.ended(e.clientOrderId));
    bus.on('OrderExpired', (e) => this.ended(e.clientOrderId));
    bus.on('OrderUnknown', (e) => this.ended(e.clientOrderId));
    bus.on('GridStopped', (e) => {
      for (const key of this.owed) if (key.startsWith(`${e.gridId}|`)) this.owed.delete(key);
    });
  }

  private ended(clientOrderId: string): void {
    this.sentAt.delete(clientOrderId);
    this.marketOrders.delete(clientOrderId);
  }
}

/** The owed-re-arm key of the level `step` away from the order's own, on `side` (step 0: the order's own level). */
function owedKey(gridId: string, clientOrderId: string, side: Side, step: number): string | undefined {
  const m = LEVEL.exec(clientOrderId);
  return m ? `${gridId}|${side}|${Number(m[1]) + step}` : undefined;
}
