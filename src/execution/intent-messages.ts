import type { ExecutionReport, OrderIntent, OrderOwner, OrderRequest, OrderSent } from '../domain/index.js';

/** The event every executor publishes as an approved order leaves for the venue. */
export function orderSentOf(intent: OrderIntent, time: number): OrderSent {
  return {
    type: 'OrderSent',
    clientOrderId: intent.clientOrderId,
    symbol: intent.symbol,
    side: intent.side,
    owner: intent.owner,
    intent,
    time,
  };
}

/** The request a venue receives for an intent: a LIMIT order rests until cancelled unless it says otherwise. */
export function orderRequestOf(intent: OrderIntent): OrderRequest {
  return {
    clientOrderId: intent.clientOrderId,
    symbol: intent.symbol,
    side: intent.side,
    type: intent.type,
    price: intent.price,
    quantity: intent.quantity,
    timeInForce: intent.type === 'LIMIT' ? (intent.timeInForce ?? 'GTC') : undefined,
  };
}

/**
 * The intent an order the venue reports stands for: what adopting an order the bot did not send (an orphan) tracks.
 * A resting order is taken as GTC: the report does not say.
 */
export function intentOfReport(report: ExecutionReport, owner: OrderOwner): OrderIntent {
  const base = {
    clientOrderId: report.clientOrderId,
    symbol: report.symbol,
    side: report.side,
    quantity: report.origQty,
    owner,
    reducesPosition: false,
  };
  return report.type === 'LIMIT' ? { ...base, type: 'LIMIT', price: report.price, timeInForce: 'GTC' } : { ...base, type: 'MARKET' };
}
