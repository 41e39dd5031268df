import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fx } from '../../../../src/domain/index.js';
import { API_KEY, type Inbox, NOW, type Sandbox, connect, sign, startSandbox, tick } from './harness.js';

let sandbox: Sandbox;
const open: Inbox[] = [];

async function api(): Promise<Inbox> {
  const inbox = await connect(`ws://127.0.0.1:${sandbox.port}/ws-api/v3`);
  open.push(inbox);
  return inbox;
}

function subscribeRequest(id: number, params: Record<string, unknown>): unknown {
  return { id, method: 'userDataStream.subscribe.signature', params };
}

function signed(apiKey = API_KEY, timestamp = NOW, secret?: string): Record<string, unknown> {
  return { apiKey, timestamp, signature: sign(`apiKey=${apiKey}&timestamp=${timestamp}`, secret) };
}

beforeEach(async () => {
  sandbox = await startSandbox();
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await sandbox.close();
});

describe('WebSocket API user data stream', () => {
  it('subscribes with a valid signature and answers in the Binance envelope', async () => {
    const c = await api();
    expect(await c.ask(subscribeRequest(7, signed()))).toEqual({
      id: 7,
      status: 200,
      result: { subscriptionId: 0 },
      rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: 2 }],
    });
  });

  it('verifies params sorted alphabetically, recvWindow included', async () => {
    const c = await api();
    const params = { timestamp: NOW - 7000, apiKey: API_KEY, recvWindow: 10000 };
    const signature = sign(`apiKey=${API_KEY}&recvWindow=10000&timestamp=${NOW - 7000}`);
    expect((await c.ask(subscribeRequest(1, { ...params, signature }))).status).toBe(200);
  });

  it('refuses a bad signature with -1022 in the error envelope', async () => {
    const c = await api();
    expect(await c.ask(subscribeRequest(3, signed(API_KEY, NOW, 'wrong-secret')))).toEqual({
      id: 3,
      status: 400,
      error: { code: -1022, msg: 'Signature for this request is not valid.' },
      rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: 2 }],
    });
  });

  it('refuses an unknown key (-2015), a stale or future timestamp (-1021) and a missing param (-1102)', async () => {
    const c = await api();
    expect((await c.ask(subscribeRequest(1, signed('other-key')))).error.code).toBe(-2015);
    expect((await c.ask(subscribeRequest(2, signed(API_KEY, NOW - 5001)))).error.code).toBe(-1021);
    expect((await c.ask(subscribeRequest(3, signed(API_KEY, NOW + 1000)))).error.code).toBe(-1021);
    expect((await c.ask(subscribeRequest(4, { apiKey: API_KEY, timestamp: NOW }))).error.code).toBe(-1102);
  });

  it('refuses a second subscription on one connection with -2035', async () => {
    const c = await api();
    await c.ask(subscribeRequest(1, signed()));
    expect((await c.ask(subscribeRequest(2, signed()))).error.code).toBe(-2035);
  });

  it('delivers venue events without a top-level id, then stops after unsubscribe', async () => {
    const c = await api();
    await c.ask(subscribeRequest(1, signed()));
    const placed = sandbox.hub.placeOrder({
      clientOrderId: 'grid-1',
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      price: fx('60000'),
      quantity: fx('0.1'),
    });
    expect(placed.ok).toBe(true);
    const report = await c.next();
    expect(Object.keys(report)).toEqual(['subscriptionId', 'event']);
    expect(report.subscriptionId).toBe(0);
    expect(report.event).toMatchObject({
      e: 'executionReport',
      x: 'NEW',
      X: 'NEW',
      c: 'grid-1',
      C: '',
      S: 'SELL',
      t: -1,
      N: null,
      n: '0',
      w: true,
    });
    expect((await c.next()).event).toEqual({
      e: 'outboundAccountPosition',
      E: NOW,
      u: NOW,
      B: [{ a: 'BTC', f: '0.90000000', l: '0.10000000' }],
    });

    const canceled = sandbox.hub.cancelOrder('BTCUSDT', { clientOrderId: 'grid-1' });
    expect(canceled.ok).toBe(true);
    const cancel = (await c.next()).event;
    expect(cancel).toMatchObject({ x: 'CANCELED', X: 'CANCELED', C: 'grid-1', w: false });
    await c.next(); // the unlocked balance

    expect(await c.ask({ id: 9, method: 'userDataStream.unsubscribe' })).toMatchObject({ id: 9, status: 200, result: {} });
    sandbox.hub.placeOrder({
      clientOrderId: 'grid-2',
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      price: fx('60000'),
      quantity: fx('0.1'),
    });
    // The next thing on the wire answers this request: no event slipped in between.
    expect(await c.ask({ id: 10, method: 'userDataStream.unsubscribe', params: { subscriptionId: 0 } })).toMatchObject({
      id: 10,
      status: 400,
    });
  });

  it('reports a fill with every executionReport field in Binance types', async () => {
    const c = await api();
    await c.ask(subscribeRequest(1, signed()));
    sandbox.hub.placeOrder({
      clientOrderId: 'b1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: fx('50000'),
      quantity: fx('0.01'),
    });
    const created = (await c.next()).event;
    await c.next();
    sandbox.clock.now = NOW + 1_000;
    sandbox.hub.trade(tick('49999.99', '1', NOW + 900));
    const fill = (await c.next()).event;
    expect(fill).toEqual({
      e: 'executionReport',
      E: NOW + 1_000,
      s: 'BTCUSDT',
      c: 'b1',
      S: 'BUY',
      o: 'LIMIT',
      f: 'GTC',
      q: '0.01000000',
      p: '50000.00000000',
      P: '0.00000000',
      F: '0.00000000',
      g: -1,
      C: '',
      x: 'TRADE',
      X: 'FILLED',
      r: 'NONE',
      i: created.i,
      l: '0.01000000',
      z: '0.01000000',
      L: '50000.00000000',
      n: '0.00001000',
      N: 'BTC',
      T: NOW + 900,
      t: expect.any(Number),
      I: created.I + 1,
      w: false,
      m: true,
      M: false,
      O: NOW,
      Z: '500.00000000',
      Y: '500.00000000',
      Q: '0.00000000',
      W: NOW,
      V: 'NONE',
    });
    expect(typeof created.i).toBe('number');
    expect((await c.next()).event.e).toBe('outboundAccountPosition');
  });
});
