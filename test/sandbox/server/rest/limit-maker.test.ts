import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, START, signed, startHarness } from './harness.js';
import { type Client, binanceClient, refusal } from './rest-client.js';

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

const ts = `&timestamp=${START}`;

describe('LIMIT_MAKER over REST', () => {
  it('rests through binance-api-node, answers ACK by default and reports LIMIT_MAKER everywhere', async () => {
    const ack = await client.order({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      quantity: '0.01',
      price: '49000',
      newClientOrderId: 'mk-1',
    });
    expect(ack).toEqual({ symbol: 'BTCUSDT', orderId: ack.orderId, orderListId: -1, clientOrderId: 'mk-1', transactTime: START });
    expect(await client.getOrder({ symbol: 'BTCUSDT', orderId: ack.orderId })).toMatchObject({
      type: 'LIMIT_MAKER',
      timeInForce: 'GTC',
      status: 'NEW',
    });
    expect((await client.openOrders({ symbol: 'BTCUSDT' })).map((o) => o.type)).toEqual(['LIMIT_MAKER']);
    const acct = await client.accountInfo();
    expect(acct.balances.find((b) => b.asset === 'USDT')).toEqual({ asset: 'USDT', free: '9510.00000000', locked: '490.00000000' });

    h.trade('48999.99', '1');
    expect(await client.allOrders({ symbol: 'BTCUSDT' })).toEqual([expect.objectContaining({ type: 'LIMIT_MAKER', status: 'FILLED' })]);
    const full = await client.order({
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT_MAKER',
      quantity: '0.01',
      price: '50000.01',
      newOrderRespType: 'FULL',
    });
    expect(full).toMatchObject({ type: 'LIMIT_MAKER', timeInForce: 'GTC', status: 'NEW', fills: [] });
    expect(await client.cancelOrder({ symbol: 'BTCUSDT', orderId: full.orderId })).toMatchObject({
      type: 'LIMIT_MAKER',
      status: 'CANCELED',
    });
    const btc = (await client.exchangeInfo()).symbols.find((s) => s.symbol === 'BTCUSDT');
    expect(btc?.orderTypes).toEqual(['LIMIT', 'LIMIT_MAKER', 'MARKET']);
  });

  it('refuses one that would take with -2010 and changes nothing', async () => {
    for (const [side, price] of [
      ['BUY', '50000'],
      ['SELL', '49999.99'],
    ]) {
      expect(await refusal(client.order({ symbol: 'BTCUSDT', side, type: 'LIMIT_MAKER', quantity: '0.01', price }))).toEqual({
        code: -2010,
        message: 'Order would immediately match and take.',
      });
    }
    expect(await client.openOrders({ symbol: 'BTCUSDT' })).toEqual([]);
    expect(await client.allOrders({ symbol: 'BTCUSDT' })).toEqual([]);
    const acct = await client.accountInfo();
    expect(acct.balances.find((b) => b.asset === 'USDT')).toEqual({ asset: 'USDT', free: '10000.00000000', locked: '0.00000000' });
  });

  it('checks its parameters as Binance does', async () => {
    const base = 'symbol=BTCUSDT&side=BUY&type=LIMIT_MAKER';
    const tif = await signed(h, 'POST', '/api/v3/order', `${base}&timeInForce=GTC&quantity=0.01&price=49000${ts}`);
    expect([tif.status, tif.body]).toEqual([400, { code: -1106, msg: "Parameter 'timeInForce' sent when not required." }]);
    const noPrice = await signed(h, 'POST', '/api/v3/order', `${base}&quantity=0.01${ts}`);
    expect(noPrice.body).toEqual({ code: -1102, msg: "Mandatory parameter 'price' was not sent, was empty/null, or malformed." });
    const noQty = await signed(h, 'POST', '/api/v3/order', `${base}&price=49000${ts}`);
    expect(noQty.body).toEqual({ code: -1102, msg: "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed." });
    const quote = await signed(h, 'POST', '/api/v3/order', `${base}&quantity=0.01&price=49000&quoteOrderQty=10${ts}`);
    expect(quote.body).toEqual({ code: -1106, msg: "Parameter 'quoteOrderQty' sent when not required." });
    const result = await signed(h, 'POST', '/api/v3/order', `${base}&quantity=0.01&price=49000&newOrderRespType=RESULT${ts}`);
    expect(result.body).toMatchObject({ type: 'LIMIT_MAKER', timeInForce: 'GTC', status: 'NEW', price: '49000.00000000' });
    expect(result.body).not.toHaveProperty('fills');
    const test = await signed(h, 'POST', '/api/v3/order/test', `${base}&quantity=0.01&price=49000${ts}`);
    expect([test.status, test.body]).toEqual([200, {}]);
  });
});
