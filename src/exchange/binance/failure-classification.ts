import type { GatewayFailure } from '../gateway.js';
import { takeRetryAfter } from './retry-after-capture.js';

/**
 * What a call does to the account, which decides what an ambiguous failure means: a lost `place` may have created an
 * order (outcome unknown), a lost `read` or `cancel` changed nothing a retry cannot repeat safely.
 */
export type CallKind = 'place' | 'cancel' | 'read';

/** Raised by the adapter's own timeout; the library has none. */
export class BinanceTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer from Binance within ${timeoutMs} ms`);
    this.name = 'BinanceTimeoutError';
  }
}

/** Waits used when Binance gives no Retry-After the library lets us see (it drops HTTP headers on JSON errors). */
export const DEFAULT_RETRY_AFTER_MS = Object.freeze({
  /** -1003 / 429 without a window in the message: a full REQUEST_WEIGHT minute. */
  weight: 60_000,
  /** -1015 without a window in the message: the ORDERS 10-second window. */
  orders: 10_000,
  /** 418 without Retry-After: Binance's shortest ban. */
  ban: 120_000,
});

/** Codes that mean the request was refused before it could change anything (PROTOCOLS A.5). */
const REJECTED_CODES: ReadonlySet<number> = new Set([
  -1002, -1013, -1014, -1016, -1020, -1021, -1022, -1023, -1099, -2010, -2011, -2013, -2014, -2015, -2016, -2026,
]);

/** Connection errors raised before a request was written: nothing reached Binance. */
const NOT_SENT_NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

const UNIT_MS: Readonly<Record<string, number>> = { SECOND: 1_000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };

function isRejectedCode(code: number): boolean {
  return REJECTED_CODES.has(code) || (code <= -1100 && code >= -1199);
}

/** Fields binance-api-node and its fetch attach to what they throw. */
interface ThrownShape {
  readonly message: string;
  readonly code?: unknown;
  readonly cause?: { readonly code?: unknown };
  readonly response?: { readonly status?: unknown; readonly headers?: { get(name: string): string | null } };
  readonly url?: unknown;
}

function shapeOf(error: unknown): ThrownShape {
  if (typeof error === 'object' && error !== null) {
    const e = error as Record<string, unknown>;
    return {
      message: typeof e.message === 'string' ? e.message : String(error),
      code: e.code,
      cause: typeof e.cause === 'object' && e.cause !== null ? (e.cause as { code?: unknown }) : undefined,
      response: typeof e.response === 'object' && e.response !== null ? (e.response as ThrownShape['response']) : undefined,
      url: e.url,
    };
  }
  return { message: String(error) };
}

/** Unknown for a placement (it may have gone through), retryable otherwise. */
function ambiguous(kind: CallKind, code: string, message: string): GatewayFailure {
  return { kind: kind === 'place' ? 'unknown' : 'retryable', code, message };
}

/**
 * How long to wait after a rate-limit refusal: a ban's end from "banned until <ms>", else the window named in
 * "per <n> <UNIT>" (the daily ORDERS window ends at 00:00 UTC), else the defaults above.
 */
export function retryAfterFromMessage(code: number, message: string, serverNow: number): number {
  const banned = /banned until (\d{10,16})/.exec(message);
  if (banned?.[1] !== undefined) return Math.max(1_000, Number(banned[1]) - serverNow);
  const window = /per (\d+) (SECOND|MINUTE|HOUR|DAY)/.exec(message);
  if (window?.[1] !== undefined && window[2] !== undefined) {
    if (window[2] === 'DAY') return Math.max(1_000, UNIT_MS.DAY! - (serverNow % UNIT_MS.DAY!));
    return Number(window[1]) * UNIT_MS[window[2]]!;
  }
  return code === -1015 ? DEFAULT_RETRY_AFTER_MS.orders : DEFAULT_RETRY_AFTER_MS.weight;
}

function retryAfterHeader(response: ThrownShape['response']): number | undefined {
  const raw = response?.headers?.get('retry-after');
  if (raw === null || raw === undefined) return undefined;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.max(1_000, seconds * 1_000) : undefined;
}

/**
 * Sorts anything binance-api-node (or the adapter's timeout) threw into the gateway's four kinds, keeping Binance's
 * code as `BINANCE_<code>` and its message verbatim. Anything not known to be harmless is treated as possibly executed.
 */
export function classifyFailure(error: unknown, kind: CallKind, serverNow: number): GatewayFailure {
  if (error instanceof BinanceTimeoutError) return ambiguous(kind, 'TIMEOUT', error.message);
  const e = shapeOf(error);

  // A JSON error body: Binance's own code, the HTTP status lost by the library.
  if (typeof e.code === 'number' || (typeof e.code === 'string' && /^-\d+$/.test(e.code))) {
    const code = Number(e.code);
    const tag = `BINANCE_${code}`;
    if (code === -1003 || code === -1015) {
      // Binance's Retry-After when the request's answer carried one, else the window its message names.
      const retryAfterMs = takeRetryAfter(e.url) ?? retryAfterFromMessage(code, e.message, serverNow);
      return { kind: 'rate_limited', code: tag, message: e.message, retryAfterMs };
    }
    // "Duplicate order sent." means an order with this client id is open already, perhaps our own earlier attempt whose
    // answer was lost: not a refusal to forget but an outcome to settle by asking.
    if (kind === 'place' && code === -2010 && /duplicate order/i.test(e.message)) return ambiguous(kind, tag, e.message);
    if (isRejectedCode(code)) return { kind: 'rejected', code: tag, message: e.message };
    // -1000, -1001, -1006, -1007, -1008 and anything unlisted: Binance may have acted on it.
    return ambiguous(kind, tag, e.message);
  }

  // A non-JSON error body (a proxy or WAF page): the library keeps the response, so status and headers are visible.
  const status = e.response?.status;
  if (typeof status === 'number') {
    const tag = `HTTP_${status}`;
    if (status === 429 || status === 418) {
      const fallback = status === 418 ? DEFAULT_RETRY_AFTER_MS.ban : DEFAULT_RETRY_AFTER_MS.weight;
      return { kind: 'rate_limited', code: tag, message: e.message, retryAfterMs: retryAfterHeader(e.response) ?? fallback };
    }
    if (status >= 400 && status < 500) return { kind: 'rejected', code: tag, message: e.message };
    return ambiguous(kind, tag, e.message);
  }

  const network = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
  if (network !== undefined) {
    if (NOT_SENT_NETWORK_CODES.has(network)) return { kind: 'retryable', code: `NETWORK_${network}`, message: e.message };
    return ambiguous(kind, `NETWORK_${network}`, e.message);
  }
  return ambiguous(kind, 'TRANSPORT', e.message);
}
