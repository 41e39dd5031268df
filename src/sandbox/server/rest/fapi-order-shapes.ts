import { fixed } from '../../../domain/index.js';
import type { FuturesOrderView, FuturesTrade, IncomeRow } from '../../futures/index.js';
import { d8 } from './binance-shapes.js';
import { type FuturesPrecision, padded } from './fapi-shapes.js';

/**
 * USD-M orders, trades and income rows in Binance's field names, key order and number forms (PROTOCOLS-FUTURES A.3,
 * A.4). Chosen precisions, after the real capture in A.3 ("price":"110001.00","origQty":"0.200","cumQuote":"0.00000"
 * for BTCUSDT, pricePrecision 2 and quantityPrecision 3) and a real filled order ("avgPrice":"10913.21000",
 * "cumQuote":"10.91321"): prices at pricePrecision, quantities at quantityPrecision, cumQuote and a non-zero avgPrice
 * at both added, a zero avgPrice at pricePrecision ("0.00"), each padded but never cut (`padded`). Commissions,
 * realized PnL and income at 8 places, as live userTrades and income show them.
 */

/**
 * What newOrderRespType=ACK reports: the order as the venue accepted it, before it matched (status NEW, nothing
 * executed). The facts leave an ACK for a MARKET order UNVERIFIED; a captured MARKET response says NEW with "0.000"
 * executed, which is what this gives. The fills follow on the user data stream, as for every order.
 */
export function acceptedView(o: FuturesOrderView): FuturesOrderView {
  return { ...o, status: 'NEW', executedQty: 0n, cumQuote: 0n, avgPrice: 0n, updateTime: o.time };
}

function avgPriceText(o: FuturesOrderView, p: FuturesPrecision): string {
  return o.avgPrice === 0n ? padded(0n, p.price) : padded(o.avgPrice, p.quote);
}

/**
 * An order as POST/DELETE /fapi/v1/order answer it (`cumQty` beside executedQty), or as GET order, openOrders and
 * allOrders report it (`time` before updateTime, no cumQty). Conditional fields are the plain order's constants: the
 * algo types live on other endpoints since 2025-12.
 */
export function futuresOrderJson(o: FuturesOrderView, p: FuturesPrecision, form: 'placed' | 'queried'): object {
  const executed = padded(o.executedQty, p.quantity);
  return {
    orderId: o.orderId,
    symbol: o.symbol,
    status: o.status,
    clientOrderId: o.clientOrderId,
    price: padded(o.price, p.price),
    avgPrice: avgPriceText(o, p),
    origQty: padded(o.origQty, p.quantity),
    executedQty: executed,
    ...(form === 'placed' ? { cumQty: executed } : {}),
    cumQuote: padded(o.cumQuote, p.quote),
    timeInForce: o.timeInForce,
    type: o.type,
    reduceOnly: o.reduceOnly,
    closePosition: false,
    side: o.side,
    positionSide: o.positionSide,
    stopPrice: padded(0n, p.price),
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: o.origType,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'NONE',
    goodTillDate: 0,
    ...(form === 'queried' ? { time: o.time } : {}),
    updateTime: o.updateTime,
  };
}

/**
 * A userTrades row in the docs' key order, plus `marginAsset` as live rows carry it. Commission is positive, as live
 * rows show it (the docs example is negative, PROTOCOLS-FUTURES A.4); realizedPnl is pre-fee.
 */
export function futuresTradeJson(t: FuturesTrade, p: FuturesPrecision, marginAsset: string): object {
  const buyer = t.side === 'BUY';
  return {
    buyer,
    commission: d8(t.commission),
    commissionAsset: t.commissionAsset,
    id: t.tradeId,
    maker: t.isMaker,
    orderId: t.orderId,
    price: padded(t.price, p.price),
    qty: padded(t.quantity, p.quantity),
    // Exact for a price on the tick and a quantity on the step; anything finer is truncated, as Binance's computed figures are.
    quoteQty: padded(fixed.mul(t.price, t.quantity, 'floor'), p.quote),
    realizedPnl: d8(t.realizedPnl),
    marginAsset,
    side: t.side,
    positionSide: t.positionSide,
    symbol: t.symbol,
    time: t.time,
  };
}

/** An income row: `tranId` a number, `tradeId` a string ("" where the row has no trade), as Binance sends them. */
export function incomeJson(r: IncomeRow): object {
  return {
    symbol: r.symbol,
    incomeType: r.incomeType,
    income: d8(r.income),
    asset: r.asset,
    info: r.info,
    time: r.time,
    tranId: r.tranId,
    tradeId: r.tradeId === undefined ? '' : String(r.tradeId),
  };
}
