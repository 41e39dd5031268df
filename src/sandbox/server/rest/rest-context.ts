import type { Instrument } from '../../../domain/index.js';
import type { FeeRates } from '../../matching/index.js';
import type { SandboxHub } from '../sandbox-hub.js';
import type { Params } from './params.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SandboxApiRestrictions } from './api-restrictions.js';
import type { DailyStats } from './daily-stats.js';
import type { FuturesMarket } from '../../futures/index.js';
import type { FuturesRestLimits } from './fapi-limits.js';
import type { Checked } from './rest-error.js';
import type { TradeHistory } from './trade-history.js';

/** What every endpoint handler may use: the hub, the REST layer's own records, and the limits. */
export interface RestContext {
  readonly hub: SandboxHub;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly history: TradeHistory;
  /** Rolling 24 h statistics of the tape, for GET /ticker/24hr. */
  readonly dailyStats: DailyStats;
  /** Spot's request-weight and ORDERS limits (/api, /sapi). */
  readonly limiter: RateLimiter;
  /** USD-M: marks, funding and contract terms over the same tape (the hub's). */
  readonly futures: FuturesMarket;
  /** /fapi's own limits and limiter: USD-M is another host on Binance, with its own per-IP weight. */
  readonly futuresLimits: FuturesRestLimits;
  readonly futuresLimiter: RateLimiter;
  readonly fees: FeeRates;
  /** What GET /sapi/v1/account/apiRestrictions says about the account's one API key. */
  readonly apiRestrictions: SandboxApiRestrictions;
  /** A fresh client order id for orders and cancels sent without one. */
  nextClientId(): string;
}

/** A successful answer; `orderCounts` adds the X-MBX-ORDER-COUNT-* headers. */
export interface Reply {
  readonly body: unknown;
  readonly orderCounts?: boolean;
}

export type Handler = (ctx: RestContext, p: Params) => Checked<Reply>;

export interface Route {
  readonly signed: boolean;
  /** USER_STREAM security: the API key only, no signature (the listenKey endpoints). */
  readonly apiKeyOnly?: boolean;
  readonly weight: (p: Params) => number;
  readonly handle: Handler;
}

export function reply(body: unknown, orderCounts = false): Reply {
  return { body, orderCounts };
}
