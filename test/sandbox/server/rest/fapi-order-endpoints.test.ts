import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, START, startHarness } from './harness.js';
import { fapi, limitOrder } from './fapi-order-requests.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
  h.trade('50000.00');
});

afterEach(async () => {
  await h.close();
});

type Row = Record<string, unknown>;

/**
 * USD-M orders over HTTP, signed as binance-api-node sends them (PROTOCOLS-FUTURES A.3, C). BTCUSDT here: pricePrecision
 * 2, quantityPrecision 5.
 */
describe('USD-M order endpoints', () => {
  it('places a resting LIMIT (ACK by default), queries, lists and cancels it, with ORDERS headers', async () => {
    const placed = await fapi(h, 'POST', '/fapi/v1/order', limitOrder('BUY', '49000', '0.002', { newClientOrderId: 'grid.1:b/2_x-3' }));
    expect(placed.status).toBe(200);
    expect(placed.headers.get('x-mbx-used-weight-1m')).toBe('0');
    expect(placed.headers.get('x-mbx-order-count-10s')).toBe('1');
    expect(placed.headers.get('x-mbx-order-count-1m')).toBe('1');
    const orderId = placed.body.orderId as number;
    expect(JSON.stringify(placed.body)).toBe(
      JSON.stringify({
        orderId,
        symbol: 'BTCUSDT',
        status: 'NEW',
        clientOrderId: 'grid.1:b/2_x-3',
        price: '49000.00',
        avgPrice: '0.00',
        origQty: '0.00200',
        executedQty: '0.00000',
        cumQty: '0.00000',
        cumQuote: '0.0000000',
        timeInForce: 'GTC',
        type: 'LIMIT',
        reduceOnly: false,
        closePosition: false,
        side: 'BUY',
        positionSide: 'BOTH',
        stopPrice: '0.00',
        workingType: 'CONTRACT_PRICE',
        priceProtect: false,
        origType: 'LIMIT',
        priceMatch: 'NONE',
        selfTradePreventionMode: 'NONE',
        goodTillDate: 0,
        updateTime: START,
      }),
    );

    h.clock.now = START + 1000;
    const queried = await fapi(h, 'GET', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'grid.1:b/2_x-3' });
    expect(queried.body).toMatchObject({ orderId, status: 'NEW', time: START, updateTime: START });
    expect(queried.body).not.toHaveProperty('cumQty');
    expect((await fapi(h, 'GET', '/fapi/v1/openOrder', { symbol: 'BTCUSDT', orderId })).body).toEqual(queried.body);
    expect((await fapi(h, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' })).body).toEqual([queried.body]);
    const all = await fapi(h, 'GET', '/fapi/v1/openOrders');
    expect(all.body).toEqual([queried.body]);
    // 1 + 1 + 1 weigh the three queries above, 40 the one without a symbol.
    expect(all.headers.get('x-mbx-used-weight-1m')).toBe('43');

    const canceled = await fapi(h, 'DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId });
    expect(canceled.body).toMatchObject({ orderId, status: 'CANCELED', cumQty: '0.00000', updateTime: START + 1000 });
    expect(canceled.headers.get('x-mbx-order-count-10s')).toBeNull();
    expect((await fapi(h, 'GET', '/fapi/v1/openOrder', { symbol: 'BTCUSDT', orderId })).body).toEqual({
      code: -2013,
      msg: 'Order does not exist.',
    });
    expect((await fapi(h, 'DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId })).body).toEqual({
      code: -2011,
      msg: 'Unknown order sent.',
    });
    expect((await fapi(h, 'GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId })).body).toMatchObject({ status: 'CANCELED' });
  });

  it('fills a MARKET order at the last trade (RESULT), closes it reduce-only (ACK), and reports fills and income', async () => {
    h.clock.now = START + 1000;
    const buy = await fapi(h, 'POST', '/fapi/v1/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.002',
      newOrderRespType: 'RESULT',
    });
    expect(buy.body).toMatchObject({
      status: 'FILLED',
      type: 'MARKET',
      price: '0.00',
      avgPrice: '50000.0000000',
      executedQty: '0.00200',
      cumQty: '0.00200',
      cumQuote: '100.0000000',
      reduceOnly: false,
    });
    h.clock.now = START + 2000;
    h.trade('50100.00');
    const sell = await fapi(h, 'POST', '/fapi/v1/order', {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'MARKET',
      quantity: '0.002',
      reduceOnly: 'true',
    });
    // ACK: the order as accepted; the fill is on the user data stream and in GET order.
    expect(sell.body).toMatchObject({
      status: 'NEW',
      executedQty: '0.00000',
      avgPrice: '0.00',
      reduceOnly: true,
      updateTime: START + 2000,
    });
    const sold = await fapi(h, 'GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: sell.body.orderId as number });
    expect(sold.body).toMatchObject({ status: 'FILLED', avgPrice: '50100.0000000', cumQuote: '100.2000000', reduceOnly: true });

    const trades = (await fapi(h, 'GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT' })).body as unknown as Row[];
    expect(trades).toEqual([
      {
        buyer: true,
        commission: '0.05000000',
        commissionAsset: 'USDT',
        id: expect.any(Number) as number,
        maker: false,
        orderId: buy.body.orderId,
        price: '50000.00',
        qty: '0.00200',
        quoteQty: '100.0000000',
        realizedPnl: '0.00000000',
        marginAsset: 'USDT',
        side: 'BUY',
        positionSide: 'BOTH',
        symbol: 'BTCUSDT',
        time: START + 1000,
      },
      expect.objectContaining({ buyer: false, price: '50100.00', commission: '0.05010000', realizedPnl: '0.20000000', time: START + 2000 }),
    ]);
    const [first, second] = trades as [Row, Row];
    expect((await fapi(h, 'GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT', fromId: second.id as number })).body).toEqual([second]);
    expect((await fapi(h, 'GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT', limit: 1 })).body).toEqual([second]);
    expect((await fapi(h, 'GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT', endTime: START + 1500 })).body).toEqual([first]);
    expect((await fapi(h, 'GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT', orderId: buy.body.orderId as number })).body).toEqual([first]);

    const pnl = await fapi(h, 'GET', '/fapi/v1/income', { incomeType: 'REALIZED_PNL' });
    expect(pnl.body).toEqual([
      {
        symbol: 'BTCUSDT',
        incomeType: 'REALIZED_PNL',
        income: '0.20000000',
        asset: 'USDT',
        info: expect.any(String) as string,
        time: START + 2000,
        tranId: expect.any(Number) as number,
        tradeId: String(second.id),
      },
    ]);
    const fees = (await fapi(h, 'GET', '/fapi/v1/income', { incomeType: 'COMMISSION', symbol: 'BTCUSDT' })).body as unknown as Row[];
    expect(fees.map((r) => [r.income, r.tradeId])).toEqual([
      ['-0.05000000', String(first.id)],
      ['-0.05010000', String(second.id)],
    ]);
    // Without startTime and endTime, the last 7 days only.
    h.clock.now = START + 8 * 86_400_000;
    expect((await fapi(h, 'GET', '/fapi/v1/income')).body).toEqual([]);
    expect((await fapi(h, 'GET', '/fapi/v1/income', { startTime: START, limit: 1 })).body).toHaveLength(1);
  });

  it('fills a resting order as maker when the tape trades through it', async () => {
    const placed = await fapi(h, 'POST', '/fapi/v1/order', limitOrder('BUY', '49000', '0.002'));
    h.clock.now = START + 500;
    h.trade('48999.00');
    const got = await fapi(h, 'GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: placed.body.orderId as number });
    expect(got.body).toMatchObject({ status: 'FILLED', avgPrice: '49000.0000000', executedQty: '0.00200', cumQuote: '98.0000000' });
    const [fill] = (await fapi(h, 'GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT' })).body as unknown as Row[];
    expect(fill).toMatchObject({ maker: true, price: '49000.00', commission: '0.01960000', time: START + 500 });
  });

  it('places a batch in input order, mixing orders and refusals, and cancels by either list', async () => {
    const items = [
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: 49000, quantity: 0.002 },
      { symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', quantity: '0.002', stopPrice: '45000' },
      limitOrder('BUY', '49000', '0.002001'),
      limitOrder('SELL', '51000', '0.002', { newClientOrderId: 'sell-1' }),
    ];
    const res = await fapi(h, 'POST', '/fapi/v1/batchOrders', { batchOrders: JSON.stringify(items) });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-mbx-used-weight-1m')).toBe('5');
    expect(res.headers.get('x-mbx-order-count-10s')).toBe('5');
    expect(res.headers.get('x-mbx-order-count-1m')).toBe('1');
    const [buy, stop, offStep, sell] = res.body as unknown as [Row, Row, Row, Row];
    expect(buy).toMatchObject({ status: 'NEW', side: 'BUY', price: '49000.00', origQty: '0.00200' });
    expect(stop).toEqual({
      code: -4120,
      msg: 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.',
    });
    expect(offStep).toEqual({ code: -4023, msg: 'Quantity not increased by step size.' });
    expect(sell).toMatchObject({ status: 'NEW', clientOrderId: 'sell-1' });

    const byId = await fapi(h, 'DELETE', '/fapi/v1/batchOrders', { symbol: 'BTCUSDT', orderIdList: `[${String(buy.orderId)},999999]` });
    expect(byId.body).toEqual([
      expect.objectContaining({ orderId: buy.orderId, status: 'CANCELED' }),
      { code: -2011, msg: 'Unknown order sent.' },
    ]);
    const byClientId = await fapi(h, 'DELETE', '/fapi/v1/batchOrders', { symbol: 'BTCUSDT', origclientorderidlist: '["sell-1"]' });
    expect(byClientId.body).toEqual([expect.objectContaining({ clientOrderId: 'sell-1', status: 'CANCELED' })]);
  });

  it('cancels every open order with Binance acknowledgement, and lists allOrders by id and time', async () => {
    const ids: number[] = [];
    for (const [i, price] of ['49000', '48000', '47600'].entries()) {
      h.clock.now = START + i * 1000;
      ids.push((await fapi(h, 'POST', '/fapi/v1/order', limitOrder('BUY', price, '0.002'))).body.orderId as number);
    }
    const done = await fapi(h, 'DELETE', '/fapi/v1/allOpenOrders', { symbol: 'BTCUSDT' });
    expect(done.body).toEqual({ code: 200, msg: 'The operation of cancel all open order is done.' });
    expect((await fapi(h, 'DELETE', '/fapi/v1/allOpenOrders', { symbol: 'BTCUSDT' })).body).toEqual(done.body);
    expect((await fapi(h, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' })).body).toEqual([]);

    const idsOf = async (q: Record<string, number | string>): Promise<unknown[]> =>
      ((await fapi(h, 'GET', '/fapi/v1/allOrders', { symbol: 'BTCUSDT', ...q })).body as unknown as Row[]).map((o) => o.orderId);
    expect(await idsOf({})).toEqual(ids);
    expect(await idsOf({ limit: 2 })).toEqual(ids.slice(1));
    expect(await idsOf({ orderId: ids[1] as number, limit: 1 })).toEqual([ids[1]]);
    expect(await idsOf({ startTime: START + 500, endTime: START + 1500 })).toEqual([ids[1]]);
    expect(await idsOf({ symbol: 'ETHUSDT' })).toEqual([]);
  });

  it('arms countdownCancelAll and cancels the symbol open orders when the countdown runs out', async () => {
    await fapi(h, 'POST', '/fapi/v1/order', limitOrder('BUY', '49000', '0.002'));
    const armed = await fapi(h, 'POST', '/fapi/v1/countdownCancelAll', { symbol: 'BTCUSDT', countdownTime: 1000 });
    expect(armed.body).toEqual({ symbol: 'BTCUSDT', countdownTime: '1000' });
    expect(armed.headers.get('x-mbx-used-weight-1m')).toBe('10');
    h.clock.now = START + 999;
    expect((await fapi(h, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' })).body).toHaveLength(1);
    h.clock.now = START + 1000;
    expect((await fapi(h, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' })).body).toEqual([]);
  });

  it('answers venue refusals with Binance codes', async () => {
    const tiny = await fapi(h, 'POST', '/fapi/v1/order', limitOrder('BUY', '49000', '0.0001'));
    expect(tiny.body).toMatchObject({ code: -4164 });
    const gtx = await fapi(h, 'POST', '/fapi/v1/order', limitOrder('BUY', '50000', '0.002', { timeInForce: 'GTX' }));
    expect(gtx.body).toMatchObject({ code: -5022 });
    const ro = await fapi(h, 'POST', '/fapi/v1/order', {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'MARKET',
      quantity: '0.002',
      reduceOnly: 'true',
    });
    expect(ro.body).toEqual({ code: -2022, msg: 'ReduceOnly Order is rejected.' });
    const hedge = await fapi(h, 'POST', '/fapi/v1/order', limitOrder('BUY', '49000', '0.002', { positionSide: 'LONG' }));
    expect(hedge.body).toEqual({ code: -4061, msg: "Order's position side does not match user's setting." });
    // A refused order still paid its ORDERS weight.
    expect(hedge.headers.get('x-mbx-order-count-10s')).toBe('4');
  });

  it('refuses past the ORDERS limits per minute and per 10 seconds with -1015', async () => {
    await h.close();
    // On a minute's first millisecond, so the -1015 says the whole minute is left.
    h = await startHarness({ futuresLimits: { ordersPerMinute: 2, ordersPer10s: 7 }, start: START - (START % 60_000) + 60_000 });
    h.trade('50000.00');
    const batch = JSON.stringify([limitOrder('BUY', '49000', '0.002')]);
    expect((await fapi(h, 'POST', '/fapi/v1/batchOrders', { batchOrders: batch })).status).toBe(200);
    expect((await fapi(h, 'POST', '/fapi/v1/order', limitOrder('BUY', '49000', '0.002'))).status).toBe(200);
    const limited = await fapi(h, 'POST', '/fapi/v1/order', limitOrder('BUY', '49000', '0.002'));
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ code: -1015, msg: 'Too many new orders; current limit is 2 orders per 1 MINUTE.' });
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(limited.headers.get('x-mbx-order-count-1m')).toBe('2');

    h.clock.now += 60_000;
    const tenSeconds = await fapi(h, 'POST', '/fapi/v1/batchOrders', { batchOrders: batch });
    expect(tenSeconds.status).toBe(200);
    const again = await fapi(h, 'POST', '/fapi/v1/batchOrders', { batchOrders: batch });
    expect(again.body).toEqual({ code: -1015, msg: 'Too many new orders; current limit is 7 orders per 10 SECOND.' });
    expect((await fapi(h, 'GET', '/fapi/v1/rateLimit/order')).body).toEqual([
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 7 },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 2 },
    ]);
  });
});
