import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { fapi, limitOrder } from './fapi-order-requests.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

/** Refusals that come from reading the parameters, before the futures account is asked (PROTOCOLS-FUTURES A.3, A.5). */
describe('USD-M order parameters', () => {
  it('refuses missing mandatory parameters with Binance -1102 text, in Binance order', async () => {
    const noSymbol = await fapi(h, 'POST', '/fapi/v1/order', { side: 'BUY', type: 'MARKET', quantity: '1' });
    expect(noSymbol.status).toBe(400);
    expect(noSymbol.body).toEqual({ code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." });
    const noSide = await fapi(h, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', type: 'MARKET', quantity: '1' });
    expect(noSide.body).toEqual({ code: -1102, msg: "Mandatory parameter 'side' was not sent, was empty/null, or malformed." });
    const noTif = await fapi(h, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: '1', quantity: '1' });
    expect(noTif.body).toEqual({ code: -1102, msg: "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed." });
    const noPrice = await fapi(h, 'POST', '/fapi/v1/order', limitOrder('BUY', '', '1'));
    expect(noPrice.body).toEqual({ code: -1102, msg: "Mandatory parameter 'price' was not sent, was empty/null, or malformed." });
    const noQty = await fapi(h, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET' });
    expect(noQty.body).toEqual({ code: -1102, msg: "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed." });
    const unknown = await fapi(h, 'POST', '/fapi/v1/order', { symbol: 'XRPUSDT', side: 'BUY', type: 'MARKET', quantity: '1' });
    expect(unknown.body).toEqual({ code: -1121, msg: 'Invalid symbol.' });
  });

  it('refuses conditional types with the algo-switch error, and unknown enums with their codes', async () => {
    for (const type of ['STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET']) {
      const res = await fapi(h, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'SELL', type, quantity: '0.001', stopPrice: '40000' });
      expect(res.body).toEqual({
        code: -4120,
        msg: 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.',
      });
    }
    const cases: [Record<string, string>, number, string][] = [
      [{ type: 'LIMIT_MAKER' }, -1116, 'Invalid orderType.'],
      [{ side: 'buy' }, -1117, 'Invalid side.'],
      [{ timeInForce: 'GTD' }, -1115, 'Invalid timeInForce.'],
      [{ positionSide: 'UP' }, -4060, 'Invalid position side.'],
      [{ reduceOnly: 'yes' }, -1130, "Data sent for parameter 'reduceOnly' is not valid."],
      [{ newOrderRespType: 'FULL' }, -1136, 'Invalid newOrderRespType.'],
      [{ newClientOrderId: 'has space' }, -4015, 'Client order id is not valid.'],
      [{ newClientOrderId: 'x'.repeat(37) }, -4015, 'Client order id is not valid.'],
      [{ priceMatch: 'OPPONENT' }, -1130, "Data sent for parameter 'priceMatch' is not valid."],
      [{ price: '1.123456789' }, -1111, "Parameter 'price' has too much precision."],
    ];
    for (const [change, code, msg] of cases) {
      const res = await fapi(h, 'POST', '/fapi/v1/order', { ...limitOrder('BUY', '50000', '0.001'), ...change });
      expect(res.body, JSON.stringify(change)).toEqual({ code, msg });
    }
  });

  it('refuses a price or timeInForce on a MARKET order', async () => {
    const market = { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' };
    expect((await fapi(h, 'POST', '/fapi/v1/order', { ...market, price: '50000' })).body).toEqual({
      code: -1106,
      msg: "Parameter 'price' sent when not required.",
    });
    expect((await fapi(h, 'POST', '/fapi/v1/order', { ...market, timeInForce: 'GTC' })).body).toEqual({
      code: -1106,
      msg: "Parameter 'timeInForce' sent when not required.",
    });
  });

  it('weighs a new order 0 on the IP and reports the ORDERS counts on its refusals', async () => {
    const res = await fapi(h, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'STOP_MARKET', quantity: '1' });
    expect(res.headers.get('x-mbx-used-weight-1m')).toBe('0');
    expect(res.headers.get('x-mbx-order-count-10s')).toBe('0');
    expect(res.headers.get('x-mbx-order-count-1m')).toBe('0');
    expect(res.headers.get('x-mbx-order-count-1d')).toBeNull();
  });

  it('refuses a batch that is not a JSON array of 1 to 5 orders', async () => {
    expect((await fapi(h, 'POST', '/fapi/v1/batchOrders', {})).body).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'batchOrders' was not sent, was empty/null, or malformed.",
    });
    expect((await fapi(h, 'POST', '/fapi/v1/batchOrders', { batchOrders: '[object Object]' })).body).toEqual({
      code: -1130,
      msg: "Data sent for parameter 'batchOrders' is not valid.",
    });
    const six = JSON.stringify(Array.from({ length: 6 }, () => limitOrder('BUY', '40000', '0.001')));
    expect((await fapi(h, 'POST', '/fapi/v1/batchOrders', { batchOrders: six })).body).toEqual({
      code: -4082,
      msg: 'Invalid number of batch place orders: 6',
    });
  });

  it('refuses a batch cancel without a list, with a malformed one, or with more than 10', async () => {
    expect((await fapi(h, 'DELETE', '/fapi/v1/batchOrders', { symbol: 'BTCUSDT' })).body).toEqual({
      code: -1102,
      msg: "Param 'orderIdList' or 'origClientOrderIdList' must be sent, but both were empty/null!",
    });
    expect((await fapi(h, 'DELETE', '/fapi/v1/batchOrders', { symbol: 'BTCUSDT', orderIdList: '[1,x]' })).body).toEqual({
      code: -1130,
      msg: "Data sent for parameter 'orderIdList' is not valid.",
    });
    const eleven = JSON.stringify(Array.from({ length: 11 }, (_, i) => i + 1));
    expect((await fapi(h, 'DELETE', '/fapi/v1/batchOrders', { symbol: 'BTCUSDT', orderIdList: eleven })).body).toEqual({
      code: -4032,
      msg: 'Exceed maximum cancel order size.',
    });
  });

  it('refuses order queries without an order named', async () => {
    for (const [method, path] of [
      ['GET', '/fapi/v1/order'],
      ['DELETE', '/fapi/v1/order'],
      ['GET', '/fapi/v1/openOrder'],
    ] as const) {
      expect((await fapi(h, method, path, { symbol: 'BTCUSDT' })).body).toEqual({
        code: -1102,
        msg: "Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!",
      });
    }
    expect((await fapi(h, 'GET', '/fapi/v1/userTrades', {})).body.code).toBe(-1102);
    expect((await fapi(h, 'GET', '/fapi/v1/allOrders', { symbol: 'BTCUSDT', limit: 1001 })).body).toEqual({
      code: -1130,
      msg: "Data sent for parameter 'limit' is not valid.",
    });
  });
});
