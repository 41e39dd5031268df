import {
  fapiExchangeInfo,
  fapiFundingInfo,
  fapiFundingRate,
  fapiPing,
  fapiPremiumIndex,
  fapiTickerPrice,
  fapiTime,
} from './fapi-market-endpoints.js';
import { fapiListenKeyCreate, fapiListenKeyDelete, fapiListenKeyKeepAlive, userStreamRoute } from './fapi-listen-key-endpoints.js';
import { fapiBookTicker, fapiDepth, fapiDepthWeight, fapiKlines, fapiKlinesWeight } from './fapi-book-endpoints.js';
import { spotKlines } from './kline-rows.js';
import { account, apiRestrictions, myTrades, rateLimitOrder } from './account-endpoints.js';
import { bookTicker, depth, depthWeight, exchangeInfo, ping, ticker24hr, ticker24hrWeight, tickerPrice, time } from './market-endpoints.js';
import { allOrders, cancelAll, cancelOrder, getOrder, newOrder, openOrders, testOrder, testOrderWeight } from './order-endpoints.js';
import {
  fapiAccountConfig,
  fapiAccountV2,
  fapiAccountV3,
  fapiBalance,
  fapiCommissionRate,
  fapiGetPositionMode,
  fapiLeverageBracket,
  fapiLeverage,
  fapiMarginType,
  fapiPositionRiskV2,
  fapiPositionRiskV3,
  fapiRateLimitOrder,
  fapiSetPositionMode,
  fapiSymbolConfig,
} from './fapi-account-endpoints.js';
import {
  fapiAllOrders,
  fapiBatchOrders,
  fapiCancelAll,
  fapiCancelBatch,
  fapiCancelOrder,
  fapiCountdownCancelAll,
  fapiGetOrder,
  fapiNewOrder,
  fapiOpenOrder,
  fapiOpenOrders,
  openOrdersWeight,
} from './fapi-order-endpoints.js';
import { fapiIncome, fapiUserTrades } from './fapi-trade-endpoints.js';
import type { Params } from './params.js';
import type { Handler, Route } from './rest-context.js';

const fixed = (w: number) => (): number => w;
/** Endpoints that weigh less when narrowed to one symbol (PROTOCOLS A.10). */
const bySymbol =
  (one: number, all: number) =>
  (p: Params): number =>
    p.has('symbol') ? one : all;

function route(signed: boolean, weight: (p: Params) => number, handle: Handler): Route {
  return { signed, weight, handle };
}

/**
 * Every endpoint, keyed "METHOD /path" (/api/v3, the one /sapi call the bot makes, and USD-M's /fapi), with its security
 * and request weight. /fapi weights are PROTOCOLS-FUTURES A.1's, counted against USD-M's own per-IP limit.
 */
export const ROUTES: ReadonlyMap<string, Route> = new Map([
  ['GET /api/v3/ping', route(false, fixed(1), ping)],
  ['GET /api/v3/time', route(false, fixed(1), time)],
  ['GET /api/v3/exchangeInfo', route(false, fixed(20), exchangeInfo)],
  ['GET /api/v3/ticker/price', route(false, bySymbol(2, 4), tickerPrice)],
  ['GET /api/v3/ticker/bookTicker', route(false, bySymbol(2, 4), bookTicker)],
  ['GET /api/v3/ticker/24hr', route(false, ticker24hrWeight, ticker24hr)],
  ['GET /api/v3/depth', route(false, depthWeight, depth)],
  ['GET /api/v3/klines', route(false, fixed(2), spotKlines)],
  ['GET /api/v3/uiKlines', route(false, fixed(2), spotKlines)],
  ['POST /api/v3/order', route(true, fixed(1), newOrder)],
  ['POST /api/v3/order/test', route(true, testOrderWeight, testOrder)],
  ['DELETE /api/v3/order', route(true, fixed(1), cancelOrder)],
  ['GET /api/v3/order', route(true, fixed(4), getOrder)],
  ['GET /api/v3/openOrders', route(true, bySymbol(6, 80), openOrders)],
  ['DELETE /api/v3/openOrders', route(true, fixed(1), cancelAll)],
  ['GET /api/v3/allOrders', route(true, fixed(20), allOrders)],
  ['GET /api/v3/account', route(true, fixed(20), account)],
  ['GET /api/v3/myTrades', route(true, (p) => (p.has('orderId') ? 5 : 20), myTrades)],
  ['GET /api/v3/rateLimit/order', route(true, fixed(40), rateLimitOrder)],
  ['GET /sapi/v1/account/apiRestrictions', route(true, fixed(1), apiRestrictions)],
  ['GET /fapi/v1/ping', route(false, fixed(1), fapiPing)],
  ['GET /fapi/v1/time', route(false, fixed(1), fapiTime)],
  ['GET /fapi/v1/exchangeInfo', route(false, fixed(1), fapiExchangeInfo)],
  // v1 is deprecated but is what binance-api-node calls; v2 answers the same shape.
  ['GET /fapi/v1/ticker/price', route(false, bySymbol(1, 2), fapiTickerPrice)],
  ['GET /fapi/v2/ticker/price', route(false, bySymbol(1, 2), fapiTickerPrice)],
  ['GET /fapi/v1/depth', route(false, fapiDepthWeight, fapiDepth)],
  ['GET /fapi/v1/klines', route(false, fapiKlinesWeight, fapiKlines)],
  ['GET /fapi/v1/ticker/bookTicker', route(false, bySymbol(2, 5), fapiBookTicker)],
  ['GET /fapi/v1/premiumIndex', route(false, bySymbol(1, 10), fapiPremiumIndex)],
  // Binance meters these two on a separate 500 per 5 minutes pool, which the sandbox does not keep; they weigh 1 here.
  ['GET /fapi/v1/fundingRate', route(false, fixed(1), fapiFundingRate)],
  ['GET /fapi/v1/fundingInfo', route(false, fixed(1), fapiFundingInfo)],
  // USD-M trading and account (PROTOCOLS-FUTURES A.3, A.4). A new order weighs 0 on the IP: it pays ORDERS instead.
  ['POST /fapi/v1/order', route(true, fixed(0), fapiNewOrder)],
  ['POST /fapi/v1/batchOrders', route(true, fixed(5), fapiBatchOrders)],
  ['DELETE /fapi/v1/order', route(true, fixed(1), fapiCancelOrder)],
  ['DELETE /fapi/v1/batchOrders', route(true, fixed(1), fapiCancelBatch)],
  ['DELETE /fapi/v1/allOpenOrders', route(true, fixed(1), fapiCancelAll)],
  ['POST /fapi/v1/countdownCancelAll', route(true, fixed(10), fapiCountdownCancelAll)],
  ['GET /fapi/v1/order', route(true, fixed(1), fapiGetOrder)],
  ['GET /fapi/v1/openOrder', route(true, fixed(1), fapiOpenOrder)],
  ['GET /fapi/v1/openOrders', route(true, openOrdersWeight, fapiOpenOrders)],
  ['GET /fapi/v1/allOrders', route(true, fixed(5), fapiAllOrders)],
  ['GET /fapi/v1/userTrades', route(true, fixed(5), fapiUserTrades)],
  ['GET /fapi/v1/income', route(true, fixed(30), fapiIncome)],
  ['POST /fapi/v1/leverage', route(true, fixed(1), fapiLeverage)],
  ['POST /fapi/v1/marginType', route(true, fixed(1), fapiMarginType)],
  ['GET /fapi/v1/positionSide/dual', route(true, fixed(30), fapiGetPositionMode)],
  ['POST /fapi/v1/positionSide/dual', route(true, fixed(1), fapiSetPositionMode)],
  ['GET /fapi/v1/symbolConfig', route(true, fixed(5), fapiSymbolConfig)],
  ['GET /fapi/v1/accountConfig', route(true, fixed(5), fapiAccountConfig)],
  ['GET /fapi/v2/balance', route(true, fixed(5), fapiBalance)],
  ['GET /fapi/v3/balance', route(true, fixed(5), fapiBalance)],
  ['GET /fapi/v2/account', route(true, fixed(5), fapiAccountV2)],
  ['GET /fapi/v3/account', route(true, fixed(5), fapiAccountV3)],
  ['GET /fapi/v2/positionRisk', route(true, fixed(5), fapiPositionRiskV2)],
  ['GET /fapi/v3/positionRisk', route(true, fixed(5), fapiPositionRiskV3)],
  ['GET /fapi/v1/leverageBracket', route(true, fixed(1), fapiLeverageBracket)],
  ['GET /fapi/v1/commissionRate', route(true, fixed(20), fapiCommissionRate)],
  ['GET /fapi/v1/rateLimit/order', route(true, fixed(1), fapiRateLimitOrder)],
  // USD-M's listenKey (USER_STREAM: the API key, no signature).
  ['POST /fapi/v1/listenKey', userStreamRoute(fapiListenKeyCreate)],
  ['PUT /fapi/v1/listenKey', userStreamRoute(fapiListenKeyKeepAlive)],
  ['DELETE /fapi/v1/listenKey', userStreamRoute(fapiListenKeyDelete)],
]);
