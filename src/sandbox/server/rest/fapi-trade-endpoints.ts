import type { IncomeType } from '../../futures/index.js';
import { futuresTradeJson, incomeJson } from './fapi-order-shapes.js';
import { futuresSymbol } from './fapi-order-params.js';
import { marginAssetOf, precisionFor, served, venueError, venueOf } from './fapi-trade-venue.js';
import type { Params } from './params.js';
import { type Handler, reply } from './rest-context.js';
import { type Checked, INVALID_SYMBOL, invalidValue, isRestError } from './rest-error.js';

/** USD-M fills and income (PROTOCOLS-FUTURES A.4), both oldest first. */

interface Window {
  readonly start?: number;
  readonly end?: number;
}

function windowOf(p: Params): Checked<Window> {
  const start = p.integer('startTime');
  if (isRestError(start)) return start;
  const end = p.integer('endTime');
  if (isRestError(end)) return end;
  return { ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) };
}

function inWindow(time: number, w: Window): boolean {
  return (w.start === undefined || time >= w.start) && (w.end === undefined || time <= w.end);
}

/** From a start (id or time): the first `limit` rows; otherwise the latest `limit`. */
function pick<T>(rows: readonly T[], fromStart: boolean, limit: number): T[] {
  return fromStart ? rows.slice(0, limit) : rows.slice(Math.max(0, rows.length - limit));
}

const TRADES_DEFAULT = 500;
const TRADES_MAX = 1000;

/**
 * GET userTrades: `symbol` required; `orderId` narrows to one order; `fromId` starts at a trade id; startTime/endTime
 * bound the time. Chosen: no 7-day default window (the run's every fill stays queryable; Binance keeps 6 months and
 * answers at most 7 days per query).
 */
export const fapiUserTrades: Handler = (ctx, p) => {
  const symbol = futuresSymbol(p, served(ctx));
  if (isRestError(symbol)) return symbol;
  const orderId = p.integer('orderId');
  if (isRestError(orderId)) return orderId;
  const fromId = p.integer('fromId');
  if (isRestError(fromId)) return fromId;
  const w = windowOf(p);
  if (isRestError(w)) return w;
  const limit = p.limit(TRADES_DEFAULT, TRADES_MAX);
  if (isRestError(limit)) return limit;
  const res = venueOf(ctx).userTrades(symbol);
  if (!res.ok) return venueError(res.error);
  const rows = res.value.filter(
    (t) => (orderId === undefined || t.orderId === orderId) && (fromId === undefined || t.tradeId >= fromId) && inWindow(t.time, w),
  );
  const precision = precisionFor(ctx, symbol);
  const asset = marginAssetOf(ctx, symbol);
  return reply(pick(rows, fromId !== undefined || w.start !== undefined, limit).map((t) => futuresTradeJson(t, precision, asset)));
};

/** Every type Binance documents is accepted as a filter; the sandbox books only the first four (others match nothing). */
const INCOME_TYPES = new Set<string>([
  'REALIZED_PNL',
  'FUNDING_FEE',
  'COMMISSION',
  'INSURANCE_CLEAR',
  'TRANSFER',
  'WELCOME_BONUS',
  'REFERRAL_KICKBACK',
  'COMMISSION_REBATE',
  'API_REBATE',
  'CONTEST_REWARD',
  'CROSS_COLLATERAL_TRANSFER',
  'OPTIONS_PREMIUM_FEE',
  'OPTIONS_SETTLE_PROFIT',
  'INTERNAL_TRANSFER',
  'AUTO_EXCHANGE',
  'DELIVERED_SETTELMENT',
  'COIN_SWAP_DEPOSIT',
  'COIN_SWAP_WITHDRAW',
  'POSITION_LIMIT_INCREASE_FEE',
  'STRATEGY_UMFUTURES_TRANSFER',
  'FEE_RETURN',
  'BFUSD_REWARD',
]);

const INCOME_DEFAULT = 100;
const INCOME_MAX = 1000;
const SEVEN_DAYS = 7 * 86_400_000;

/**
 * GET income: optional `symbol` and `incomeType` filters; without startTime and endTime only the last 7 days (A.4).
 * From a startTime the first `limit` rows, otherwise the latest `limit`.
 */
export const fapiIncome: Handler = (ctx, p) => {
  const symbol = p.get('symbol');
  if (symbol !== undefined && !ctx.instruments.has(symbol)) return INVALID_SYMBOL;
  const type = p.get('incomeType');
  if (type !== undefined && !INCOME_TYPES.has(type)) return invalidValue('incomeType');
  const given = windowOf(p);
  if (isRestError(given)) return given;
  const limit = p.limit(INCOME_DEFAULT, INCOME_MAX);
  if (isRestError(limit)) return limit;
  const w: Window = given.start === undefined && given.end === undefined ? { start: ctx.hub.now() - SEVEN_DAYS } : given;
  const rows = venueOf(ctx)
    .income()
    .filter(
      (r) =>
        (symbol === undefined || r.symbol === symbol) &&
        (type === undefined || r.incomeType === (type as IncomeType)) &&
        inWindow(r.time, w),
    );
  return reply(pick(rows, given.start !== undefined, limit).map(incomeJson));
};
