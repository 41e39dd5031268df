import type { OrderIntent, OrderRequest, OrderSent } from '../domain/index.js';

/** The event every executor publishes as an approved order leaves for the venue. */
export function orderSentOf(intent: OrderIntent, time: number): OrderSent {
  return {
    type: 'OrderSent',
    clientOrderId: intent.clientOrderId,
    symbol: intent.symbol,
    side: intent.side,
    owner: intent.owner,
    orderType: intent.type,
    price: intent.price,
    quantity: intent.quantity,
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
