import { describe, expect, it } from 'vitest';
import { type Instrument, fx } from '../../../src/domain/index.js';
import { MatchingEngine } from '../../../src/sandbox/index.js';
import { BTC, balance, engine, limit, market, place, tick } from './fixtures.js';

function rejection(e: MatchingEngine, order: Parameters<MatchingEngine['placeOrder']>[0]) {
  const r = e.placeOrder(order, 1);
  if (r.ok) throw new Error('expected a rejection');
  return r.error;
}

describe('order rejections in Binance terms', () => {
  it.each([
    ['PRICE_FILTER', limit('BUY', '50000.001', '0.001', 'a')],
    ['LOT_SIZE', limit('BUY', '50000', '0.000015', 'a')],
    ['NOTIONAL', limit('BUY', '100', '0.00001', 'a')],
  ])('names the failing filter %s under -1013', (filter, order) => {
    const err = rejection(engine(), order);
    expect(err).toMatchObject({ code: 'BINANCE_-1013', binanceCode: -1013, message: `Filter failure: ${filter}`, filter });
    expect(err.detail).toContain(filter);
  });

  it('checks PERCENT_PRICE_BY_SIDE against the last trade', () => {
    const e = engine();
    e.onTrade(tick('50000'));
    expect(rejection(e, limit('BUY', '9999.99', '0.001', 'a')).message).toBe('Filter failure: PERCENT_PRICE_BY_SIDE');
  });

  it('checks MARKET_LOT_SIZE on market orders', () => {
    const e = engine();
    e.onTrade(tick('50000'));
    expect(rejection(e, market('SELL', '101', 'a')).message).toBe('Filter failure: MARKET_LOT_SIZE');
  });

  it('counts open orders per symbol for MAX_NUM_ORDERS', () => {
    const tight: Instrument = { ...BTC, filters: { ...BTC.filters, maxNumOrders: 2 } };
    const e = new MatchingEngine({ instruments: [tight] });
    place(e, limit('BUY', '40000', '0.001', 'a'));
    place(e, limit('BUY', '40000', '0.001', 'b'));
    expect(rejection(e, limit('BUY', '40000', '0.001', 'c')).message).toBe('Filter failure: MAX_NUM_ORDERS');
  });

  it('rejects an unknown symbol with -1121', () => {
    expect(rejection(engine(), { ...limit('BUY', '1', '1', 'a'), symbol: 'NOPEUSDT' })).toMatchObject({
      code: 'BINANCE_-1121',
      message: 'Invalid symbol.',
    });
  });

  it('rejects a LIMIT without price as a missing parameter', () => {
    const { price: _drop, ...noPrice } = limit('BUY', '1', '1', 'a');
    expect(rejection(engine(), noPrice).binanceCode).toBe(-1102);
  });

  it('rejects a buy the quote balance cannot cover, and a sell without base, with -2010', () => {
    const e = engine();
    const msg = 'Account has insufficient balance for requested action.';
    expect(rejection(e, limit('BUY', '50000', '0.2001', 'a'))).toMatchObject({ code: 'BINANCE_-2010', message: msg });
    expect(rejection(e, limit('SELL', '50000', '0.001', 'b'))).toMatchObject({ code: 'BINANCE_-2010', message: msg });
    // Exactly the free balance is enough.
    place(e, limit('BUY', '50000', '0.2', 'c'));
    expect(balance(e, 'USDT')).toEqual({ free: 0n, locked: fx('10000') });
  });

  it('rejects a MARKET order before the tape has traded the symbol', () => {
    const e = engine();
    expect(rejection(e, market('BUY', '0.001', 'a'))).toMatchObject({ code: 'BINANCE_-2010', message: 'Market is closed.' });
    e.onTrade(tick('3000', '1', 'ETHUSDT'));
    expect(rejection(e, market('BUY', '0.001', 'b')).message).toBe('Market is closed.');
  });

  it('leaves no trace of a rejected order: no balance change, no id used', () => {
    const e = engine();
    rejection(e, limit('BUY', '50000', '1', 'a'));
    expect(balance(e, 'USDT')).toEqual({ free: fx('10000'), locked: 0n });
    expect(e.getOrder('BTCUSDT', { clientOrderId: 'a' }).ok).toBe(false);
    expect(place(e, limit('BUY', '50000', '0.001', 'b')).report.exchangeOrderId).toBe('1');
  });
});

describe('client order ids', () => {
  it('refuses an id equal to an open order, and accepts it again once that order is filled', () => {
    const e = engine();
    place(e, limit('BUY', '50000', '0.001', 'dup'));
    expect(rejection(e, limit('BUY', '49000', '0.001', 'dup'))).toMatchObject({ code: 'BINANCE_-2010', message: 'Duplicate order sent.' });
    e.onTrade(tick('49999.99', '1'));
    expect(e.getOrder('BTCUSDT', { clientOrderId: 'dup' })).toMatchObject({ ok: true, value: { status: 'FILLED' } });
    const again = place(e, limit('BUY', '49000', '0.001', 'dup'));
    expect(again.report).toMatchObject({ status: 'NEW', exchangeOrderId: '2' });
    // A lookup by client id now finds the open order, and the filled one by its venue id.
    expect(e.getOrder('BTCUSDT', { clientOrderId: 'dup' })).toMatchObject({ ok: true, value: { exchangeOrderId: '2' } });
    expect(e.getOrder('BTCUSDT', { orderId: '1' })).toMatchObject({ ok: true, value: { status: 'FILLED' } });
  });

  it('accepts an id again after its order was canceled', () => {
    const e = engine();
    place(e, limit('BUY', '50000', '0.001', 'x'));
    expect(e.cancelOrder('BTCUSDT', { clientOrderId: 'x' }, 2).ok).toBe(true);
    expect(place(e, limit('BUY', '50000', '0.001', 'x')).report.status).toBe('NEW');
  });
});

describe('cancel and query of missing orders', () => {
  it('cancel of an unknown, finished or other-symbol order is -2011', () => {
    const e = engine();
    const unknown = e.cancelOrder('BTCUSDT', { clientOrderId: 'nope' }, 1);
    expect(unknown).toEqual({ ok: false, error: { code: 'BINANCE_-2011', binanceCode: -2011, message: 'Unknown order sent.' } });
    place(e, limit('BUY', '50000', '0.001', 'a'));
    expect(e.cancelOrder('ETHUSDT', { clientOrderId: 'a' }, 1)).toMatchObject({ ok: false, error: { binanceCode: -2011 } });
    expect(e.cancelOrder('BTCUSDT', { clientOrderId: 'a' }, 1).ok).toBe(true);
    expect(e.cancelOrder('BTCUSDT', { clientOrderId: 'a' }, 1)).toMatchObject({ ok: false, error: { binanceCode: -2011 } });
    expect(e.cancelOrder('NOPE', { clientOrderId: 'a' }, 1)).toMatchObject({ ok: false, error: { binanceCode: -1121 } });
  });

  it('query of an unknown order is -2013', () => {
    const e = engine();
    expect(e.getOrder('BTCUSDT', { clientOrderId: 'nope' })).toEqual({
      ok: false,
      error: { code: 'BINANCE_-2013', binanceCode: -2013, message: 'Order does not exist.' },
    });
    expect(e.getOrder('BTCUSDT', { orderId: 'abc' })).toMatchObject({ ok: false, error: { binanceCode: -2013 } });
  });
});
