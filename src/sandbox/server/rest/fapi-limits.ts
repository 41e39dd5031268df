import { BINANCE_LIMITS, RateLimiter } from './rate-limiter.js';

/** USD-M's own limits, counted apart from spot's (fapi is another host on Binance, with its own per-IP weight). */
export interface FuturesRestLimits {
  readonly weightPerMinute: number;
  readonly ordersPer10s: number;
  readonly ordersPerMinute: number;
}

/**
 * PROTOCOLS-FUTURES A.0: REQUEST_WEIGHT 2400/MINUTE and ORDERS 1200/MINUTE are the docs' exchangeInfo example; ORDERS
 * 300 per 10 SECOND is corroborated by live captures (and is in the 2022 exchangeInfo file), not documented.
 */
const BINANCE_FUTURES_LIMITS: FuturesRestLimits = { weightPerMinute: 2400, ordersPer10s: 300, ordersPerMinute: 1200 };

export function futuresRestLimits(overrides: Partial<FuturesRestLimits> = {}): FuturesRestLimits {
  return { ...BINANCE_FUTURES_LIMITS, ...overrides };
}

/**
 * Spot's limiter counts request weight and bans the same way; the weight and the ORDERS limits per 10 s and per minute
 * are USD-M's, which has no daily ORDERS limit (none is documented or seen live).
 */
export function futuresLimiter(limits: FuturesRestLimits): RateLimiter {
  return new RateLimiter({
    ...BINANCE_LIMITS,
    weightPerMinute: limits.weightPerMinute,
    ordersPer10s: limits.ordersPer10s,
    ordersPerMinute: limits.ordersPerMinute,
    ordersPerDay: Number.POSITIVE_INFINITY,
  });
}
