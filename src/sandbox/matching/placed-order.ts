import { type Fixed, type OrderType, type Side, type TimeInForce, type VenueOrderStatus, ZERO } from '../../domain/index.js';
import type { NewOrder, VenueOrder, VenueReport } from './types.js';

/**
 * An order as the venue places it: built by a constructor rather than as an object literal. V8 pretenures a literal's
 * allocation site once most of its objects outlive a young collection (most resting orders do), and a pretenured
 * object pays a write barrier for every young value stored into it (its bigints, its reports); an instance of a class
 * is always allocated young, and the few that live long are moved out by the collector instead.
 */
export class PlacedOrder implements VenueOrder {
  readonly orderId: number;
  /** `orderId` as the decimal string every report carries, made once per order. */
  readonly orderIdText: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly price: Fixed;
  readonly origQty: Fixed;
  executedQty: Fixed = ZERO;
  cumQuote: Fixed = ZERO;
  status: VenueOrderStatus = 'NEW';
  locked: Fixed = ZERO;
  readonly time: number;
  updateTime: number;
  trades: VenueReport[] | undefined = undefined;

  constructor(orderId: number, req: NewOrder, timeInForce: TimeInForce, price: Fixed, time: number) {
    this.orderId = orderId;
    this.orderIdText = String(orderId);
    this.clientOrderId = req.clientOrderId;
    this.symbol = req.symbol;
    this.side = req.side;
    this.type = req.type;
    this.timeInForce = timeInForce;
    this.price = price;
    this.origQty = req.quantity;
    this.time = time;
    this.updateTime = time;
  }
}
