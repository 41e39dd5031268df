import { describe, expect, it } from 'vitest';
import { FLAT_POSITION, SCALE, fixed, fx, liquidationPrice, orderMargin, positionFromEntry } from '../../src/domain/index.js';
import { checkLeverage, checkLiquidationDistance, checkMarginAvailable, checkTradingState } from '../../src/risk/index.js';
import { btcBrackets } from '../domain/futures/brackets-file.js';

describe('futures risk checks', () => {
  it('leverage over the limit is denied with both numbers; 0 means no limit', () => {
    expect(checkLeverage('BTCUSDT', 10, 10)).toBeUndefined();
    expect(checkLeverage('BTCUSDT', 125, 0)).toBeUndefined();
    const d = checkLeverage('BTCUSDT', 20, 10);
    expect(d?.code).toBe('MAX_LEVERAGE');
    expect(d?.message).toBe('BTCUSDT is at x20, over the x10 limit');
  });

  it("an order's margin: only the opening part pays, plus the open loss above mark, rounded up", () => {
    // 0.01 BTC at 100000 on x5: 200 USDT; bought 50 above mark adds 0.01·50 = 0.5.
    expect(orderMargin(0n, 'BUY', fx('0.01'), fx('100000'), fx('100000'), 5)).toBe(fx('200'));
    expect(orderMargin(0n, 'BUY', fx('0.01'), fx('100050'), fx('100000'), 5)).toBe(fx('200.1') + fx('0.5'));
    // A sell below mark has no open loss the other way round: a sell above mark is better than mark.
    expect(orderMargin(0n, 'SELL', fx('0.01'), fx('100050'), fx('100000'), 5)).toBe(fx('200.1'));
    // Reducing a 0.004 long with a 0.01 sell: only 0.006 opens the short.
    expect(orderMargin(fx('0.004'), 'SELL', fx('0.01'), fx('100000'), fx('100000'), 5)).toBe(fx('120'));
    expect(orderMargin(fx('0.02'), 'SELL', fx('0.01'), fx('100000'), fx('100000'), 5)).toBe(0n);
    // Rounded up: 0.00001·33333.34/3 = 0.1111111333… → 0.11111114.
    expect(orderMargin(0n, 'BUY', fx('0.00001'), fx('33333.34'), fx('33333.34'), 3)).toBe(fx('0.11111114'));
  });

  it('margin available less what was approved must cover the order', () => {
    expect(checkMarginAvailable(fx('100'), fx('150'), fx('50'), 'USDT')).toBeUndefined();
    const d = checkMarginAvailable(fx('100'), fx('150'), fx('50.00000001'), 'USDT');
    expect(d?.code).toBe('INSUFFICIENT_MARGIN');
    expect(d?.numbers).toEqual({ required: '100', available: '99.99999999', reserved: '50.00000001' });
  });

  it('an opening order must leave liquidation at least the setting away from its price; exactly at it passes', () => {
    const brackets = btcBrackets();
    // A 0.01 BTC long bought at 100000 on isolated margin w: LP = (1000 − w)/(0.01·0.996).
    const base = { symbol: 'BTCUSDT', side: 'BUY' as const, quantity: fx('0.01'), price: fx('100000'), position: FLAT_POSITION, brackets };
    // 15 % below 100000 is 85000: w = 1000 − 0.00996·85000 = 153.4 puts LP exactly there.
    expect(liquidationPrice(fx('0.01'), fx('1000'), brackets, { mode: 'isolated', wallet: fx('153.4') })?.price).toBe(fx('85000'));
    expect(
      checkLiquidationDistance({ ...base, margin: { mode: 'isolated', wallet: fx('153.4') }, minDistancePct: fx('15') }),
    ).toBeUndefined();
    const d = checkLiquidationDistance({ ...base, margin: { mode: 'isolated', wallet: fx('153.39') }, minDistancePct: fx('15') });
    expect(d?.code).toBe('NEAR_LIQUIDATION');
    expect(d?.numbers['liquidationPrice']).toBe('85001.00401606');
    expect(d?.numbers['distancePct']).toBe('14.99899598');
    // Off at 0; a short mirrors it (LP above).
    expect(checkLiquidationDistance({ ...base, margin: { mode: 'isolated', wallet: fx('1') }, minDistancePct: 0n })).toBeUndefined();
    const short = checkLiquidationDistance({
      ...base,
      side: 'SELL',
      margin: { mode: 'isolated', wallet: fx('100') },
      minDistancePct: fx('15'),
    });
    expect(short?.numbers['liquidationPrice']).toBe(fixed.format(fixed.divRound(fx('1100') * SCALE, fx('0.01004'), 'halfEven')));
  });

  it('an order that leaves the position no larger always passes, however close liquidation is', () => {
    const position = positionFromEntry(fx('0.01'), fx('100000'));
    const tight = { mode: 'isolated' as const, wallet: fx('10') };
    const closing = {
      symbol: 'BTCUSDT',
      side: 'SELL' as const,
      quantity: fx('0.01'),
      price: fx('100000'),
      position,
      brackets: btcBrackets(),
    };
    expect(checkLiquidationDistance({ ...closing, margin: tight, minDistancePct: fx('50') })).toBeUndefined();
    expect(
      checkLiquidationDistance({ ...closing, side: 'BUY', quantity: fx('0.001'), margin: tight, minDistancePct: fx('50') })?.code,
    ).toBe('NEAR_LIQUIDATION');
  });

  it('reduce-only orders pass under REDUCING; opening ones do not', () => {
    const intent = { reducesPosition: true } as Parameters<typeof checkTradingState>[1];
    expect(checkTradingState('REDUCING', intent)).toBeUndefined();
    expect(checkTradingState('REDUCING', { ...intent, reducesPosition: false })?.code).toBe('TRADING_REDUCING');
  });
});
