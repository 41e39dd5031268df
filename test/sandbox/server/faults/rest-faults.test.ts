import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, get, signed, startHarness } from '../rest/harness.js';
import { type Client, LIMIT_BUY, admin, binanceClient, refusal, until } from './support.js';

let h: Harness;
let client: Client;

beforeEach(async () => {
  h = await startHarness();
  client = binanceClient(h);
  h.trade('50000.00');
});

afterEach(async () => {
  await h.close();
});

const orderQuery = (id: string): string =>
  `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=49000&newClientOrderId=${id}&timestamp=${h.clock.now}`;

describe('request faults over HTTP', () => {
  it('http5xx answers the next N matching requests without doing anything, then the server is normal again', async () => {
    expect(h.server.faults.arm({ kind: 'http5xx', match: 'POST /api/v3/order', count: 2, status: 500 }).ok).toBe(true);
    const first = await signed(h, 'POST', '/api/v3/order', orderQuery('a1'));
    expect(first.status).toBe(500);
    expect(first.body).toEqual({ code: -1000, msg: 'An unknown error occurred while processing the request.' });
    // A request the fault does not match passes untouched.
    expect((await get(h, '/api/v3/time')).status).toBe(200);
    expect((await signed(h, 'POST', '/api/v3/order', orderQuery('a2'))).status).toBe(500);
    expect((await signed(h, 'POST', '/api/v3/order', orderQuery('a3'))).status).toBe(200);
    const open = await signed(h, 'GET', '/api/v3/openOrders', `symbol=BTCUSDT&timestamp=${h.clock.now}`);
    expect((open.body as unknown as Array<{ clientOrderId: string }>).map((o) => o.clientOrderId)).toEqual(['a3']);
    const status = h.server.faults.status();
    expect(status.armed).toEqual([]);
    expect(status.fired.map((f) => f.request)).toEqual(['POST /api/v3/order', 'POST /api/v3/order']);
  });

  it('http5xx 502 answers as a proxy would (HTML), and execute: true places the order before failing', async () => {
    h.server.faults.arm({ kind: 'http5xx', status: 502, execute: true, match: 'POST /api/v3/order' });
    const res = await fetch(`${h.server.httpBase}/api/v3/order?x=1`, { method: 'POST' });
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('502 Bad Gateway');
    h.server.faults.arm({ kind: 'http5xx', execute: true, match: 'POST /api/v3/order' });
    const placed = await signed(h, 'POST', '/api/v3/order', orderQuery('x1'));
    expect(placed.status).toBe(503);
    expect(placed.body.code).toBe(-1001);
    const found = await signed(h, 'GET', '/api/v3/order', `symbol=BTCUSDT&origClientOrderId=x1&timestamp=${h.clock.now}`);
    expect(found.body.status).toBe('NEW');
  });

  it("rateLimit answers 429 with Retry-After and Binance's -1003 body", async () => {
    h.server.faults.arm({ kind: 'rateLimit', retryAfter: 7 });
    const res = await get(h, '/api/v3/time');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body.code).toBe(-1003);
    expect((await get(h, '/api/v3/time')).status).toBe(200);
  });

  it('delay answers after the given time, with the normal answer', async () => {
    h.server.faults.arm({ kind: 'delay', ms: 50, match: 'GET /api/v3/time' });
    const started = performance.now();
    const res = await get(h, '/api/v3/time');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ serverTime: h.clock.now });
  });

  it('hang never answers until the plan is cleared, which drops the connection', async () => {
    h.server.faults.arm({ kind: 'hang', match: 'GET /api/v3/ping' });
    let settled = false;
    const pending = fetch(`${h.server.httpBase}/api/v3/ping`).finally(() => {
      settled = true;
    });
    await until(() => h.server.faults.status().fired.length === 1);
    // Other requests are served meanwhile, and still the hung one has no answer.
    expect((await get(h, '/api/v3/time')).status).toBe(200);
    expect(settled).toBe(false);
    h.server.faults.clear();
    await expect(pending).rejects.toThrow();
  });

  it('every: k with count "all" fails each k-th matching request until cleared', async () => {
    h.server.faults.arm({ kind: 'http5xx', match: 'GET /api/v3/ping', every: 2, count: 'all' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(h, '/api/v3/ping')).status);
    expect(statuses).toEqual([200, 503, 200, 503, 200, 503]);
    expect(h.server.faults.status().armed).toHaveLength(1);
    h.server.faults.clear();
    expect((await get(h, '/api/v3/ping')).status).toBe(200);
  });

  it('refuses a malformed spec with a Result', () => {
    const r = h.server.faults.arm({ kind: 'delay' } as never);
    expect(r).toEqual({ ok: false, error: { code: 'fault.bad-spec', message: 'delay needs ms' } });
  });
});

describe('order faults through binance-api-node', () => {
  it('unknownAfterPlace: the client throws -1007, yet getOrder by client order id finds the order', async () => {
    h.server.faults.arm({ kind: 'unknownAfterPlace' });
    const e = await refusal(client.order({ ...LIMIT_BUY, newClientOrderId: 'grid-7' }));
    expect(e).toEqual({
      code: -1007,
      message: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
    });
    const found = await client.getOrder({ symbol: 'BTCUSDT', origClientOrderId: 'grid-7' });
    expect(found).toMatchObject({ clientOrderId: 'grid-7', status: 'NEW', price: '49000.00000000', origQty: '0.01000000' });
    expect(await client.openOrders({ symbol: 'BTCUSDT' })).toHaveLength(1);
  });

  it('http5xx on the next 2 order requests: the client fails twice, then places normally, and only that order exists', async () => {
    h.server.faults.arm({ kind: 'http5xx', match: 'POST /api/v3/order', count: 2 });
    expect((await refusal(client.order({ ...LIMIT_BUY, newClientOrderId: 'g1' }))).code).toBe(-1001);
    expect((await refusal(client.order({ ...LIMIT_BUY, newClientOrderId: 'g1' }))).code).toBe(-1001);
    expect(await client.order({ ...LIMIT_BUY, newClientOrderId: 'g1' })).toMatchObject({ clientOrderId: 'g1', status: 'NEW' });
    expect((await client.allOrders({ symbol: 'BTCUSDT' })).map((o) => o.clientOrderId)).toEqual(['g1']);
  });

  it("rateLimit -1015 on orders surfaces as the client's -1015 and places nothing", async () => {
    h.server.faults.arm({ kind: 'rateLimit', code: -1015, match: 'POST /api/v3/order', retryAfter: 3 });
    expect((await refusal(client.order({ ...LIMIT_BUY, newClientOrderId: 'r1' }))).code).toBe(-1015);
    expect(await client.allOrders({ symbol: 'BTCUSDT' })).toEqual([]);
  });
});

describe('admin endpoint over HTTP', () => {
  it('arms with POST (one spec or an array), reports with GET, clears with DELETE', async () => {
    const armed = await admin(h, 'POST', [
      { kind: 'http5xx', match: 'POST /api/v3/order', count: 2 },
      { kind: 'delay', ms: 10 },
    ]);
    expect(armed).toEqual({ status: 200, body: { armed: [1, 2] } });
    expect((await get(h, '/api/v3/ping')).status).toBe(200);
    const status = await admin(h, 'GET');
    expect(status.body.armed).toEqual([
      {
        id: 1,
        kind: 'http5xx',
        match: 'POST /api/v3/order',
        remaining: 2,
        spec: { kind: 'http5xx', match: 'POST /api/v3/order', count: 2 },
      },
    ]);
    expect(status.body.fired).toEqual([{ id: 2, kind: 'delay', request: 'GET /api/v3/ping', at: h.clock.now }]);
    expect(await admin(h, 'DELETE')).toEqual({ status: 200, body: { cleared: 1 } });
    expect((await admin(h, 'GET')).body.armed).toEqual([]);
    expect((await signed(h, 'POST', '/api/v3/order', orderQuery('after'))).status).toBe(200);
  });

  it('refuses a bad spec or bad JSON with 400 and arms nothing', async () => {
    const bad = await admin(h, 'POST', [{ kind: 'delay', ms: 5 }, { kind: 'explode' }]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('fault.bad-spec');
    const res = await fetch(`${h.server.httpBase}/admin/faults`, { method: 'POST', body: '{nope' });
    expect(res.status).toBe(400);
    expect(h.server.faults.status().armed).toEqual([]);
    expect((await fetch(`${h.server.httpBase}/admin/faults`, { method: 'PUT' })).status).toBe(405);
  });
});
