import type { ExecutionReport, Fixed, FuturesExecutionReport, FuturesOrderRequest, OrderRequest } from '../../domain/index.js';

/**
 * Binance's own orders closing a position: type LIQUIDATION, client id `autoclose-…` (liquidation) or `adl_autoclose`
 * (auto-deleveraging). Never the bot's, so never an execution for the order tracker.
 */
export function isVenueClosure(r: FuturesExecutionReport): boolean {
  return r.type === 'LIQUIDATION' || r.clientOrderId.startsWith('autoclose-') || r.clientOrderId.startsWith('adl_autoclose');
}

/** The bot's order request as the futures port takes it (one-way mode; reduceOnly only when asked). */
export function futuresRequestOf(request: OrderRequest): FuturesOrderRequest {
  return {
    clientOrderId: request.clientOrderId,
    symbol: request.symbol,
    side: request.side,
    type: request.type,
    quantity: request.quantity,
    ...(request.price !== undefined && { price: request.price }),
    ...(request.timeInForce !== undefined && { timeInForce: request.timeInForce }),
    ...(request.reduceOnly === true && { reduceOnly: true }),
  };
}

/**
 * A futures report in the spot port's terms, field for field; `cumQuote` is the exact one the caller established
 * (never avgPrice×cumQty). Only LIMIT and MARKET reach here: a LIQUIDATION goes to the listener's onLiquidation.
 */
export function executionOfFutures(r: FuturesExecutionReport, cumQuote: Fixed): ExecutionReport {
  const trade = r.trade;
  return {
    clientOrderId: r.clientOrderId,
    exchangeOrderId: r.exchangeOrderId,
    symbol: r.symbol,
    side: r.side,
    type: r.type === 'MARKET' ? 'MARKET' : 'LIMIT',
    status: r.status,
    price: r.price,
    origQty: r.origQty,
    cumQty: r.cumQty,
    cumQuote,
    ...(trade !== undefined && {
      trade: {
        tradeId: trade.tradeId,
        price: trade.price,
        quantity: trade.quantity,
        commission: trade.commission,
        commissionAsset: trade.commissionAsset,
        isMaker: trade.isMaker,
        realizedPnl: trade.realizedPnl,
      },
    }),
    ...(r.expireReason !== undefined && r.expireReason !== 0 && { rejectReason: expireReasonText(r.expireReason) }),
    time: r.time,
  };
}

/** The stream's expire reasons (`er`) the owner may see on an expired order. */
function expireReasonText(code: number): string {
  switch (code) {
    case 2:
      return 'IOC remainder expired';
    case 4:
      return 'reduce-only order would have reversed the position';
    case 9:
      return 'market order remainder expired';
    default:
      return `expired (reason ${code})`;
  }
}
