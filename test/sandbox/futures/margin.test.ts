import { describe, expect, it } from 'vitest';
import {
  breakEvenPrice,
  fx,
  initialMargin,
  liquidationPrice,
  maintenanceMargin,
  orderMargin,
  parseLeverageBrackets,
  positionFromEntry,
  unrealizedPnl,
} from '../../../src/domain/index.js';
import { limit, market, rig } from './fixtures.js';
import { readFileSync } from 'node:fs';

const BRACKETS = parseLeverageBrackets(
  JSON.parse(
    readFileSync(new URL('../../../../shared/data/futures/um/json/BTCUSDT-ETHUSDT-leverageBracket.json', import.meta.url), 'utf8'),
  ),
);
const BTC_BRACKETS = BRACKETS.find((b) => b.symbol === 'BTCUSDT')!;

describe('FuturesEngine margin', () => {
  it('refuses -2019 when the order cost passes the available balance by one unit, and accepts it at equality', () => {
    // A resting buy of 0.33898 at 59000, x20: 0.33898·59000/20 = 999.991 (below the mark: no open loss).
    const order = limit('BUY', '59000', '0.33898', 'big');
    const exact = rig({ engine: { walletBalance: fx('999.991') } });
    exact.trade('60000');
    expect(exact.engine.placeOrder(order, exact.clock.t).ok).toBe(true);
    expect(exact.engine.balances()[0]).toMatchObject({ openOrderInitialMargin: fx('999.991'), availableBalance: 0n });

    const short = rig({ engine: { walletBalance: fx('999.99099999') } });
    short.trade('60000');
    const refused = short.engine.placeOrder(order, short.clock.t);
    expect(refused.ok || [refused.error.binanceCode, refused.error.message, refused.error.detail]).toEqual([
      -2019,
      'Margin is insufficient.',
      'order cost 999.991 > available 999.99099999',
    ]);
    expect(short.engine.openOrders()).toEqual({ ok: true, value: [] });
  });

  it('an order pays its open loss against the mark, and nothing for the part that reduces the position', () => {
    const r = rig();
    r.trade('60000');
    r.place(market('BUY', '0.1', 'long'));
    // Sell 0.15 at 61000 against the long 0.1: its own cost is the 0.05 it opens, 0.05·61000/20 = 152.5. Reserved:
    // netted, max(|6000|, |6000 − 9150|)/20 − 6000/20 = 0 (a fill leaves a smaller position than now);
    // sum, the opening part 152.5.
    expect(orderMargin(fx('0.1'), 'SELL', fx('0.15'), fx('61000'), fx('60000'), 20)).toBe(fx('152.5'));
    r.place(limit('SELL', '61000', '0.15', 'flip'));
    expect(r.engine.balances()[0]?.openOrderInitialMargin).toBe(0n);
    const strict = rig({ engine: { openOrderMargin: 'sum' } });
    strict.trade('60000');
    strict.place(market('BUY', '0.1', 'long'));
    strict.place(limit('SELL', '61000', '0.15', 'flip'));
    expect(strict.engine.balances()[0]?.openOrderInitialMargin).toBe(fx('152.5'));

    // A trade ahead of the clock moves the last price but not yet the mark (60000): a buy at 60500 rests above the mark
    // and pays the open loss 0.1·(60500 − 60000) = 50 besides 0.1·60500/20 = 302.5.
    const s = rig();
    s.trade('60000');
    s.market.onTrade({ symbol: 'BTCUSDT', price: fx('61000'), quantity: fx('1'), time: s.clock.t + 1000, tradeId: 1, isBuyerMaker: false });
    expect(s.market.markPrice('BTCUSDT')).toBe(fx('60000'));
    s.place(limit('BUY', '60500', '0.1', 'above-mark'));
    expect(s.engine.balances()[0]?.openOrderInitialMargin).toBe(fx('352.5'));
  });

  it('a neutral grid reserves for its larger side (netted: Binance rule) or both sides (sum)', () => {
    const grid = (rule: 'netted' | 'sum') => {
      const r = rig({ engine: { openOrderMargin: rule } });
      r.trade('60000');
      for (let i = 1; i <= 3; i++) {
        r.place(limit('BUY', String(60000 - i * 100), '0.01', `b${i}`));
        r.place(limit('SELL', String(60000 + i * 100), '0.02', `s${i}`));
      }
      return r.engine.balances()[0]?.openOrderInitialMargin;
    };
    // Bids 0.01·(59900 + 59800 + 59700) = 1794, asks 0.02·(60100 + 60200 + 60300) = 3612; x20.
    expect(grid('netted')).toBe(fx('180.6'));
    expect(grid('sum')).toBe(fx('270.3'));
  });

  it('before the first trade a LIMIT order rests on its own notional/leverage (no mark, so no open loss)', () => {
    const r = rig();
    const placed = r.place(limit('BUY', '59000', '0.1', 'early'));
    expect(placed.order.status).toBe('NEW');
    expect(r.engine.balances()[0]?.openOrderInitialMargin).toBe(fx('295'));
  });

  it('available = cross wallet + cross uPnL − cross initial margin − open-order margin', () => {
    const r = rig();
    r.trade('60000');
    r.place(market('BUY', '0.1', 'long')); // wallet 9997
    r.place(limit('BUY', '59000', '0.1', 'bid')); // 295 reserved
    r.trade('60500'); // uPnL 50, IM 0.1·60500/20 = 302.5
    const b = r.engine.balances()[0]!;
    expect(b).toMatchObject({
      walletBalance: fx('9997'),
      crossUnPnl: fx('50'),
      positionInitialMargin: fx('302.5'),
      openOrderInitialMargin: fx('295'),
      initialMargin: fx('597.5'),
      availableBalance: fx('9449.5'), // 9997 + 50 − 302.5 − 295
      marginBalance: fx('10047'),
    });
  });

  it('isolated: the opening margin moves from the cross wallet into the position with its fee; closing returns it', () => {
    const r = rig();
    r.trade('60000');
    expect(r.engine.setMarginType('BTCUSDT', 'ISOLATED', r.clock.t).ok).toBe(true);
    r.place(market('BUY', '0.1', 'long')); // margin 0.1·60000/20 = 300, fee 3 paid from it
    let p = r.position();
    expect([p.marginType, p.isolatedWallet, p.isolatedMargin]).toEqual(['ISOLATED', fx('297'), fx('297')]);
    expect(r.engine.balances()[0]).toMatchObject({
      walletBalance: fx('9997'),
      crossWalletBalance: fx('9700'),
      availableBalance: fx('9700'), // the isolated margin is already out of the cross wallet
    });
    r.trade('61000');
    p = r.position();
    expect(p.isolatedMargin).toBe(fx('397')); // 297 + uPnL 100
    expect(r.engine.balances()[0]?.availableBalance).toBe(fx('9700')); // isolated profit is not cross money
    r.place(market('SELL', '0.1', 'close', { reduceOnly: true })); // realized 100, fee 3.05
    p = r.position();
    expect([p.positionAmt, p.isolatedWallet]).toEqual([0n, 0n]);
    expect(r.engine.balances()[0]).toMatchObject({ walletBalance: fx('10093.95'), crossWalletBalance: fx('10093.95') });

    // The same trade in cross keeps everything in the one wallet.
    const c = rig();
    c.trade('60000');
    c.place(market('BUY', '0.1', 'long'));
    expect(c.engine.balances()[0]).toMatchObject({
      walletBalance: fx('9997'),
      crossWalletBalance: fx('9997'),
      availableBalance: fx('9697'),
    });
  });

  it('positions(): every figure is the domain formula at the mark', () => {
    const r = rig();
    r.trade('60000');
    r.place(market('BUY', '0.5', 'a'));
    r.trade('60123.45');
    r.place(market('BUY', '0.25', 'b')); // at 60123.45
    r.trade('59876.54');
    const mark = fx('59876.54');
    const p = r.position();
    const pos = positionFromEntry(p.positionAmt, p.entryPrice);
    const wallet = r.engine.balances()[0]!.crossWalletBalance;
    expect(p).toMatchObject({
      positionAmt: fx('0.75'),
      entryPrice: fx('60041.15'), // (30000 + 15030.8625)/0.75
      markPrice: mark,
      unrealizedProfit: unrealizedPnl(fx('0.75'), p.entryPrice, mark),
      positionInitialMargin: initialMargin(fx('0.75'), mark, 20),
      maintMargin: maintenanceMargin(fx('0.75'), mark, BTC_BRACKETS).margin,
      notional: fx('44907.405'),
      liquidationPrice: liquidationPrice(fx('0.75'), pos.entryNotional, BTC_BRACKETS, {
        mode: 'cross',
        wallet,
        otherMaintenance: 0n,
        otherUnrealizedPnl: 0n,
      })!.price,
      breakEvenPrice: breakEvenPrice({ ...pos, openingFees: fx('15') + fx('7.51543125') }),
    });
    // Flat symbols are listed too (BOTH side, zeros).
    const all = r.engine.positions();
    expect(all.ok && all.value.map((v) => [v.symbol, v.positionSide, v.positionAmt])).toEqual([
      ['BTCUSDT', 'BOTH', fx('0.75')],
      ['ETHUSDT', 'BOTH', 0n],
      ['SOLUSDT', 'BOTH', 0n],
    ]);
  });
});
