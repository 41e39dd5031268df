import type { Fixed, OrderIntent, OrderOwner, OrderType, Side } from '../../domain/index.js';

/**
 * A grid's LIMIT order intent (GTC, priced), as every re-arm sends one. A class, not an object literal: V8 pretenures a
 * literal's allocation site once most of its objects outlive a young collection (an intent lives as long as its order's
 * record), and on the fill path allocating pretenured objects cost more than the young collections they spare.
 */
export class LimitIntent implements OrderIntent {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly price: Fixed;
  readonly timeInForce = 'GTC' as const;
  readonly quantity: Fixed;
  readonly owner: OrderOwner;
  readonly reducesPosition: boolean;

  constructor(
    clientOrderId: string,
    symbol: string,
    side: Side,
    type: OrderType,
    price: Fixed,
    quantity: Fixed,
    owner: OrderOwner,
    reducesPosition: boolean,
  ) {
    this.clientOrderId = clientOrderId;
    this.symbol = symbol;
    this.side = side;
    this.type = type;
    this.price = price;
    this.quantity = quantity;
    this.owner = owner;
    this.reducesPosition = reducesPosition;
  }
}
