import { describe, expect, it } from 'vitest';
import { classifyFuturesFailure } from '../../../src/exchange/binance-futures/index.js';

const apiError = (code: number, msg = 'refused') => Object.assign(new Error(msg), { code, url: 'http://127.0.0.1/fapi/v1/order' });
const NOW = 1_760_000_000_000;

describe('classifyFuturesFailure', () => {
  it.each([-2019, -2022, -4164, -5022, -5021, -4061, -4016, -4024, -4014, -4023, -4131, -4116])(
    'treats %i as rejected for every kind of call',
    (code) => {
      for (const kind of ['place', 'cancel', 'read'] as const)
        expect(classifyFuturesFailure(apiError(code), kind, NOW)).toEqual({
          kind: 'rejected',
          code: `BINANCE_${code}`,
          message: 'refused',
        });
    },
  );

  it('treats -1008 (throttled before acting) as retryable, even for a placement', () => {
    expect(classifyFuturesFailure(apiError(-1008), 'place', NOW)).toMatchObject({ kind: 'retryable', code: 'BINANCE_-1008' });
  });

  it('keeps the spot rules underneath: -1007 unknown for a placement, -1003 rate limited, -2011 rejected', () => {
    expect(classifyFuturesFailure(apiError(-1007), 'place', NOW)).toMatchObject({ kind: 'unknown' });
    expect(classifyFuturesFailure(apiError(-1007), 'read', NOW)).toMatchObject({ kind: 'retryable' });
    expect(
      classifyFuturesFailure(apiError(-1003, 'Too many requests; current limit is 2400 request weight per 1 MINUTE.'), 'read', NOW),
    ).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 60_000,
    });
    expect(classifyFuturesFailure(apiError(-2011, 'Unknown order sent.'), 'cancel', NOW)).toMatchObject({ kind: 'rejected' });
  });

  it('treats a 503 page as an unknown outcome for a placement and a 418 as rate limited', () => {
    const page = (status: number) =>
      Object.assign(new Error(`${status} <html>`), { response: { status, headers: { get: () => null } }, responseText: '<html>' });
    expect(classifyFuturesFailure(page(503), 'place', NOW)).toMatchObject({ kind: 'unknown', code: 'HTTP_503' });
    expect(classifyFuturesFailure(page(418), 'read', NOW)).toMatchObject({ kind: 'rate_limited', code: 'HTTP_418', retryAfterMs: 120_000 });
  });
});
