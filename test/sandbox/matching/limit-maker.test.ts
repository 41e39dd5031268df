import { describe, expect, it } from 'vitest';
import { type Instrument, catalogInstrument, fx } from '../../../src/domain/index.js';
import { MatchingEngine, binanceOrderType } from '../../../src/sandbox/index.js';
import { BTC, ETH, balance, engine, limit, place, reports, tick } from './fixtures.js';

describe('LIMIT_MAKER (post-only LIMIT) in the matching core', () => {
  it('rests like a GTC limit when it would not take, and fills as maker', () => {
    const e = engine();
    e.onTrade(tick('50000'));
    const placed = place(e, limit('BUY', '49999.99', '0.01', 'm1', { postOnly: true, timeInForce: 'IOC' }));
    expect(placed.report).toMatchObject({ status: 'NEW', type: 'LIMIT', postOnly: true });
    expect(binanceOrderType(placed.report)).toBe('LIMIT_MAKER');
    expect(balance(e, 'USDT').locked).toBe(fx('499.9999'));
    const filled = e.onTrade(tick('49999', '1'));
    expect(reports(filled)).toEqual([['m1', 'FILLED', '0.01', '0.01']]);
    const trade = filled.find((x) => x.type === 'execution');
    expect(trade?.type === 'execution' && trade.report.trade?.isMaker).toBe(true);
    expect(trade?.type === 'execution' && trade.report.postOnly).toBe(true);
  });

  it.each([
    ['BUY', '50000'],
    ['BUY', '50001'],
    ['SELL', '50000'],
    ['SELL', '49999'],
  ] as const)('a %s at %s (marketable against last 50000) is refused with -2010 and nothing changes', (side, price) => {
    const e = engine({ startingBalances: { USDT: fx('10000'), BTC: fx('1') } });
    e.onTrade(tick('50000'));
    const before = e.snapshot();
    const r = e.placeOrder(limit(side, price, '0.01', 'm1', { postOnly: true }), 500);
    expect(r).toEqual({
      ok: false,
      error: { code: 'BINANCE_-2010', binanceCode: -2010, message: 'Order would immediately match and take.' },
    });
    expect(e.snapshot()).toEqual(before);
  });

  it('rests when the symbol has not traded yet, and survives a snapshot as LIMIT_MAKER', () => {
    const e = engine({ startingBalances: { USDT: fx('10000'), BTC: fx('1') } });
    place(e, limit('SELL', '60000', '0.01', 'm1', { postOnly: true }));
    place(e, limit('SELL', '61000', '0.01', 'l1'));
    const snap = JSON.parse(JSON.stringify(e.snapshot()));
    expect(snap.openOrders[0]).toMatchObject({ clientOrderId: 'm1', type: 'LIMIT', timeInForce: 'GTC', postOnly: true });
    expect(snap.openOrders[1].postOnly).toBeUndefined();
    const back = MatchingEngine.fromSnapshot({ instruments: [BTC, ETH] }, snap);
    if (!back.ok) throw new Error(back.error.message);
    const got = back.value.getOrder('BTCUSDT', { clientOrderId: 'm1' });
    expect(got.ok && binanceOrderType(got.value)).toBe('LIMIT_MAKER');
    const plain = back.value.getOrder('BTCUSDT', { clientOrderId: 'l1' });
    expect(plain.ok && binanceOrderType(plain.value)).toBe('LIMIT');
  });
});

describe('what the venue reports about an order beyond the domain report', () => {
  it("carries the order's time in force and creation time, so wire shapes need not guess", () => {
    const e = new MatchingEngine({ instruments: [catalogInstrument('BTCUSDT') as Instrument], startingBalances: { USDT: fx('1000') } });
    e.onTrade({ symbol: 'BTCUSDT', price: fx('100'), quantity: fx('1'), time: 1, tradeId: 1, isBuyerMaker: false });
    const ioc = e.placeOrder(
      { clientOrderId: 'i1', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: fx('90'), quantity: fx('1'), timeInForce: 'IOC' },
      7,
    );
    if (!ioc.ok) throw new Error(ioc.error.message);
    expect(ioc.value.report).toMatchObject({ status: 'EXPIRED', timeInForce: 'IOC', orderTime: 7 });
  });
});
