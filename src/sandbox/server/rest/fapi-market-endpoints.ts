import { type Instrument, format } from '../../../domain/index.js';
import { d8 } from './binance-shapes.js';
import { FUNDING_RATE_CAP, type FundingHistoryRow, INTEREST_RATE } from '../../futures/index.js';
import { decimalsOf, fundingRateJson, futuresAssetsJson, futuresRateLimitsJson, futuresSymbolJson } from './fapi-shapes.js';
import type { Params } from './params.js';
import { type Handler, type RestContext, reply } from './rest-context.js';
import { type Checked, INVALID_SYMBOL, isRestError } from './rest-error.js';

/** USD-M market endpoints (PROTOCOLS-FUTURES A.1) over the same tape and instruments as spot's. */

/** The instrument `symbol` names, or every one. */
function selected(ctx: RestContext, p: Params): Checked<Instrument[]> {
  const one = p.get('symbol');
  if (one === undefined) return [...ctx.instruments.values()];
  const inst = ctx.instruments.get(one);
  return inst === undefined ? INVALID_SYMBOL : [inst];
}

/** One object for `symbol`, an array without it, as every futures ticker endpoint answers. */
function oneOrAll(p: Params, rows: object[]): unknown {
  return p.has('symbol') ? rows[0] : rows;
}

export const fapiPing: Handler = () => reply({});

export const fapiTime: Handler = (ctx) => reply({ serverTime: ctx.hub.now() });

/** Live Binance ignores `symbol` here and returns every symbol (A.1); so does the sandbox. */
export const fapiExchangeInfo: Handler = (ctx) => {
  const insts = [...ctx.instruments.values()];
  return reply({
    timezone: 'UTC',
    serverTime: ctx.hub.now(),
    futuresType: 'U_MARGINED',
    rateLimits: futuresRateLimitsJson(ctx.futuresLimits),
    exchangeFilters: [],
    assets: futuresAssetsJson(insts),
    symbols: insts.map((i) => futuresSymbolJson(i, ctx.futures.terms(i.symbol))),
  });
};

/** `{symbol, price, time}`: the last trade, to the tick's decimals as Binance writes futures prices, and its time. */
export const fapiTickerPrice: Handler = (ctx, p) => {
  const insts = selected(ctx, p);
  if (isRestError(insts)) return insts;
  const rows = insts.map((i) => {
    const last = ctx.futures.lastTrade(i.symbol);
    return { symbol: i.symbol, price: format(last.price, decimalsOf(i.filters.priceFilter.tickSize)), time: last.time };
  });
  return reply(oneOrAll(p, rows));
};

/**
 * The mark is TapeMarkPrice's (the last trade at or before the clock, FUNDING.md). The sandbox has no spot index
 * apart from its one tape, so indexPrice and estimatedSettlePrice are the mark too: a zero premium, which is also
 * what makes a funding rate purely the configured one.
 */
export const fapiPremiumIndex: Handler = (ctx, p) => {
  const insts = selected(ctx, p);
  if (isRestError(insts)) return insts;
  const now = ctx.hub.now();
  const rows = insts.map((i) => {
    const mark = d8(ctx.futures.markPrice(i.symbol));
    return {
      symbol: i.symbol,
      markPrice: mark,
      indexPrice: mark,
      estimatedSettlePrice: mark,
      lastFundingRate: d8(ctx.futures.comingFundingRate(i.symbol)),
      interestRate: d8(INTEREST_RATE),
      nextFundingTime: ctx.futures.nextFundingTime(i.symbol),
      time: now,
    };
  });
  return reply(oneOrAll(p, rows));
};

const FUNDING_LIMIT_DEFAULT = 100;
const FUNDING_LIMIT_MAX = 1000;

/**
 * History of settled rates from the configured series, ascending. With startTime: the first `limit` rows from it;
 * otherwise the latest `limit` rows up to endTime (or now). An empty array for a symbol on the constant rate.
 */
export const fapiFundingRate: Handler = (ctx, p) => {
  const insts = selected(ctx, p);
  if (isRestError(insts)) return insts;
  const start = p.integer('startTime');
  if (isRestError(start)) return start;
  const end = p.integer('endTime');
  if (isRestError(end)) return end;
  const n = p.limit(FUNDING_LIMIT_DEFAULT, FUNDING_LIMIT_MAX);
  if (isRestError(n)) return n;
  const rows: FundingHistoryRow[] = insts
    .flatMap((i) => ctx.futures.fundingHistory(i.symbol))
    .filter((r) => (start === undefined || r.fundingTime >= start) && (end === undefined || r.fundingTime <= end))
    .sort((a, b) => a.fundingTime - b.fundingTime || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  const picked = start !== undefined ? rows.slice(0, n) : rows.slice(Math.max(0, rows.length - n));
  return reply(picked.map(fundingRateJson));
};

/**
 * Every served symbol with its funding interval (chosen: Binance lists only symbols with adjusted terms, but a bot that
 * reads this should not have to assume the 8 h default). Cap and floor are the docs example's; the sandbox does not clamp.
 */
export const fapiFundingInfo: Handler = (ctx) =>
  reply(
    [...ctx.instruments.values()].map((i) => ({
      symbol: i.symbol,
      adjustedFundingRateCap: d8(FUNDING_RATE_CAP),
      adjustedFundingRateFloor: d8(-FUNDING_RATE_CAP),
      fundingIntervalHours: ctx.futures.intervalHours(i.symbol),
      disclaimer: false,
    })),
  );
