import type { Balance, ExecutionReport, Fixed, OrderType, Side, TimeInForce, VenueOrderStatus } from '../../domain/index.js';
import type { VenueOrder, VenueReport } from './types.js';

export type TradeDetail = NonNullable<ExecutionReport['trade']>;

/**
 * The venue's reports, fills and balance entries are built by constructors, not as object literals, on purpose: V8
 * pretenures a literal's allocation site once most of its objects outlive a young collection (a TRADE report lives as
 * long as its order is remembered, a balance entry until the next one), and on the fill path allocating pretenured
 * objects cost more than the young collections they spare. Instances of a class are allocated young.
 */
class OrderReport {
  readonly clientOrderId: string;
  readonly exchangeOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly status: VenueOrderStatus;
  readonly price: Fixed;
  readonly origQty: Fixed;
  readonly cumQty: Fixed;
  readonly cumQuote: Fixed;
  readonly time: number;
  readonly timeInForce: TimeInForce;
  readonly orderTime: number;

  constructor(o: VenueOrder, time: number) {
    this.clientOrderId = o.clientOrderId;
    this.exchangeOrderId = o.orderIdText ?? String(o.orderId);
    this.symbol = o.symbol;
    this.side = o.side;
    this.type = o.type;
    this.status = o.status;
    this.price = o.price;
    this.origQty = o.origQty;
    this.cumQty = o.executedQty;
    this.cumQuote = o.cumQuote;
    this.time = time;
    this.timeInForce = o.timeInForce;
    this.orderTime = o.time;
  }
}

/** A TRADE report: the order's state after one fill, and that fill; `trade` last, where reports have always had it. */
class TradeReport extends OrderReport {
  readonly trade: TradeDetail;

  constructor(o: VenueOrder, time: number, trade: TradeDetail) {
    super(o, time);
    this.trade = trade;
  }
}

/** One fill as a TRADE report carries it. */
export class Fill implements TradeDetail {
  constructor(
    readonly tradeId: number,
    readonly price: Fixed,
    readonly quantity: Fixed,
    readonly commission: Fixed,
    readonly commissionAsset: string,
    readonly isMaker: boolean,
  ) {}
}

/** One asset of an outboundAccountPosition, as it stood. */
export class BalanceEntry implements Balance {
  constructor(
    readonly asset: string,
    readonly free: Fixed,
    readonly locked: Fixed,
  ) {}
}

/** An order's state as an executionReport; with `trade` it is the TRADE report of that one fill. */
export function reportOf(o: VenueOrder, time: number, trade?: TradeDetail): VenueReport {
  const report: VenueReport = trade === undefined ? new OrderReport(o, time) : new TradeReport(o, time, trade);
  if (o.postOnly === true) (report as { postOnly?: true }).postOnly = true;
  return report;
}
