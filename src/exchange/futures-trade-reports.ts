import { type Fixed, type FuturesExecutionReport, ZERO } from '../domain/index.js';

/** One of an order's USD-M trades (userTrades), as both futures venues read it: Binance's REST and the paper venue. */
export interface FuturesTradeRow {
  readonly tradeId: number;
  readonly price: Fixed;
  readonly quantity: Fixed;
  /** quoteQty: price × quantity as the venue booked it. */
  readonly quote: Fixed;
  readonly commission: Fixed;
  readonly commissionAsset: string;
  readonly realizedPnl: Fixed;
  readonly isMaker: boolean;
  readonly time: number;
}

/** An order's trades as reports, oldest first, each with the order's cumulative quantity and quote as of that trade. */
export function tradeReports(order: FuturesExecutionReport, trades: readonly FuturesTradeRow[]): FuturesExecutionReport[] {
  let cumQty: Fixed = ZERO;
  let cumQuote: Fixed = ZERO;
  return [...trades]
    .sort((a, b) => a.tradeId - b.tradeId)
    .map((t): FuturesExecutionReport => {
      cumQty += t.quantity;
      cumQuote += t.quote;
      const { tradeId, price, quantity, commission, commissionAsset, realizedPnl, isMaker } = t;
      return {
        ...order,
        status: cumQty >= order.origQty ? 'FILLED' : 'PARTIALLY_FILLED',
        cumQty,
        cumQuote,
        trade: { tradeId, price, quantity, commission, commissionAsset, realizedPnl, isMaker },
        time: t.time,
      };
    });
}
