import { format } from '../../../domain/index.js';
import type { MarginType } from '../../futures/index.js';
import {
  accountConfigJson,
  accountV2Json,
  accountV3Json,
  balanceJson,
  leverageBracketJson,
  positionRiskV2Json,
  positionRiskV3Json,
  symbolConfigJson,
} from './fapi-account-shapes.js';
import { booleanParam, futuresSymbol } from './fapi-order-params.js';
import { marginAssetOf, precisionFor, served, venueError, venueOf } from './fapi-trade-venue.js';
import type { Params } from './params.js';
import { type Handler, type RestContext, reply } from './rest-context.js';
import { type Checked, INVALID_SYMBOL, type RestError, invalidValue, isRestError } from './rest-error.js';

/** USD-M account, position and configuration endpoints (PROTOCOLS-FUTURES A.4) over the hub's futures account. */

const SUCCESS = { code: 200, msg: 'success' };

/** An optional `symbol`, served when given. */
function optionalSymbol(ctx: RestContext, p: Params): Checked<string | undefined> {
  const symbol = p.get('symbol');
  if (symbol === undefined) return undefined;
  return ctx.instruments.has(symbol) ? symbol : INVALID_SYMBOL;
}

/** POST leverage: `leverage` an integer (the venue refuses outside 1…125 with -4028) → {leverage, maxNotionalValue, symbol}. */
export const fapiLeverage: Handler = (ctx, p) => {
  const symbol = futuresSymbol(p, served(ctx));
  if (isRestError(symbol)) return symbol;
  const leverage = p.integer('leverage');
  if (isRestError(leverage)) return leverage;
  if (leverage === undefined) return p.required('leverage') as RestError;
  const res = venueOf(ctx).setLeverage(symbol, leverage, ctx.hub.now());
  if (!res.ok) return venueError(res.error);
  return reply({ leverage: res.value.leverage, maxNotionalValue: format(res.value.maxNotionalValue), symbol });
};

/** POST marginType: ISOLATED or CROSSED (as requests spell them) → {"code":200,"msg":"success"}; -4046 when unchanged. */
export const fapiMarginType: Handler = (ctx, p) => {
  const symbol = futuresSymbol(p, served(ctx));
  if (isRestError(symbol)) return symbol;
  const marginType = p.required('marginType');
  if (isRestError(marginType)) return marginType;
  if (marginType !== 'ISOLATED' && marginType !== 'CROSSED') return invalidValue('marginType');
  const res = venueOf(ctx).setMarginType(symbol, marginType as MarginType, ctx.hub.now());
  return res.ok ? reply(SUCCESS) : venueError(res.error);
};

export const fapiGetPositionMode: Handler = (ctx) => reply({ dualSidePosition: venueOf(ctx).dualSidePosition() });

/** POST positionSide/dual: the venue trades one-way only and refuses `true` with Binance's error. */
export const fapiSetPositionMode: Handler = (ctx, p) => {
  const dual = booleanParam(p, 'dualSidePosition');
  if (isRestError(dual)) return dual;
  if (dual === undefined) return p.required('dualSidePosition') as RestError;
  const res = venueOf(ctx).setDualSidePosition(dual, ctx.hub.now());
  return res.ok ? reply(SUCCESS) : venueError(res.error);
};

export const fapiSymbolConfig: Handler = (ctx, p) => {
  const symbol = optionalSymbol(ctx, p);
  if (isRestError(symbol)) return symbol;
  const res = venueOf(ctx).symbolConfig(symbol);
  return res.ok ? reply(res.value.map(symbolConfigJson)) : venueError(res.error);
};

export const fapiAccountConfig: Handler = (ctx) => reply(accountConfigJson(venueOf(ctx).dualSidePosition()));

/** GET /fapi/v2/balance and /fapi/v3/balance answer the same rows. */
export const fapiBalance: Handler = (ctx) => reply(venueOf(ctx).balances().map(balanceJson));

export const fapiAccountV2: Handler = (ctx) => {
  const venue = venueOf(ctx);
  const every = venue.positions();
  if (!every.ok) return venueError(every.error);
  return reply(accountV2Json(venue.account(), every.value, (s) => precisionFor(ctx, s)));
};

export const fapiAccountV3: Handler = (ctx) => reply(accountV3Json(venueOf(ctx).account(), (s) => precisionFor(ctx, s)));

/** GET /fapi/v2/positionRisk: every symbol (or the one asked for), flat ones included. */
export const fapiPositionRiskV2: Handler = (ctx, p) => {
  const symbol = optionalSymbol(ctx, p);
  if (isRestError(symbol)) return symbol;
  const res = venueOf(ctx).positions(symbol);
  return res.ok ? reply(res.value.map((v) => positionRiskV2Json(v, precisionFor(ctx, v.symbol)))) : venueError(res.error);
};

/** GET /fapi/v3/positionRisk: only symbols with a position or an open order (the account view's rule). */
export const fapiPositionRiskV3: Handler = (ctx, p) => {
  const symbol = optionalSymbol(ctx, p);
  if (isRestError(symbol)) return symbol;
  const rows = venueOf(ctx)
    .account()
    .positions.filter((v) => symbol === undefined || v.symbol === symbol)
    .map((v) => positionRiskV3Json(v, precisionFor(ctx, v.symbol), marginAssetOf(ctx, v.symbol)));
  return reply(rows);
};

/** GET leverageBracket: numbers, as Binance sends them; one object when a symbol is named, an array otherwise (A.4). */
export const fapiLeverageBracket: Handler = (ctx, p) => {
  const symbol = optionalSymbol(ctx, p);
  if (isRestError(symbol)) return symbol;
  const all = ctx.hub.futuresBrackets;
  if (symbol !== undefined) {
    const one = all.get(symbol);
    return one === undefined ? INVALID_SYMBOL : reply(leverageBracketJson(one));
  }
  return reply([...all.values()].map(leverageBracketJson));
};

/** GET commissionRate: the account's maker and taker rates as Binance writes them ("0.0002"). */
export const fapiCommissionRate: Handler = (ctx, p) => {
  const symbol = futuresSymbol(p, served(ctx));
  if (isRestError(symbol)) return symbol;
  const res = venueOf(ctx).commissionRate(symbol);
  if (!res.ok) return venueError(res.error);
  return reply({ symbol, makerCommissionRate: format(res.value.maker), takerCommissionRate: format(res.value.taker) });
};

/** GET rateLimit/order: the account's ORDERS limits, as the docs example lists them (no counts). */
export const fapiRateLimitOrder: Handler = (ctx) =>
  reply([
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: ctx.futuresLimits.ordersPer10s },
    { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: ctx.futuresLimits.ordersPerMinute },
  ]);
