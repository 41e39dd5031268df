import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signPayload } from '../../../../src/sandbox/index.js';
import { type Harness, START, signed, startHarness } from './harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
  h.trade('50000.00');
});

afterEach(async () => {
  await h.close();
});

const ACCOUNT_QUERY = `timestamp=${START}`;

describe('signed endpoints', () => {
  it("matches Binance's documented HMAC test vector (PROTOCOLS A.6)", () => {
    const secret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
    const payload = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
    expect(signPayload(secret, payload)).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
  });

  it('accepts a good signature in either case, and a request split between query and body', async () => {
    const good = await signed(h, 'GET', '/api/v3/account', ACCOUNT_QUERY);
    expect(good.status).toBe(200);
    const upper = signPayload('sandbox-secret', ACCOUNT_QUERY).toUpperCase();
    expect((await signed(h, 'GET', '/api/v3/account', ACCOUNT_QUERY, { signature: upper })).status).toBe(200);

    const split = await signed(h, 'POST', '/api/v3/order', 'symbol=BTCUSDT&side=BUY', {
      body: `type=LIMIT&timeInForce=GTC&quantity=0.01&price=49000&newOrderRespType=ACK&timestamp=${START}`,
    });
    expect(split.status).toBe(200);
    expect(split.body).toEqual({ symbol: 'BTCUSDT', orderId: 1, orderListId: -1, clientOrderId: 'sandbox0000000001', transactTime: START });
  });

  it('lets the query value win over the body value', async () => {
    const res = await signed(
      h,
      'POST',
      '/api/v3/order',
      `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=49000&timestamp=${START}`,
      {
        body: 'price=1',
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.price).toBe('49000.00000000');
  });

  it('rejects a tampered query or a wrong secret with -1022', async () => {
    const sig = signPayload('sandbox-secret', `symbol=BTCUSDT&timestamp=${START}`);
    const tampered = await signed(h, 'GET', '/api/v3/openOrders', `symbol=ETHUSDT&timestamp=${START}`, { signature: sig });
    expect(tampered).toMatchObject({ status: 400, body: { code: -1022, msg: 'Signature for this request is not valid.' } });
    const wrongSecret = await signed(h, 'GET', '/api/v3/account', ACCOUNT_QUERY, { secret: 'other' });
    expect(wrongSecret.body.code).toBe(-1022);
  });

  it('rejects a missing or unknown API key with -2014/-2015 and HTTP 401', async () => {
    expect(await signed(h, 'GET', '/api/v3/account', ACCOUNT_QUERY, { key: null })).toMatchObject({
      status: 401,
      body: { code: -2014, msg: 'API-key format invalid.' },
    });
    expect(await signed(h, 'GET', '/api/v3/account', ACCOUNT_QUERY, { key: 'someone-else' })).toMatchObject({
      status: 401,
      body: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' },
    });
  });

  it('enforces timestamp and recvWindow as A.6 says (-1021, -1102, -1131)', async () => {
    expect((await signed(h, 'GET', '/api/v3/account', `timestamp=${START - 5000}`)).status).toBe(200);
    expect(await signed(h, 'GET', '/api/v3/account', `timestamp=${START - 5001}`)).toMatchObject({
      status: 400,
      body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
    });
    expect((await signed(h, 'GET', '/api/v3/account', `timestamp=${START - 20000}&recvWindow=20000`)).status).toBe(200);
    expect((await signed(h, 'GET', '/api/v3/account', `timestamp=${START + 999}`)).status).toBe(200);
    expect((await signed(h, 'GET', '/api/v3/account', `timestamp=${START + 1000}`)).body).toEqual({
      code: -1021,
      msg: "Timestamp for this request was 1000ms ahead of the server's time.",
    });
    expect((await signed(h, 'GET', '/api/v3/account', `timestamp=${START * 1000}`)).status).toBe(200);
    expect((await signed(h, 'GET', '/api/v3/account', `timestamp=${START}&recvWindow=60001`)).body.code).toBe(-1131);
    expect((await signed(h, 'GET', '/api/v3/account', 'recvWindow=5000')).body).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.",
    });
  });

  it('validates order parameters with Binance codes', async () => {
    const order = (q: string) => signed(h, 'POST', '/api/v3/order', `${q}&timestamp=${START}`);
    expect((await order('symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.01&price=49000')).body).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.",
    });
    expect((await order('symbol=BTCUSDT&side=BUY&type=MARKET')).body).toEqual({
      code: -1102,
      msg: "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!",
    });
    expect((await order('symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1e3&price=49000')).body.code).toBe(-1100);
    expect((await order('symbol=BTCUSDT&side=UP&type=LIMIT')).body).toEqual({ code: -1117, msg: 'Invalid side.' });
    expect((await order('symbol=BTCUSDT&side=BUY&type=STOP_LOSS')).body).toEqual({ code: -1116, msg: 'Invalid orderType.' });
    const quote = await order('symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=100');
    expect(quote.body).toMatchObject({ status: 'FILLED', executedQty: '0.00200000', origQuoteOrderQty: '100.00000000' });
    expect((await signed(h, 'GET', '/api/v3/order', `symbol=BTCUSDT&timestamp=${START}`)).body).toEqual({
      code: -1102,
      msg: "Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!",
    });
  });

  it('serves public market endpoints without a key', async () => {
    const book = await fetch(`${h.server.httpBase}/api/v3/ticker/bookTicker?symbol=BTCUSDT`);
    expect(await book.json()).toEqual({
      symbol: 'BTCUSDT',
      bidPrice: '50000.00000000',
      bidQty: '0.00000000',
      askPrice: '50000.01000000',
      askQty: '0.00000000',
    });
    await signed(
      h,
      'POST',
      '/api/v3/order',
      `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=49000&timestamp=${START}`,
    );
    const depth = await fetch(`${h.server.httpBase}/api/v3/depth?symbol=BTCUSDT&limit=5`);
    expect(await depth.json()).toEqual({ lastUpdateId: START, bids: [['49000.00000000', '0.01000000']], asks: [] });
    expect(await (await fetch(`${h.server.httpBase}/api/v3/ping`)).json()).toEqual({});
  });
});
