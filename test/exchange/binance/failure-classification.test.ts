import { describe, expect, it } from 'vitest';
import {
  BinanceTimeoutError,
  DEFAULT_RETRY_AFTER_MS,
  classifyFailure,
  retryAfterFromMessage,
} from '../../../src/exchange/binance/index.js';

/** What binance-api-node throws for a JSON error body: only `code` and `url` survive. */
function apiError(code: number, msg: string): Error {
  return Object.assign(new Error(msg), { code, url: 'http://127.0.0.1/api/v3/order' });
}

/** What it throws for a non-JSON body: the response is kept. */
function proxyError(status: number, headers: Record<string, string> = {}): Error {
  const response = { status, headers: { get: (name: string) => headers[name.toLowerCase()] ?? null } };
  return Object.assign(new Error(`${status} Some Status <html>`), { response, responseText: '<html>' });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`request failed, reason: connect ${code}`), { type: 'system', code, errno: code });
}

const NOW = 1_700_000_000_000;

describe('classifyFailure', () => {
  it.each([-1013, -1100, -1102, -1111, -1121, -1130, -2010, -2011, -2013, -2014, -2015, -1022, -1021])(
    'treats %i as rejected, for every kind of call, with Binance code and message verbatim',
    (code) => {
      for (const kind of ['place', 'cancel', 'read'] as const) {
        expect(classifyFailure(apiError(code, 'Filter failure: LOT_SIZE'), kind, NOW)).toEqual({
          kind: 'rejected',
          code: `BINANCE_${code}`,
          message: 'Filter failure: LOT_SIZE',
        });
      }
    },
  );

  it.each([-1000, -1001, -1006, -1007, -1008, -9999])('treats %i as an unknown outcome for a placement and retryable otherwise', (code) => {
    const e = apiError(code, 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.');
    expect(classifyFailure(e, 'place', NOW)).toMatchObject({ kind: 'unknown', code: `BINANCE_${code}` });
    expect(classifyFailure(e, 'cancel', NOW)).toMatchObject({ kind: 'retryable', code: `BINANCE_${code}` });
    expect(classifyFailure(e, 'read', NOW)).toMatchObject({ kind: 'retryable', code: `BINANCE_${code}` });
  });

  it('treats the adapter timeout as unknown for placements and retryable for reads and cancels', () => {
    const e = new BinanceTimeoutError(10_000);
    expect(classifyFailure(e, 'place', NOW)).toEqual({
      kind: 'unknown',
      code: 'TIMEOUT',
      message: 'no answer from Binance within 10000 ms',
    });
    expect(classifyFailure(e, 'cancel', NOW)).toMatchObject({ kind: 'retryable', code: 'TIMEOUT' });
  });

  it('reads rate limits: the window in the message, a ban end, or the defaults', () => {
    const weight = apiError(
      -1003,
      'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams.',
    );
    expect(classifyFailure(weight, 'place', NOW)).toEqual({
      kind: 'rate_limited',
      code: 'BINANCE_-1003',
      message: weight.message,
      retryAfterMs: 60_000,
    });
    const orders = apiError(-1015, 'Too many new orders; current limit is 50 orders per 10 SECOND.');
    expect(classifyFailure(orders, 'place', NOW)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 10_000 });
    const banned = apiError(-1003, `Way too much request weight used; IP banned until ${NOW + 90_000}. Please use WebSocket Streams.`);
    expect(classifyFailure(banned, 'read', NOW)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 90_000 });
    expect(classifyFailure(apiError(-1003, 'Too many requests queued.'), 'read', NOW)).toMatchObject({
      retryAfterMs: DEFAULT_RETRY_AFTER_MS.weight,
    });
    expect(classifyFailure(apiError(-1015, 'Too many new orders.'), 'place', NOW)).toMatchObject({
      retryAfterMs: DEFAULT_RETRY_AFTER_MS.orders,
    });
  });

  it('waits for 00:00 UTC when the daily ORDERS limit is broken', () => {
    const dayStart = Date.UTC(2026, 0, 2);
    expect(
      retryAfterFromMessage(-1015, 'Too many new orders; current limit is 160000 orders per 1 DAY.', dayStart + 86_400_000 - 30_000),
    ).toBe(30_000);
  });

  it('never answers a ban that already ended with less than a second', () => {
    expect(retryAfterFromMessage(-1003, `IP banned until ${NOW - 5}.`, NOW)).toBe(1_000);
  });

  it('sees status and Retry-After on non-JSON bodies, which the library keeps', () => {
    expect(classifyFailure(proxyError(429, { 'retry-after': '7' }), 'place', NOW)).toMatchObject({
      kind: 'rate_limited',
      code: 'HTTP_429',
      retryAfterMs: 7_000,
    });
    expect(classifyFailure(proxyError(418), 'read', NOW)).toMatchObject({
      kind: 'rate_limited',
      code: 'HTTP_418',
      retryAfterMs: DEFAULT_RETRY_AFTER_MS.ban,
    });
    expect(classifyFailure(proxyError(429), 'read', NOW)).toMatchObject({ retryAfterMs: DEFAULT_RETRY_AFTER_MS.weight });
    expect(classifyFailure(proxyError(502), 'place', NOW)).toMatchObject({ kind: 'unknown', code: 'HTTP_502' });
    expect(classifyFailure(proxyError(503), 'cancel', NOW)).toMatchObject({ kind: 'retryable', code: 'HTTP_503' });
    expect(classifyFailure(proxyError(403), 'place', NOW)).toMatchObject({ kind: 'rejected', code: 'HTTP_403' });
  });

  it('retries connections that never opened, but not ones lost after sending a placement', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']) {
      expect(classifyFailure(networkError(code), 'place', NOW)).toMatchObject({ kind: 'retryable', code: `NETWORK_${code}` });
    }
    expect(classifyFailure(networkError('ECONNRESET'), 'place', NOW)).toMatchObject({ kind: 'unknown', code: 'NETWORK_ECONNRESET' });
    expect(classifyFailure(networkError('ECONNRESET'), 'read', NOW)).toMatchObject({ kind: 'retryable' });
    // Node's own fetch puts the system code on `cause`.
    const wrapped = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(classifyFailure(wrapped, 'place', NOW)).toMatchObject({ kind: 'retryable', code: 'NETWORK_ECONNREFUSED' });
  });

  it('treats anything else (an unparsable 200, a bare throw) as possibly executed', () => {
    expect(classifyFailure(new SyntaxError('Unexpected token <'), 'place', NOW)).toMatchObject({ kind: 'unknown', code: 'TRANSPORT' });
    expect(classifyFailure('boom', 'read', NOW)).toEqual({ kind: 'retryable', code: 'TRANSPORT', message: 'boom' });
  });
});
