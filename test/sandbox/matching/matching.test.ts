import { describe, expect, it } from 'vitest';
import { format, fx } from '../../../src/domain/index.js';
import type { VenueEvent } from '../../../src/sandbox/index.js';
import { balance, engine, limit, market, place, reports, tick } from './fixtures.js';

function trades(events: readonly VenueEvent[]) {
  return events.flatMap((e) => (e.type === 'execution' && e.report.trade ? [e.report] : []));
}

describe('locking funds while an order rests', () => {
  it('a buy locks price*qty quote and a cancel gives it back', () => {
    const e = engine();
    const placed = place(e, limit('BUY', '50000', '0.01', 'b1'));
    expect(placed.report).toMatchObject({ status: 'NEW', exchangeOrderId: '1', cumQty: 0n });
    expect(balance(e, 'USDT')).toEqual({ free: fx('9500'), locked: fx('500') });
    const balanceEvents = placed.events.filter((x) => x.type === 'balances');
    expect(balanceEvents).toEqual([{ type: 'balances', balances: [{ asset: 'USDT', free: fx('9500'), locked: fx('500') }], time: 500 }]);

    const canceled = e.cancelOrder('BTCUSDT', { clientOrderId: 'b1' }, 600);
    if (!canceled.ok) throw new Error('cancel failed');
    expect(canceled.value.report).toMatchObject({ status: 'CANCELED', time: 600 });
    expect(reports(canceled.value.events)).toEqual([['b1', 'CANCELED', '0', undefined]]);
    expect(balance(e, 'USDT')).toEqual({ free: fx('10000'), locked: 0n });
    expect(e.openOrders().ok && e.openOrders()).toEqual({ ok: true, value: [] });
  });

  it('a sell locks its base quantity', () => {
    const e = engine({ startingBalances: { BTC: fx('1') } });
    place(e, limit('SELL', '60000', '0.25', 's1'));
    expect(balance(e, 'BTC')).toEqual({ free: fx('0.75'), locked: fx('0.25') });
    e.cancelOrder('BTCUSDT', { orderId: '1' }, 1);
    expect(balance(e, 'BTC')).toEqual({ free: fx('1'), locked: 0n });
  });

  it('a partial fill spends part of the lock and a cancel frees the rest', () => {
    const e = engine();
    place(e, limit('BUY', '50000', '0.01', 'b1'));
    e.onTrade(tick('49990', '0.004'));
    expect(balance(e, 'USDT')).toEqual({ free: fx('9500'), locked: fx('300') });
    e.cancelOrder('BTCUSDT', { clientOrderId: 'b1' }, 1);
    expect(balance(e, 'USDT')).toEqual({ free: fx('9800'), locked: 0n });
    expect(e.getOrder('BTCUSDT', { clientOrderId: 'b1' })).toMatchObject({ ok: true, value: { status: 'CANCELED', cumQty: fx('0.004') } });
  });
});

describe('resting orders fill only when the tape trades through them', () => {
  it('a trade exactly at the limit fills nothing; one tick through fills at the limit as maker', () => {
    const e = engine({ startingBalances: { USDT: fx('10000'), BTC: fx('1') } });
    place(e, limit('BUY', '50000', '0.01', 'b'));
    place(e, limit('SELL', '51000', '0.01', 's'));
    expect(e.onTrade(tick('50000'))).toHaveLength(0);
    expect(e.onTrade(tick('51000'))).toHaveLength(0);

    const buyFill = trades(e.onTrade(tick('49999.99', '5')));
    expect(buyFill).toHaveLength(1);
    expect(buyFill[0]).toMatchObject({ clientOrderId: 'b', status: 'FILLED', cumQty: fx('0.01'), cumQuote: fx('500') });
    expect(buyFill[0]?.trade).toMatchObject({ price: fx('50000'), quantity: fx('0.01'), isMaker: true, tradeId: 1 });

    const sellFill = trades(e.onTrade(tick('51000.01', '5')));
    expect(sellFill[0]).toMatchObject({ clientOrderId: 's', status: 'FILLED', cumQuote: fx('510') });
    expect(sellFill[0]?.trade).toMatchObject({ price: fx('51000'), isMaker: true, tradeId: 2 });
  });

  it('returns one shared empty array when a trade crosses nothing', () => {
    const e = engine();
    place(e, limit('BUY', '50000', '0.01', 'b'));
    const a = e.onTrade(tick('50001'));
    const b = e.onTrade(tick('60000', '1', 'ETHUSDT'));
    const c = e.onTrade(tick('1', '1', 'UNKNOWN'));
    expect(a).toHaveLength(0);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it("shares one trade's quantity across crossed orders by price, then time", () => {
    const e = engine({ startingBalances: { USDT: fx('100000') } });
    place(e, limit('BUY', '49000', '0.01', 'low'));
    place(e, limit('BUY', '50000', '0.01', 'early'));
    place(e, limit('BUY', '50000', '0.01', 'late'));
    place(e, limit('BUY', '49500', '0.01', 'mid'));

    // 0.015 through all four: best price first, and at 50000 the earlier order first.
    expect(reports(e.onTrade(tick('48000', '0.015')))).toEqual([
      ['early', 'FILLED', '0.01', '0.01'],
      ['late', 'PARTIALLY_FILLED', '0.005', '0.005'],
    ]);
    // A trade through only the two 50000 orders can reach nothing else.
    expect(reports(e.onTrade(tick('49999', '1')))).toEqual([['late', 'FILLED', '0.01', '0.005']]);
    expect(reports(e.onTrade(tick('48000', '0.012')))).toEqual([
      ['mid', 'FILLED', '0.01', '0.01'],
      ['low', 'PARTIALLY_FILLED', '0.002', '0.002'],
    ]);
    const open = e.openOrders('BTCUSDT');
    expect(open.ok && open.value.map((r) => r.clientOrderId)).toEqual(['low']);
  });

  it('reports cumulative figures across partial fills, and balances after each fill', () => {
    const e = engine({ startingBalances: { BTC: fx('1') } });
    place(e, limit('SELL', '60000', '0.03', 's'));
    const first = e.onTrade(tick('60001', '0.01'));
    const second = e.onTrade(tick('60002', '0.02'));
    const [r1] = trades(first);
    const [r2] = trades(second);
    expect(r1).toMatchObject({ status: 'PARTIALLY_FILLED', cumQty: fx('0.01'), cumQuote: fx('600'), time: 1_000 });
    expect(r2).toMatchObject({ status: 'FILLED', cumQty: fx('0.03'), cumQuote: fx('1800') });
    expect(second.at(-1)).toEqual({
      type: 'balances',
      balances: [
        { asset: 'BTC', free: fx('0.97'), locked: 0n },
        { asset: 'USDT', free: fx('1798.2'), locked: 0n },
      ],
      time: 1_000,
    });
  });

  it('fills both sides from one trade when our own book is crossed', () => {
    const e = engine({ startingBalances: { USDT: fx('10000'), BTC: fx('1') } });
    place(e, limit('BUY', '50000', '0.01', 'b'));
    place(e, limit('SELL', '49000', '0.01', 's'));
    expect(reports(e.onTrade(tick('49500', '0.01')))).toEqual([
      ['b', 'FILLED', '0.01', '0.01'],
      ['s', 'FILLED', '0.01', '0.01'],
    ]);
  });
});

describe('orders marketable on arrival fill at once as taker', () => {
  it('a buy limit at or above the last trade fills in full at the last price', () => {
    const e = engine();
    e.onTrade(tick('50000', '0.0001'));
    const placed = place(e, limit('BUY', '50100', '0.1', 'b'), 700);
    expect(placed.report).toMatchObject({ status: 'FILLED', cumQty: fx('0.1'), cumQuote: fx('5000'), time: 700 });
    expect(reports(placed.events)).toEqual([
      ['b', 'NEW', '0', undefined],
      ['b', 'FILLED', '0.1', '0.1'],
    ]);
    expect(trades(placed.events)[0]?.trade).toMatchObject({ price: fx('50000'), isMaker: false });
    expect(balance(e, 'USDT')).toEqual({ free: fx('5000'), locked: 0n });
    expect(balance(e, 'BTC')).toEqual({ free: fx('0.0999'), locked: 0n });
  });

  it('a sell limit at the last trade is marketable', () => {
    const e = engine({ startingBalances: { BTC: fx('1') } });
    e.onTrade(tick('50000'));
    expect(place(e, limit('SELL', '50000', '0.1', 's')).report.status).toBe('FILLED');
  });

  it('checks a marketable buy limit against price*qty at its limit, as Binance does', () => {
    const e = engine();
    e.onTrade(tick('40000'));
    const r = e.placeOrder(limit('BUY', '50100', '0.2', 'b'), 1);
    expect(r).toMatchObject({ ok: false, error: { binanceCode: -2010 } });
  });

  it('a MARKET order fills in full at the last trade price', () => {
    const e = engine();
    e.onTrade(tick('3000', '1', 'ETHUSDT'));
    const placed = place(e, market('BUY', '1', 'm', 'ETHUSDT'));
    expect(placed.report).toMatchObject({ status: 'FILLED', type: 'MARKET', price: 0n, cumQuote: fx('3000') });
    expect(trades(placed.events)[0]?.trade).toMatchObject({
      price: fx('3000'),
      commission: fx('0.001'),
      commissionAsset: 'ETH',
      isMaker: false,
    });
    expect(balance(e, 'ETH')).toEqual({ free: fx('0.999'), locked: 0n });
    expect(e.placeOrder(market('BUY', '3', 'm2', 'ETHUSDT'), 1)).toMatchObject({ ok: false, error: { binanceCode: -2010 } });
  });
});

describe('IOC and FOK', () => {
  it.each(['IOC', 'FOK'] as const)('%s that cannot fill now expires untouched', (tif) => {
    const e = engine();
    e.onTrade(tick('50000'));
    const placed = place(e, limit('BUY', '49000', '0.01', 'x', { timeInForce: tif }));
    expect(placed.report.status).toBe('EXPIRED');
    expect(reports(placed.events)).toEqual([
      ['x', 'NEW', '0', undefined],
      ['x', 'EXPIRED', '0', undefined],
    ]);
    expect(balance(e, 'USDT')).toEqual({ free: fx('10000'), locked: 0n });
    expect(e.openOrders()).toEqual({ ok: true, value: [] });
    // A later trade through its price finds nothing resting.
    expect(e.onTrade(tick('48000'))).toHaveLength(0);
  });

  it.each(['IOC', 'FOK'] as const)('%s that is marketable fills in full', (tif) => {
    const e = engine();
    e.onTrade(tick('50000'));
    expect(place(e, limit('BUY', '50000', '0.01', 'x', { timeInForce: tif })).report.status).toBe('FILLED');
  });

  it('IOC before any trade expires: there is nothing to match', () => {
    const e = engine();
    expect(place(e, limit('BUY', '50000', '0.01', 'x', { timeInForce: 'IOC' })).report.status).toBe('EXPIRED');
  });
});

describe('fees the Binance way', () => {
  it('charges a buy in base and a sell in quote, exactly', () => {
    const e = engine({ startingBalances: { USDT: fx('10000') }, fees: { maker: fx('0.001'), taker: fx('0.002') } });
    place(e, limit('BUY', '50000', '0.01234', 'b'));
    const [buy] = trades(e.onTrade(tick('49000', '1')));
    expect(buy?.trade).toMatchObject({ commission: fx('0.00001234'), commissionAsset: 'BTC', isMaker: true });
    expect(balance(e, 'BTC').free).toBe(fx('0.01232766'));
    expect(balance(e, 'USDT').free).toBe(fx('9383'));

    const sold = place(e, limit('SELL', '48000', '0.01232', 's'));
    const [sell] = trades(sold.events);
    // Taker at the last trade (49000): 0.01232 * 49000 = 603.68 quote, fee 0.2 % = 1.20736.
    expect(sell?.trade).toMatchObject({ price: fx('49000'), commission: fx('1.20736'), commissionAsset: 'USDT', isMaker: false });
    expect(balance(e, 'USDT').free).toBe(fx('9985.47264'));
    expect(format(balance(e, 'BTC').free)).toBe('0.00000766');
  });

  it('rounds commission half-even to 8 decimals', () => {
    const e = engine({ fees: { maker: fx('0.0005'), taker: fx('0.0005') } });
    e.onTrade(tick('50000'));
    // 0.0001 * 0.0005 = 0.00000005 exactly; 0.00001 * 0.0005 = 0.000000005 → half → even (0); 0.00003 → 0.000000015 → 0.00000002.
    const fee = (qty: string, id: string) => trades(place(e, limit('BUY', '50000', qty, id)).events)[0]?.trade?.commission;
    expect(fee('0.0001', 'a')).toBe(fx('0.00000005'));
    expect(fee('0.00011', 'b')).toBe(fx('0.00000006')); // 0.000000055 → 0.00000006 (6 is even)
    expect(fee('0.00013', 'c')).toBe(fx('0.00000006')); // 0.000000065 → 0.00000006 (6 is even)
  });
});

describe('ids and queries', () => {
  it('numbers orders and trades from 1, and answers open orders, lookups and last prices', () => {
    const e = engine({ startingBalances: { USDT: fx('100000'), ETH: fx('10') } });
    expect(e.lastPrice('BTCUSDT')).toBeUndefined();
    place(e, limit('BUY', '50000', '0.01', 'a'));
    place(e, { ...limit('SELL', '4000', '1', 'b'), symbol: 'ETHUSDT' });
    place(e, limit('BUY', '49000', '0.01', 'c'));
    const all = e.openOrders();
    expect(all.ok && all.value.map((r) => [r.exchangeOrderId, r.clientOrderId])).toEqual([
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'c'],
    ]);
    const eth = e.openOrders('ETHUSDT');
    expect(eth.ok && eth.value.map((r) => r.clientOrderId)).toEqual(['b']);
    expect(e.openOrders('NOPE')).toMatchObject({ ok: false, error: { binanceCode: -1121 } });
    e.onTrade(tick('48000', '1'));
    expect(e.lastPrice('BTCUSDT')).toBe(fx('48000'));
    expect(e.getOrder('BTCUSDT', { clientOrderId: 'c' })).toMatchObject({ ok: true, value: { status: 'FILLED' } });
    expect(e.getOrder('ETHUSDT', { clientOrderId: 'c' })).toMatchObject({ ok: false, error: { binanceCode: -2013 } });
  });

  it('forgets the oldest terminal orders beyond the configured limit', () => {
    const e = engine({ recentOrderLimit: 2 });
    for (const id of ['a', 'b', 'c']) {
      place(e, limit('BUY', '50000', '0.001', id));
      e.cancelOrder('BTCUSDT', { clientOrderId: id }, 1);
    }
    expect(e.getOrder('BTCUSDT', { clientOrderId: 'a' }).ok).toBe(false);
    expect(e.getOrder('BTCUSDT', { clientOrderId: 'b' }).ok).toBe(true);
    expect(e.getOrder('BTCUSDT', { orderId: '3' }).ok).toBe(true);
  });

  it('with keepTrades, an order keeps its trade reports for as long as it is known; a reused id starts afresh', () => {
    const e = engine({ keepTrades: true, recentOrderLimit: 1 });
    place(e, limit('BUY', '50000', '0.01', 'b1'));
    const fills = [...trades(e.onTrade(tick('49990', '0.004'))), ...trades(e.onTrade(tick('49990', '0.006')))];
    expect(e.orderTrades('BTCUSDT', { clientOrderId: 'b1' })).toEqual({ ok: true, value: fills });
    place(e, limit('BUY', '49000', '0.01', 'b1'));
    expect(e.orderTrades('BTCUSDT', { clientOrderId: 'b1' })).toEqual({ ok: true, value: [] });
    // The first b1 is still known by its venue id until the limit forgets it.
    expect(e.orderTrades('BTCUSDT', { orderId: '1' })).toEqual({ ok: true, value: fills });
    e.cancelOrder('BTCUSDT', { clientOrderId: 'b1' }, 1);
    expect(e.orderTrades('BTCUSDT', { orderId: '1' })).toMatchObject({ ok: false, error: { binanceCode: -2013 } });
    expect(engine().orderTrades('BTCUSDT', { clientOrderId: 'x' })).toMatchObject({ ok: false, error: { binanceCode: -2013 } });
  });
});
