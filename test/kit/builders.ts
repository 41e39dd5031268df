/**
 * Defaulted builders for the messages tests talk in: an intent, the OrderSent that carries it, a venue report and its
 * trade. Each default is a plausible BTCUSDT grid order; a test names only what it is about.
 */
import { type ExecutionReport, type OrderIntent, type OrderSent, fx } from '../../src/domain/index.js';
import { intentOfReport, orderSentOf } from '../../src/execution/index.js';

let seq = 0;

/** A BTCUSDT grid buy of 0.001 at 95 000; each call without a client order id gets a fresh one. */
export function anIntent(over: Partial<OrderIntent> = {}): OrderIntent {
  seq++;
  return {
    clientOrderId: `tg_G1_${seq}_B-1`,
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    price: fx('95000'),
    timeInForce: 'GTC',
    quantity: fx('0.001'),
    owner: { kind: 'grid', gridId: 'G1' },
    reducesPosition: false,
    ...over,
  };
}

/** The event an executor publishes as `intent` leaves for the venue. */
export function anOrderSent(over: Partial<OrderIntent> = {}, time = 1_000): OrderSent {
  return orderSentOf(anIntent(over), time);
}

/** The OrderSent for an order the venue reports (what the bot would have sent for it), owned by hand by default. */
export function sentForReport(report: ExecutionReport, time = report.time): OrderSent {
  return orderSentOf(intentOfReport(report, { kind: 'manual' }), time);
}

/** A venue report of a new BTCUSDT grid buy of 0.002 at 95 000. */
export function aReport(over: Partial<ExecutionReport> = {}): ExecutionReport {
  return {
    clientOrderId: 'tg_G1_1_B-1',
    exchangeOrderId: '7',
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    status: 'NEW',
    price: fx('95000'),
    origQty: fx('0.002'),
    cumQty: 0n,
    cumQuote: 0n,
    time: 1_000,
    ...over,
  };
}

/** One maker trade at 95 000 with a base-asset fee, for a report's `trade`. */
export function aTrade(tradeId: number, quantity: string, over: Partial<NonNullable<ExecutionReport['trade']>> = {}): NonNullable<ExecutionReport['trade']> {
  return { tradeId, price: fx('95000'), quantity: fx(quantity), commission: fx('0.000001'), commissionAsset: 'BTC', isMaker: true, ...over };
}
