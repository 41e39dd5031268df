import { type RestError, restError } from './rest-error.js';

/** The limits the sandbox enforces and reports in exchangeInfo; Binance's values by default (PROTOCOLS A.2). */
export interface RestLimits {
  readonly weightPerMinute: number;
  readonly ordersPer10s: number;
  readonly ordersPerDay: number;
  /** ORDERS per minute: USD-M's limit (absent for spot, which has none). */
  readonly ordersPerMinute?: number;
  readonly rawRequestsPer5m: number;
  /** Requests a client may send while told to back off (429) before it is banned (418). */
  readonly violationsBeforeBan: number;
  /** The first ban; each further ban doubles, up to three days (PROTOCOLS A.4). */
  readonly firstBanMs: number;
}

export const BINANCE_LIMITS: RestLimits = {
  weightPerMinute: 6000,
  ordersPer10s: 50,
  ordersPerDay: 160_000,
  rawRequestsPer5m: 61_000,
  violationsBeforeBan: 5,
  firstBanMs: 120_000,
};

const MINUTE = 60_000;
const TEN_SECONDS = 10_000;
const DAY = 86_400_000;
const MAX_BAN_MS = 3 * DAY;

interface IpState {
  window: number;
  used: number;
  /** When the current 429 back-off ends; requests before it are violations. */
  backOffUntil: number;
  violations: number;
  bannedUntil: number;
  bans: number;
}

/** Retry-After in whole seconds, at least 1. */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * Request weight per IP in fixed 1-minute windows, and the account's ORDERS counts in fixed 10-second and UTC-day
 * windows, all on the hub's clock so tests decide when windows roll. Fixed windows are what Binance's headers
 * describe ("used in the current window").
 */
export class RateLimiter {
  private readonly ips = new Map<string, IpState>();
  private orders10s = { window: -1, count: 0 };
  private ordersDay = { window: -1, count: 0 };
  private ordersMinute = { window: -1, count: 0 };

  constructor(readonly limits: RestLimits) {}

  /** Charges a request's weight; a refusal is 418 while banned, 429 when this request breaks the limit. */
  admit(ip: string, weight: number, now: number): RestError | undefined {
    const s = this.state(ip, now);
    if (now < s.bannedUntil) {
      return restError(
        -1003,
        `Way too much request weight used; IP banned until ${s.bannedUntil}. Please use WebSocket Streams for live updates to avoid bans.`,
        418,
        seconds(s.bannedUntil - now),
      );
    }
    if (now < s.backOffUntil) {
      s.violations += 1;
      if (s.violations >= this.limits.violationsBeforeBan) {
        const ban = Math.min(MAX_BAN_MS, this.limits.firstBanMs * 2 ** s.bans);
        s.bans += 1;
        s.bannedUntil = now + ban;
        s.violations = 0;
        s.backOffUntil = 0;
        return restError(
          -1003,
          `Way too much request weight used; IP banned until ${s.bannedUntil}. ` +
            'Please use WebSocket Streams for live updates to avoid bans.',
          418,
          seconds(ban),
        );
      }
    }
    s.used += weight;
    if (s.used > this.limits.weightPerMinute) {
      const windowEnd = (s.window + 1) * MINUTE;
      if (s.backOffUntil <= now) s.violations = 0;
      s.backOffUntil = windowEnd;
      return restError(
        -1003,
        `Too much request weight used; current limit is ${this.limits.weightPerMinute} request weight per 1 MINUTE. ` +
          'Please use WebSocket Streams for live updates to avoid polling the API.',
        429,
        seconds(windowEnd - now),
      );
    }
    return undefined;
  }

  usedWeight(ip: string, now: number): number {
    return this.state(ip, now).used;
  }

  /**
   * 429 -1015 when a request's ORDERS weight would break a limit: `tenSeconds` on the 10-second window, `longer` on the
   * minute and day windows (one order is 1 and 1; USD-M's batchOrders is 5 and 1).
   */
  admitOrder(now: number, tenSeconds = 1, longer = 1): RestError | undefined {
    this.roll(now);
    if (this.orders10s.count + tenSeconds > this.limits.ordersPer10s) {
      return restError(
        -1015,
        `Too many new orders; current limit is ${this.limits.ordersPer10s} orders per 10 SECOND.`,
        429,
        seconds((this.orders10s.window + 1) * TEN_SECONDS - now),
      );
    }
    const perMinute = this.limits.ordersPerMinute;
    if (perMinute !== undefined && this.ordersMinute.count + longer > perMinute) {
      return restError(
        -1015,
        `Too many new orders; current limit is ${perMinute} orders per 1 MINUTE.`,
        429,
        seconds((this.ordersMinute.window + 1) * MINUTE - now),
      );
    }
    if (this.ordersDay.count + longer > this.limits.ordersPerDay) {
      return restError(
        -1015,
        `Too many new orders; current limit is ${this.limits.ordersPerDay} orders per 1 DAY.`,
        429,
        seconds((this.ordersDay.window + 1) * DAY - now),
      );
    }
    return undefined;
  }

  /**
   * Counts ORDERS weight: spot calls it for an accepted order that did not trade on arrival (orders that trade are not
   * "unfilled", PROTOCOLS A.2); USD-M for each order request with its weights (see admitOrder).
   */
  countOrder(now: number, tenSeconds = 1, longer = 1): void {
    this.roll(now);
    this.orders10s.count += tenSeconds;
    this.ordersMinute.count += longer;
    this.ordersDay.count += longer;
  }

  orderCounts(now: number): { tenSeconds: number; minute: number; day: number } {
    this.roll(now);
    return { tenSeconds: this.orders10s.count, minute: this.ordersMinute.count, day: this.ordersDay.count };
  }

  private roll(now: number): void {
    const w10 = Math.floor(now / TEN_SECONDS);
    if (w10 !== this.orders10s.window) this.orders10s = { window: w10, count: 0 };
    const wDay = Math.floor(now / DAY);
    if (wDay !== this.ordersDay.window) this.ordersDay = { window: wDay, count: 0 };
    const wMinute = Math.floor(now / MINUTE);
    if (wMinute !== this.ordersMinute.window) this.ordersMinute = { window: wMinute, count: 0 };
  }

  private state(ip: string, now: number): IpState {
    const window = Math.floor(now / MINUTE);
    let s = this.ips.get(ip);
    if (s === undefined) {
      s = { window, used: 0, backOffUntil: 0, violations: 0, bannedUntil: 0, bans: 0 };
      this.ips.set(ip, s);
    } else if (s.window !== window) {
      s.window = window;
      s.used = 0;
    }
    return s;
  }
}
