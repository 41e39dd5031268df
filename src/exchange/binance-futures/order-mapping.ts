import { type FuturesExecutionReport, ZERO } from '../../domain/index.js';
import { type FuturesTradeRow, tradeReports } from '../futures-trade-reports.js';
import { isOurOrderType, orderType, positionSide, side, status, timeInForce } from './futures-enums.js';
import { Bad, type Mapped, arr, attempt, bool, dec, id, int, obj, perp, text } from './wire-readers.js';

/**
 * A futures order as REST describes it (POST/DELETE/GET order, openOrders) → a report without a trade: fills come on
 * the user data stream. Ids are kept as digits: json-bigint gives BigNumbers above 2^53.
 */
export function mapFuturesOrder(raw: unknown): Mapped<FuturesExecutionReport> {
  return attempt('futures order', () => restOrder(raw));
}

function restOrder(raw: unknown): FuturesExecutionReport {
  const o = obj(raw, 'order');
  const type = orderType(o.type);
  return {
    clientOrderId: text(o.clientOrderId, 'clientOrderId'),
    exchangeOrderId: id(o.orderId, 'orderId'),
    symbol: perp(o.symbol, 'symbol'),
    side: side(o.side),
    type,
    timeInForce: timeInForce(o.timeInForce),
    status: status(o.status),
    price: dec(o.price, 'price'),
    origQty: dec(o.origQty, 'origQty'),
    cumQty: dec(o.executedQty, 'executedQty'),
    // connector 34.0.0 dropped avgPrice/cumQuote from the documented POST answer (facts A.3): absent means not said.
    avgPrice: o.avgPrice === undefined ? ZERO : dec(o.avgPrice, 'avgPrice'),
    ...(o.cumQuote !== undefined && { cumQuote: dec(o.cumQuote, 'cumQuote') }),
    reduceOnly: bool(o.reduceOnly, 'reduceOnly'),
    positionSide: positionSide(o.positionSide),
    time: int(o.updateTime ?? o.time, 'updateTime'),
  };
}

/** GET /fapi/v1/openOrders → reports; an order of a type the bot never places is not ours and is left out. */
export function mapFuturesOpenOrders(raw: unknown): Mapped<readonly FuturesExecutionReport[]> {
  return attempt('futures openOrders', () =>
    arr(raw, 'openOrders')
      .filter((o) => isOurOrderType(obj(o, 'order').type))
      .map(restOrder),
  );
}

/**
 * GET /fapi/v1/userTrades of one order → one report per trade, oldest first, with the order's cumulative quantity and
 * quote as of that trade, realized PnL and commission (USDT) as Binance booked them.
 */
export function mapFuturesOrderTrades(raw: unknown, order: FuturesExecutionReport): Mapped<readonly FuturesExecutionReport[]> {
  return attempt('futures userTrades', () => {
    const trades = arr(raw, 'userTrades').map((t): FuturesTradeRow => {
      const o = obj(t, 'trade');
      const orderId = id(o.orderId, 'orderId');
      const tradeId = int(o.id, 'id');
      if (orderId !== order.exchangeOrderId) throw new Bad(`trade ${tradeId} belongs to order ${orderId}, not ${order.exchangeOrderId}`);
      return {
        tradeId,
        price: dec(o.price, 'price'),
        quantity: dec(o.qty, 'qty'),
        quote: dec(o.quoteQty, 'quoteQty'),
        commission: dec(o.commission, 'commission'),
        commissionAsset: text(o.commissionAsset, 'commissionAsset'),
        realizedPnl: dec(o.realizedPnl, 'realizedPnl'),
        isMaker: bool(o.maker, 'maker'),
        time: int(o.time, 'time'),
      };
    });
    return tradeReports(order, trades);
  });
}
