import type { ExecutionReport } from '../../domain/index.js';
import type { VenueOrder, VenueReport } from './types.js';

export type TradeDetail = NonNullable<ExecutionReport['trade']>;

/** An order's state as an executionReport; with `trade` it is the TRADE report of that one fill. */
export function reportOf(o: VenueOrder, time: number, trade?: TradeDetail): VenueReport {
  const report: { -readonly [K in keyof VenueReport]: VenueReport[K] } = {
    clientOrderId: o.clientOrderId,
    exchangeOrderId: String(o.orderId),
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
  };
  // Added in place rather than spread into a second object: a fill's report is on the hot path.
  if (trade !== undefined) report.trade = trade;
  if (o.postOnly === true) report.postOnly = true;
  return report;
}
