import { describe, expect, it } from 'vitest';
import { format, fx } from '../../../src/domain/index.js';
import type { FuturesEvent } from '../../../src/sandbox/futures/index.js';
import { kinds, limit, market, rig } from './fixtures.js';

const orderEvents = (events: readonly FuturesEvent[]) => events.filter((e) => e.type === 'order');

describe('FuturesEngine fills: netting, realized PnL and fees as computed by hand', () => {
  it('long, flip to short through a resting sell, reduce the short: every figure exact', () => {
    const r = rig();
    r.trade('60000');
    // Taker: fills at once at the last trade; fee 60000·0.1·0.0005 = 3.
    const open = r.place(market('BUY', '0.1', 'open'));
    expect(kinds(open.events)).toEqual(['order:NEW:NEW', 'account:ORDER', 'order:TRADE:FILLED']);
    expect(open.order).toMatchObject({ status: 'FILLED', avgPrice: fx('60000'), executedQty: fx('0.1'), cumQuote: fx('6000') });
    let p = r.position();
    expect([p.positionAmt, p.entryPrice, p.breakEvenPrice]).toEqual([fx('0.1'), fx('60000'), fx('60030')]);
    expect(r.engine.balances()[0]?.walletBalance).toBe(fx('9997'));

    // A resting sell of 0.15 at 61000 fills as maker when a trade goes through it: closes 0.1, opens 0.05 short.
    r.place(limit('SELL', '61000', '0.15', 'flip'));
    expect(r.trade('61000')).toEqual([]); // at the limit: the queue ahead may have taken it
    const flip = r.trade('61000.5');
    expect(kinds(flip)).toEqual(['account:ORDER', 'order:TRADE:FILLED']);
    const fill = orderEvents(flip)[0];
    expect(fill?.type === 'order' && fill.fill).toEqual({
      tradeId: 2,
      price: fx('61000'),
      quantity: fx('0.15'),
      commission: fx('1.83'), // 61000·0.15·0.0002
      commissionAsset: 'USDT',
      realizedPnl: fx('100'), // 0.1·(61000 − 60000), pre-fee
      isMaker: true,
    });
    p = r.position();
    // Short 0.05 at 61000; its share of the fee 1.83·0.05/0.15 = 0.61 is in the break-even: (3050 − 0.61)/0.05.
    expect([p.positionAmt, p.entryPrice, p.breakEvenPrice, p.accumulatedRealized]).toEqual([
      fx('-0.05'),
      fx('61000'),
      fx('60987.8'),
      fx('100'),
    ]);
    expect(r.engine.balances()[0]?.walletBalance).toBe(fx('10095.17')); // 9997 + 100 − 1.83

    // A resting buy reduces the short: realized 0.02·(61000 − 60500) = 10, fee 60500·0.02·0.0002 = 0.242.
    r.place(limit('BUY', '60500', '0.02', 'reduce'));
    r.trade('60499.99');
    p = r.position();
    expect([p.positionAmt, p.entryPrice]).toEqual([fx('-0.03'), fx('61000')]);
    expect(r.engine.balances()[0]?.walletBalance).toBe(fx('10104.928'));

    const trades = r.engine.userTrades('BTCUSDT');
    expect(
      trades.ok &&
        trades.value.map((t) => [t.side, format(t.price), format(t.quantity), format(t.commission), format(t.realizedPnl), t.isMaker]),
    ).toEqual([
      ['BUY', '60000', '0.1', '3', '0', false],
      ['SELL', '61000', '0.15', '1.83', '100', true],
      ['BUY', '60500', '0.02', '0.242', '10', true],
    ]);
    expect(r.engine.income().map((i) => [i.incomeType, format(i.income), i.tradeId])).toEqual([
      ['COMMISSION', '-3', 1],
      ['REALIZED_PNL', '100', 2],
      ['COMMISSION', '-1.83', 2],
      ['REALIZED_PNL', '10', 3],
      ['COMMISSION', '-0.242', 3],
    ]);
    // The wallet moved by exactly the income booked.
    const booked = r.engine.income().reduce((sum, i) => sum + i.income, 0n);
    expect(r.engine.balances()[0]?.walletBalance).toBe(fx('10000') + booked);
  });

  it('a marketable LIMIT fills at the last trade as taker; a trade smaller than a resting order fills it partly', () => {
    const r = rig();
    r.trade('60000');
    const taker = r.place(limit('BUY', '60100', '0.01', 'through'));
    expect(taker.order).toMatchObject({ status: 'FILLED', avgPrice: fx('60000') });
    r.place(limit('SELL', '60200', '0.05', 'part'));
    const first = r.trade('60300', '0.02');
    const e = orderEvents(first)[0];
    expect(e?.type === 'order' && [e.order.status, format(e.order.executedQty), format(e.askNotional)]).toEqual([
      'PARTIALLY_FILLED',
      '0.02',
      '1806', // 60200·0.03 still resting
    ]);
    r.trade('60300', '1');
    expect(r.engine.getOrder('BTCUSDT', { clientOrderId: 'part' })).toMatchObject({ ok: true, value: { status: 'FILLED' } });
    expect(r.position().positionAmt).toBe(fx('-0.04'));
  });

  it('IOC that is not marketable expires (er 2); reduce-only MARKET over-closing fills the position and expires the rest (er 4)', () => {
    const r = rig();
    r.trade('60000');
    const ioc = r.place(limit('BUY', '59000', '0.01', 'ioc', { timeInForce: 'IOC' }));
    expect(ioc.order.status).toBe('EXPIRED');
    expect(ioc.events.map((e) => e.type === 'order' && e.expireReason)).toEqual([0, 2]);
    r.place(market('BUY', '0.01', 'long'));
    const close = r.place(market('SELL', '0.05', 'close', { reduceOnly: true }));
    expect(kinds(close.events)).toEqual(['order:NEW:NEW', 'account:ORDER', 'order:TRADE:PARTIALLY_FILLED', 'order:EXPIRED:EXPIRED']);
    expect(close.events.at(-1)).toMatchObject({ expireReason: 4 });
    expect(r.position().positionAmt).toBe(0n);
  });

  it('a resting reduce-only order that would now increase the position expires (er 4)', () => {
    const r = rig();
    r.trade('60000');
    r.place(market('BUY', '0.01', 'long'));
    r.place(limit('SELL', '62000', '0.01', 'tp', { reduceOnly: true }));
    const flip = r.place(market('SELL', '0.02', 'flip'));
    expect(kinds(flip.events)).toEqual(['order:NEW:NEW', 'account:ORDER', 'order:TRADE:FILLED', 'order:EXPIRED:EXPIRED']);
    expect(flip.events.at(-1)).toMatchObject({ expireReason: 4, order: { clientOrderId: 'tp' } });
    expect(r.engine.openOrders()).toEqual({ ok: true, value: [] });
  });

  it('cancel: CANCELED event with the resting notional dropping; allOrders lists everything oldest first', () => {
    const r = rig();
    r.trade('60000');
    const placed = r.place(limit('BUY', '59000', '0.01', 'bid'));
    expect(placed.events[0]).toMatchObject({ execution: 'NEW', bidNotional: fx('590'), askNotional: 0n });
    const c = r.engine.cancelOrder('BTCUSDT', { orderId: String(placed.order.orderId) }, r.clock.t);
    expect(c.ok && [kinds(c.value.events), c.value.events[0]]).toEqual([
      ['order:CANCELED:CANCELED'],
      expect.objectContaining({ bidNotional: 0n }),
    ]);
    r.place(market('BUY', '0.01', 'm'));
    const all = r.engine.allOrders('BTCUSDT');
    expect(all.ok && all.value.map((o) => [o.clientOrderId, o.status])).toEqual([
      ['bid', 'CANCELED'],
      ['m', 'FILLED'],
    ]);
  });

  it('fee rates come from the options (and commissionRate serves them)', () => {
    const r = rig({ engine: { fees: { maker: fx('0.0001'), taker: fx('0.0003') } } });
    r.trade('60000');
    expect(r.engine.commissionRate('BTCUSDT')).toEqual({ ok: true, value: { maker: fx('0.0001'), taker: fx('0.0003') } });
    r.place(market('BUY', '0.1', 'a'));
    expect(r.engine.income()[0]?.income).toBe(fx('-1.8'));
  });
});
