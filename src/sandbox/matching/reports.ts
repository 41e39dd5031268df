import type { ExecutionReport } from '../../domain/index.js';
import type { VenueOrder, VenueReport } from './types.js';

export type TradeDetail = NonNullable<ExecutionReport['trade']>;

/** An order's state as an executionReport; with `trade` it is the TRADE report of that one fill. */
export function reportOf(o: VenueOrder, time: number, trade?: TradeDetail): VenueReport {
  const exchangeOrderId = o.orderIdText ?? String(o.orderId);
  // A fill's report is one literal of its own, `trade` in it: added afterwards it would cost each TRADE report a
  // property store of its own and give it a shape of its own.
  const report: { -readonly [K in keyof VenueReport]: VenueReport[K] } =
    trade === undefined
      ? {
          clientOrderId: o.clientOrderId,
          exchangeOrderId,
          symbol: o.symbol,
          side: o.side,
          type: o.type,
          status: o.status,
          price: o.price,
          origQty: o.origQty,
          cumQty: o.executedQty,
          cumQuote: o.cumQuote,
          time,
          timeInForce: o.timeInForce,
          orderTime: o.time,
        }
      : {
          clientOrderId: o.clientOrderId,
          exchangeOrderId,
          symbol: o.symbol,
          side: o.side,
          type: o.type,
          status: o.status,
          price: o.price,
          origQty: o.origQty,
          cumQty: o.executedQty,
          cumQuote: o.cumQuote,
          time,
          timeInForce: o.timeInForce,
          orderTime: o.time,
          trade,
        };
  if (o.postOnly === true) report.postOnly = true;
  return report;
}
