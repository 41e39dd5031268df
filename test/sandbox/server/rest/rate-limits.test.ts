import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, START, get, signed, startHarness } from './harness.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('rate limits', () => {
  it('reports used weight on every response, per endpoint weight, in a 1-minute window', async () => {
    h = await startHarness();
    expect((await get(h, '/api/v3/ping')).headers.get('x-mbx-used-weight-1m')).toBe('1');
    expect((await get(h, '/api/v3/exchangeInfo')).headers.get('x-mbx-used-weight-1m')).toBe('21');
    expect((await get(h, '/api/v3/ticker/price')).headers.get('x-mbx-used-weight-1m')).toBe('25');
    const acct = await signed(h, 'GET', '/api/v3/account', `timestamp=${START}`);
    expect(acct.headers.get('x-mbx-used-weight-1m')).toBe('45');
    const bad = await signed(h, 'GET', '/api/v3/account', `timestamp=${START}`, { key: null });
    expect(bad.headers.get('x-mbx-used-weight-1m')).toBe('65');
    h.clock.now = START + 60_000 - (START % 60_000);
    expect((await get(h, '/api/v3/time')).headers.get('x-mbx-used-weight-1m')).toBe('1');
  });

  it('answers 429 with Retry-After past the weight limit, then 418 with a growing ban for a client that keeps going', async () => {
    h = await startHarness({ limits: { weightPerMinute: 3, violationsBeforeBan: 2, firstBanMs: 120_000 } });
    const windowStart = START - (START % 60_000);
    h.clock.now = windowStart + 50_000;
    for (let i = 0; i < 3; i += 1) expect((await get(h, '/api/v3/ping')).status).toBe(200);
    const limited = await get(h, '/api/v3/ping');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    expect(limited.body).toEqual({
      code: -1003,
      msg:
        'Too much request weight used; current limit is 3 request weight per 1 MINUTE. ' +
        'Please use WebSocket Streams for live updates to avoid polling the API.',
    });
    expect((await get(h, '/api/v3/ping')).status).toBe(429);
    const banned = await get(h, '/api/v3/ping');
    expect(banned.status).toBe(418);
    expect(banned.headers.get('retry-after')).toBe('120');
    expect(banned.body.code).toBe(-1003);
    h.clock.now += 60_000;
    expect((await get(h, '/api/v3/ping')).headers.get('retry-after')).toBe('60');

    // After the ban, a client that breaks the limit and keeps going is banned for twice as long.
    h.clock.now = windowStart + 240_000;
    for (let i = 0; i < 3; i += 1) expect((await get(h, '/api/v3/ping')).status).toBe(200);
    expect((await get(h, '/api/v3/ping')).status).toBe(429);
    expect((await get(h, '/api/v3/ping')).status).toBe(429);
    const again = await get(h, '/api/v3/ping');
    expect(again.status).toBe(418);
    expect(again.headers.get('retry-after')).toBe('240');
  });

  it('counts unfilled orders in the ORDERS windows, with headers, rateLimit/order and -1015', async () => {
    h = await startHarness({ limits: { ordersPer10s: 2 } });
    h.trade('50000.00');
    h.clock.now = START - (START % 10_000);
    const t = () => `&timestamp=${h?.clock.now}`;
    const place = (price: string) =>
      signed(
        h as Harness,
        'POST',
        '/api/v3/order',
        `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=${price}${t()}`,
      );
    const first = await place('49000');
    expect(first.headers.get('x-mbx-order-count-10s')).toBe('1');
    expect(first.headers.get('x-mbx-order-count-1d')).toBe('1');
    await place('48000');
    const third = await place('47000');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('10');
    expect(third.body).toEqual({ code: -1015, msg: 'Too many new orders; current limit is 2 orders per 10 SECOND.' });
    const counts = await signed(h, 'GET', '/api/v3/rateLimit/order', t().slice(1));
    expect(counts.body).toEqual([
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 2, count: 2 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 160000, count: 2 },
    ]);
    h.clock.now += 10_000;
    const later = await place('47000');
    expect(later.status).toBe(200);
    expect(later.headers.get('x-mbx-order-count-10s')).toBe('1');
    expect(later.headers.get('x-mbx-order-count-1d')).toBe('3');
  });
});
