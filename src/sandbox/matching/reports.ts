import type { ExecutionReport } from '../../domain/index.js';
import type { VenueOrder } from './types.js';

export type TradeDetail = NonNullable<ExecutionReport['trade']>;

/** An order's state as an executionReport; with `trade` it is the TRADE report of that one fill. */
export function reportOf(o: VenueOrder, time: number, trade?: TradeDetail): ExecutionReport {
  const report: ExecutionReport = {
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
  };
  return trade ? { ...report, trade } : report;
}
