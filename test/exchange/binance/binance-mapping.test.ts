import { describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import {
  mapAccountBalances,
  mapCanceledOrders,
  mapExchangeInfo,
  mapOpenOrders,
  mapRestOrder,
  mapServerTime,
  mapUserEvent,
} from '../../../src/exchange/binance/index.js';

/** Stands in for json-bigint's BigNumber: an object whose String() is its digits. */
class BigNumberLike {
  constructor(private readonly digits: string) {}
  toFixed(): string {
    return this.digits;
  }
  toString(): string {
    return this.digits;
  }
}

const BTCUSDT = {
  symbol: 'BTCUSDT',
  status: 'TRADING',
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  filters: [
    { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
    { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
    { filterType: 'ICEBERG_PARTS', limit: 10 },
    { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '91.08', stepSize: '0.00000000' },
    { filterType: 'TRAILING_DELTA', minTrailingAboveDelta: 10, maxTrailingAboveDelta: 2000 },
    {
      filterType: 'PERCENT_PRICE_BY_SIDE',
      bidMultiplierUp: '5',
      bidMultiplierDown: '0.2',
      askMultiplierUp: '5',
      askMultiplierDown: '0.2',
      avgPriceMins: 5,
    },
    {
      filterType: 'NOTIONAL',
      minNotional: '5.00000000',
      applyMinToMarket: true,
      maxNotional: '9000000.00000000',
      applyMaxToMarket: false,
      avgPriceMins: 5,
    },
    { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
    { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
  ],
};

const OLD_STYLE = {
  symbol: 'LTCBTC',
  baseAsset: 'LTC',
  quoteAsset: 'BTC',
  filters: [
    { filterType: 'PRICE_FILTER', minPrice: '0.00000100', maxPrice: '100000.00000000', tickSize: '0.00000100' },
    { filterType: 'LOT_SIZE', minQty: '0.001', maxQty: '100000', stepSize: '0.001' },
    { filterType: 'MIN_NOTIONAL', minNotional: '0.0001', applyToMarket: true, avgPriceMins: 5 },
  ],
};

describe('mapExchangeInfo', () => {
  it('reads every filter exactly and the rate limits with their windows', () => {
    const r = mapExchangeInfo({
      timezone: 'UTC',
      serverTime: 1_565_246_363_776,
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 50 },
        { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: new BigNumberLike('160000') },
      ],
      symbols: [BTCUSDT, OLD_STYLE],
    });
    expect(r.ok && r.value.instruments[0]).toEqual({
      symbol: 'BTCUSDT',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      filters: {
        priceFilter: { minPrice: fx('0.01'), maxPrice: fx('1000000'), tickSize: fx('0.01') },
        lotSize: { minQty: fx('0.00001'), maxQty: fx('9000'), stepSize: fx('0.00001') },
        marketLotSize: { minQty: 0n, maxQty: fx('91.08'), stepSize: 0n },
        minNotional: { minNotional: fx('5'), applyToMarket: true },
        maxNotional: { maxNotional: fx('9000000'), applyToMarket: false },
        percentPriceBySide: {
          bidMultiplierUp: fx('5'),
          bidMultiplierDown: fx('0.2'),
          askMultiplierUp: fx('5'),
          askMultiplierDown: fx('0.2'),
        },
        maxNumOrders: 200,
      },
    });
    expect(r.ok && r.value.instruments[1]?.filters).toEqual({
      priceFilter: { minPrice: fx('0.000001'), maxPrice: fx('100000'), tickSize: fx('0.000001') },
      lotSize: { minQty: fx('0.001'), maxQty: fx('100000'), stepSize: fx('0.001') },
      minNotional: { minNotional: fx('0.0001'), applyToMarket: true },
    });
    expect(r.ok && r.value.rateLimits).toEqual([
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, windowMs: 60_000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 50, windowMs: 10_000 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 160_000, windowMs: 86_400_000 },
    ]);
  });

  it('leaves out a symbol it cannot read exactly instead of guessing, and keeps the rest', () => {
    const nine = { ...OLD_STYLE, symbol: 'TINYBTC', filters: [{ ...OLD_STYLE.filters[0], tickSize: '0.000000001' }, OLD_STYLE.filters[1]] };
    const noLot = { ...OLD_STYLE, symbol: 'NOLOT', filters: [OLD_STYLE.filters[0]] };
    const r = mapExchangeInfo({ rateLimits: [], symbols: [nine, BTCUSDT, noLot] });
    expect(r.ok && r.value.instruments.map((i) => i.symbol)).toEqual(['BTCUSDT']);
    expect(r.ok && r.value.skipped).toEqual([
      { symbol: 'TINYBTC', reason: 'PRICE_FILTER tickSize "0.000000001" is not an exact 8-decimal number' },
      { symbol: 'NOLOT', reason: 'no LOT_SIZE' },
    ]);
  });

  it('refuses a body that is not exchangeInfo', () => {
    expect(mapExchangeInfo('<html>')).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
  });
});

describe('REST order, balance and time mapping', () => {
  const result = {
    symbol: 'BTCUSDT',
    orderId: 28,
    orderListId: -1,
    clientOrderId: 'tg_1',
    transactTime: 1_507_725_176_595,
    price: '49000.00000000',
    origQty: '0.00100000',
    executedQty: '0.00000000',
    origQuoteOrderQty: '0.00000000',
    cummulativeQuoteQty: '0.00000000',
    status: 'NEW',
    timeInForce: 'GTC',
    type: 'LIMIT',
    side: 'BUY',
    workingTime: 1_507_725_176_595,
    selfTradePreventionMode: 'NONE',
  };

  it('maps a RESULT placement exactly', () => {
    expect(mapRestOrder(result)).toEqual({
      ok: true,
      value: {
        clientOrderId: 'tg_1',
        exchangeOrderId: '28',
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        status: 'NEW',
        price: fx('49000'),
        origQty: fx('0.001'),
        cumQty: 0n,
        cumQuote: 0n,
        time: 1_507_725_176_595,
      },
    });
  });

  it('keeps a big order id digit for digit and names a canceled order by its original client id', () => {
    const cancel = {
      ...result,
      orderId: new BigNumberLike('12345678901234567890'),
      origClientOrderId: 'tg_1',
      clientOrderId: 'cancelReq',
      status: 'CANCELED',
    };
    expect(mapRestOrder(cancel)).toMatchObject({
      ok: true,
      value: { clientOrderId: 'tg_1', exchangeOrderId: '12345678901234567890', status: 'CANCELED' },
    });
  });

  it('uses updateTime for a queried order, and LIMIT_MAKER rests as a LIMIT', () => {
    const { transactTime: _t, ...rest } = result;
    const queried = { ...rest, type: 'LIMIT_MAKER', time: 1, updateTime: 2, isWorking: true };
    expect(mapRestOrder(queried)).toMatchObject({ ok: true, value: { type: 'LIMIT', time: 2 } });
  });

  it('refuses floats in money fields and statuses it does not know', () => {
    expect(mapRestOrder({ ...result, price: 0.1 + 0.2 })).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
    expect(mapRestOrder({ ...result, status: 'PENDING_NEW' })).toMatchObject({ ok: false });
  });

  it('lists open orders, leaving out order types telegrid never places', () => {
    const r = mapOpenOrders([result, { ...result, clientOrderId: 'stop', type: 'STOP_LOSS_LIMIT' }]);
    expect(r.ok && r.value.map((o) => o.clientOrderId)).toEqual(['tg_1']);
  });

  it('reads a cancel-all answer like single cancels, leaving out order lists and types telegrid never places', () => {
    const cancel = { ...result, origClientOrderId: 'tg_1', clientOrderId: 'cancelReq', status: 'CANCELED' };
    const oco = {
      orderListId: 3,
      contingencyType: 'OCO',
      orders: [],
      orderReports: [{ ...cancel, origClientOrderId: 'leg', type: 'STOP_LOSS_LIMIT' }],
    };
    const r = mapCanceledOrders([cancel, oco, { ...cancel, origClientOrderId: 'stop', type: 'STOP_LOSS_LIMIT' }]);
    expect(r).toMatchObject({ ok: true, value: [{ clientOrderId: 'tg_1', exchangeOrderId: '28', status: 'CANCELED' }] });
    expect(r.ok && r.value).toHaveLength(1);
    expect(mapCanceledOrders({ code: -2011 })).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
  });

  it('maps account balances exactly', () => {
    const r = mapAccountBalances({ makerCommission: 15, balances: [{ asset: 'BTC', free: '4723846.89208129', locked: '0.00000001' }] });
    expect(r).toEqual({ ok: true, value: [{ asset: 'BTC', free: fx('4723846.89208129'), locked: fx('0.00000001') }] });
  });

  it('reads server time from the library (a number) or the raw body', () => {
    expect(mapServerTime(1_499_827_319_559)).toEqual({ ok: true, value: 1_499_827_319_559 });
    expect(mapServerTime({ serverTime: 1_499_827_319_559 })).toEqual({ ok: true, value: 1_499_827_319_559 });
  });
});

describe('mapUserEvent (binance-api-node transformed payloads)', () => {
  const base = {
    eventType: 'executionReport',
    eventTime: 1_499_405_658_658,
    symbol: 'ETHBTC',
    newClientOrderId: 'tg_9',
    originalClientOrderId: '',
    side: 'SELL',
    orderType: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '1.00000000',
    price: '0.10264410',
    executionType: 'NEW',
    orderStatus: 'NEW',
    orderRejectReason: 'NONE',
    orderId: 4_293_153,
    orderTime: 1_499_405_658_657,
    lastTradeQuantity: '0.00000000',
    totalTradeQuantity: '0.00000000',
    priceLastTrade: '0.00000000',
    commission: '0',
    commissionAsset: null,
    tradeId: -1,
    isOrderWorking: true,
    isBuyerMaker: false,
    totalQuoteTradeQuantity: '0.00000000',
  };

  it('maps a NEW report without a trade', () => {
    expect(mapUserEvent(base)).toEqual({
      ok: true,
      value: {
        type: 'execution',
        report: {
          clientOrderId: 'tg_9',
          exchangeOrderId: '4293153',
          symbol: 'ETHBTC',
          side: 'SELL',
          type: 'LIMIT',
          status: 'NEW',
          price: fx('0.1026441'),
          origQty: fx('1'),
          cumQty: 0n,
          cumQuote: 0n,
          time: 1_499_405_658_657,
        },
      },
    });
  });

  it('maps a TRADE with its fill, fee and maker flag (the library calls `m` isBuyerMaker)', () => {
    const trade = {
      ...base,
      executionType: 'TRADE',
      orderStatus: 'PARTIALLY_FILLED',
      lastTradeQuantity: '0.40000000',
      totalTradeQuantity: '0.40000000',
      priceLastTrade: '0.10264410',
      commission: '0.00004106',
      commissionAsset: 'BTC',
      tradeId: 77,
      isBuyerMaker: true,
      totalQuoteTradeQuantity: '0.04105764',
    };
    expect(mapUserEvent(trade)).toMatchObject({
      ok: true,
      value: {
        report: {
          status: 'PARTIALLY_FILLED',
          cumQty: fx('0.4'),
          cumQuote: fx('0.04105764'),
          trade: {
            tradeId: 77,
            price: fx('0.1026441'),
            quantity: fx('0.4'),
            commission: fx('0.00004106'),
            commissionAsset: 'BTC',
            isMaker: true,
          },
        },
      },
    });
  });

  it('names a canceled order by C, not by the cancel request id in c, and keeps a reject reason', () => {
    const canceled = {
      ...base,
      executionType: 'CANCELED',
      orderStatus: 'CANCELED',
      newClientOrderId: 'web_cancel',
      originalClientOrderId: 'tg_9',
    };
    expect(mapUserEvent(canceled)).toMatchObject({ ok: true, value: { report: { clientOrderId: 'tg_9', status: 'CANCELED' } } });
    const rejected = { ...base, executionType: 'REJECTED', orderStatus: 'REJECTED', orderRejectReason: 'INSUFFICIENT_BALANCES' };
    expect(mapUserEvent(rejected)).toMatchObject({ ok: true, value: { report: { rejectReason: 'INSUFFICIENT_BALANCES' } } });
  });

  it('maps outboundAccountPosition to balances at the account update time, and ignores other events', () => {
    const position = {
      eventType: 'outboundAccountPosition',
      eventTime: 10,
      lastAccountUpdate: 9,
      balances: [{ asset: 'ETH', free: '10000.000000', locked: '0.000000' }],
    };
    expect(mapUserEvent(position)).toEqual({
      ok: true,
      value: { type: 'balances', balances: [{ asset: 'ETH', free: fx('10000'), locked: 0n }], time: 9 },
    });
    expect(mapUserEvent({ eventType: 'balanceUpdate', asset: 'BTC', balanceDelta: '1' })).toEqual({
      ok: true,
      value: { type: 'ignored', eventType: 'balanceUpdate' },
    });
    expect(mapUserEvent({ type: 'eventStreamTerminated', E: 1 })).toEqual({
      ok: true,
      value: { type: 'ignored', eventType: 'eventStreamTerminated' },
    });
  });

  it('refuses a trade whose figures are not exact', () => {
    expect(mapUserEvent({ ...base, executionType: 'TRADE', commission: 1e-7, commissionAsset: 'BTC' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_RESPONSE' },
    });
  });
});
