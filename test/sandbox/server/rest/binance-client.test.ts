import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, START, startHarness } from './harness.js';
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

describe('REST API through binance-api-node', () => {
  it('serves time, exchangeInfo with Binance filters and rate limits, and prices', async () => {
    expect(await client.time()).toBe(START);
    const info = await client.exchangeInfo();
    expect(info.rateLimits).toEqual([
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 50 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 160000 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
    ]);
    const btc = info.symbols.find((s) => s.symbol === 'BTCUSDT') as Record<string, unknown>;
    expect(btc).toMatchObject({
      status: 'TRADING',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      baseAssetPrecision: 8,
      quoteAssetPrecision: 8,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
    });
    expect(btc.filters).toEqual([
      { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
      { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
      {
        filterType: 'PERCENT_PRICE_BY_SIDE',
        bidMultiplierUp: '5',
        bidMultiplierDown: '0.2',
        askMultiplierUp: '5',
        askMultiplierDown: '0.2',
        avgPriceMins: 0,
      },
      {
        filterType: 'NOTIONAL',
        minNotional: '5.00000000',
        applyMinToMarket: true,
        maxNotional: '9000000.00000000',
        applyMaxToMarket: false,
        avgPriceMins: 0,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
    ]);
    expect(await client.prices({ symbol: 'BTCUSDT' })).toEqual({ BTCUSDT: '50000.00000000' });
    expect(await client.prices()).toEqual({ BTCUSDT: '50000.00000000', ETHUSDT: '0.00000000' });
  });

  it('places a resting LIMIT order, finds it, lists it and cancels it, locking and releasing funds', async () => {
    const placed = await client.order({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.01',
      price: '49000',
      newClientOrderId: 'grid-1',
    });
    expect(placed).toMatchObject({
      symbol: 'BTCUSDT',
      orderListId: -1,
      clientOrderId: 'grid-1',
      transactTime: START,
      price: '49000.00000000',
      origQty: '0.01000000',
      executedQty: '0.00000000',
      cummulativeQuoteQty: '0.00000000',
      status: 'NEW',
      timeInForce: 'GTC',
      type: 'LIMIT',
      side: 'BUY',
      fills: [],
    });
    const byClient = await client.getOrder({ symbol: 'BTCUSDT', origClientOrderId: 'grid-1' });
    expect(byClient).toMatchObject({ orderId: placed.orderId, status: 'NEW', time: START, isWorking: true });
    const open = await client.openOrders({ symbol: 'BTCUSDT' });
    expect(open.map((o) => o.clientOrderId)).toEqual(['grid-1']);
    let acct = await client.accountInfo();
    expect(acct.balances.find((b) => b.asset === 'USDT')).toEqual({ asset: 'USDT', free: '9510.00000000', locked: '490.00000000' });

    const canceled = await client.cancelOrder({ symbol: 'BTCUSDT', orderId: placed.orderId });
    expect(canceled).toMatchObject({ origClientOrderId: 'grid-1', orderId: placed.orderId, status: 'CANCELED' });
    expect(await client.openOrders({ symbol: 'BTCUSDT' })).toEqual([]);
    acct = await client.accountInfo();
    expect(acct.balances.find((b) => b.asset === 'USDT')).toEqual({ asset: 'USDT', free: '10000.00000000', locked: '0.00000000' });
    expect(acct).toMatchObject({
      makerCommission: 10,
      takerCommission: 10,
      commissionRates: { maker: '0.00100000', taker: '0.00100000' },
      accountType: 'SPOT',
    });
  });

  it('answers a MARKET order with FULL fills and records trades for myTrades, including later tape fills', async () => {
    const m = await client.order({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.002' });
    expect(m).toMatchObject({ status: 'FILLED', executedQty: '0.00200000', cummulativeQuoteQty: '100.00000000' });
    expect(m.fills).toEqual([{ price: '50000.00000000', qty: '0.00200000', commission: '0.00000200', commissionAsset: 'BTC', tradeId: 1 }]);

    const rest = await client.order({
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      quantity: '0.01',
      price: '51000',
      newOrderRespType: 'RESULT',
    });
    expect(rest).not.toHaveProperty('fills');
    h.clock.now += 1000;
    h.trade('51000.01', '0.004');
    const trades = await client.myTrades({ symbol: 'BTCUSDT' });
    expect(trades).toEqual([
      expect.objectContaining({
        id: 1,
        orderId: m.orderId,
        price: '50000.00000000',
        qty: '0.00200000',
        quoteQty: '100.00000000',
        isBuyer: true,
        isMaker: false,
      }),
      expect.objectContaining({
        id: 2,
        orderId: rest.orderId,
        price: '51000.00000000',
        qty: '0.00400000',
        commission: '0.20400000',
        commissionAsset: 'USDT',
        isBuyer: false,
        isMaker: true,
        time: START + 1000,
      }),
    ]);
    expect(await client.getOrder({ symbol: 'BTCUSDT', orderId: rest.orderId })).toMatchObject({
      status: 'PARTIALLY_FILLED',
      executedQty: '0.00400000',
    });
  });

  it('cancels all open orders on a symbol', async () => {
    await client.order({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '48000' });
    await client.order({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: '0.01', price: '52000' });
    const canceled = await client.cancelOpenOrders({ symbol: 'BTCUSDT' });
    expect(canceled.map((c) => [c.side, c.status])).toEqual([
      ['BUY', 'CANCELED'],
      ['SELL', 'CANCELED'],
    ]);
    expect(await client.openOrders({ symbol: 'BTCUSDT' })).toEqual([]);
    const all = await client.allOrders({ symbol: 'BTCUSDT' });
    expect(all.map((o) => [o.orderId, o.side, o.status, o.price, o.timeInForce])).toEqual([
      [1, 'BUY', 'CANCELED', '48000.00000000', 'GTC'],
      [2, 'SELL', 'CANCELED', '52000.00000000', 'GTC'],
    ]);
  });

  it("refuses with Binance's codes and messages", async () => {
    expect(await refusal(client.order({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '1', price: '49000' }))).toEqual({
      code: -2010,
      message: 'Account has insufficient balance for requested action.',
    });
    expect(
      await refusal(client.order({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '49000.000000001' })),
    ).toEqual({
      code: -1111,
      message: "Parameter 'price' has too much precision.",
    });
    expect(await refusal(client.order({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '49000.005' }))).toEqual({
      code: -1013,
      message: 'Filter failure: PRICE_FILTER',
    });
    expect(await refusal(client.order({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.00001', price: '49000' }))).toEqual({
      code: -1013,
      message: 'Filter failure: NOTIONAL',
    });
    await client.order({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '49000', newClientOrderId: 'dup' });
    expect(
      await refusal(
        client.order({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '49000', newClientOrderId: 'dup' }),
      ),
    ).toEqual({
      code: -2010,
      message: 'Duplicate order sent.',
    });
    expect(
      await refusal(
        client.order({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '49000', newClientOrderId: 'has.dot' }),
      ),
    ).toEqual({
      code: -1100,
      message: "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[a-zA-Z0-9-_]{1,36}$'.",
    });
    expect(await refusal(client.order({ symbol: 'NOPEUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '49000' }))).toEqual({
      code: -1121,
      message: 'Invalid symbol.',
    });
    expect(await refusal(client.cancelOrder({ symbol: 'BTCUSDT', orderId: 999 }))).toEqual({ code: -2011, message: 'Unknown order sent.' });
    expect(await refusal(client.getOrder({ symbol: 'BTCUSDT', orderId: 999 }))).toEqual({ code: -2013, message: 'Order does not exist.' });
  });
});
