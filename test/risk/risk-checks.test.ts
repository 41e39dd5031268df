import { describe, expect, it } from 'vitest';
import { catalogInstrument, fx } from '../../src/domain/index.js';
import {
  checkBalance,
  checkDailyLoss,
  checkFilters,
  checkMarketData,
  checkOpenOrders,
  checkOrderNotional,
  checkPositionNotional,
  checkPriceBand,
  checkSymbol,
  checkTradingState,
  requiredFunds,
} from '../../src/risk/index.js';
import { anIntent } from '../kit/builders.js';

const BTC = catalogInstrument('BTCUSDT')!;

describe('checkTradingState', () => {
  it('ACTIVE allows everything', () => {
    expect(checkTradingState('ACTIVE', anIntent())).toBeUndefined();
  });
  it('REDUCING allows only reducing intents', () => {
    expect(checkTradingState('REDUCING', anIntent({ reducesPosition: true }))).toBeUndefined();
    expect(checkTradingState('REDUCING', anIntent())).toMatchObject({ code: 'TRADING_REDUCING' });
  });
  it('HALTED denies even reducing intents', () => {
    expect(checkTradingState('HALTED', anIntent({ reducesPosition: true }))).toMatchObject({ code: 'TRADING_HALTED' });
  });
});

describe('checkSymbol', () => {
  it('knows a catalogued symbol and names an unknown one', () => {
    expect(checkSymbol(BTC, 'BTCUSDT')).toBeUndefined();
    const d = checkSymbol(undefined, 'FOOUSDT');
    expect(d).toMatchObject({ code: 'UNKNOWN_SYMBOL' });
    expect(d?.message).toContain('FOOUSDT');
  });
});

describe('checkMarketData', () => {
  // The exchange's trade time is years away on purpose: only the arrival (receivedAt) may decide staleness.
  const last = { price: fx('95000'), time: Date.UTC(2020, 0, 1), receivedAt: 10_000 };
  it('passes fresh data and data of any age when staleness is off', () => {
    expect(checkMarketData('BTCUSDT', last, 14_000, 5_000, true)).toBeUndefined();
    expect(checkMarketData('BTCUSDT', last, 15_000, 5_000, true)).toBeUndefined();
    expect(checkMarketData('BTCUSDT', last, 1e9, 0, true)).toBeUndefined();
  });
  it('denies stale data with its age', () => {
    expect(checkMarketData('BTCUSDT', last, 15_001, 5_000, false)).toEqual({
      code: 'STALE_MARKET_DATA',
      message: 'no trade received on BTCUSDT for 5 s (the limit is 5 s): market data may be down',
      numbers: { ageMs: '5001', staleAfterMs: '5000' },
    });
  });
  it('denies no data when a price is needed or staleness is on, else passes', () => {
    expect(checkMarketData('BTCUSDT', undefined, 0, 0, true)).toMatchObject({ code: 'NO_MARKET_DATA' });
    expect(checkMarketData('BTCUSDT', undefined, 0, 5_000, false)).toMatchObject({ code: 'NO_MARKET_DATA' });
    expect(checkMarketData('BTCUSDT', undefined, 0, 0, false)).toBeUndefined();
  });
});

describe('checkFilters', () => {
  it('passes a valid order', () => {
    expect(checkFilters(BTC, anIntent(), fx('95000'), 0)).toBeUndefined();
  });
  it('names the failing filter', () => {
    const lot = checkFilters(BTC, anIntent({ quantity: fx('0.000015') }), fx('95000'), 0);
    expect(lot).toMatchObject({ code: 'FILTER_FAILURE', numbers: { filter: 'LOT_SIZE', quantity: '0.000015' } });
    expect(lot?.message).toContain('LOT_SIZE');
    const tick = checkFilters(BTC, anIntent({ price: fx('95000.005') }), fx('95000'), 0);
    expect(tick).toMatchObject({ numbers: { filter: 'PRICE_FILTER' } });
    const notional = checkFilters(BTC, anIntent({ quantity: fx('0.00001') }), fx('95000'), 0);
    expect(notional).toMatchObject({ numbers: { filter: 'NOTIONAL' } });
  });
  it('uses the last trade as the reference price for PERCENT_PRICE_BY_SIDE and MARKET notional', () => {
    const far = checkFilters(BTC, anIntent({ price: fx('10000') }), fx('95000'), 0);
    expect(far).toMatchObject({ numbers: { filter: 'PERCENT_PRICE_BY_SIDE', referencePrice: '95000' } });
    const market = anIntent({ type: 'MARKET', price: undefined, quantity: fx('0.00002') });
    expect(checkFilters(BTC, market, fx('95000'), 0)).toMatchObject({ numbers: { filter: 'NOTIONAL' } });
    expect(checkFilters(BTC, anIntent({ type: 'MARKET', price: undefined }), fx('95000'), 0)).toBeUndefined();
  });
  it('counts open orders against MAX_NUM_ORDERS', () => {
    expect(checkFilters(BTC, anIntent(), fx('95000'), 199)).toBeUndefined();
    expect(checkFilters(BTC, anIntent(), fx('95000'), 200)).toMatchObject({ numbers: { filter: 'MAX_NUM_ORDERS' } });
  });
});

describe('checkOrderNotional', () => {
  it('allows up to the limit and denies above it with the numbers', () => {
    expect(checkOrderNotional(fx('1000'), fx('1000'), 'USDT')).toBeUndefined();
    expect(checkOrderNotional(fx('1234.5'), fx('1000'), 'USDT')).toEqual({
      code: 'MAX_ORDER_NOTIONAL',
      message: 'order notional 1234.5 USDT exceeds the 1000 USDT limit per order',
      numbers: { notional: '1234.5', limit: '1000' },
    });
  });
  it('is off at zero', () => {
    expect(checkOrderNotional(fx('1000000000'), fx('0'), 'USDT')).toBeUndefined();
  });
});

describe('checkOpenOrders', () => {
  it('allows below both limits', () => {
    expect(checkOpenOrders('BTCUSDT', 4, 9, 5, 10)).toBeUndefined();
    expect(checkOpenOrders('BTCUSDT', 400, 900, 0, 0)).toBeUndefined();
  });
  it('denies at the per-symbol limit', () => {
    expect(checkOpenOrders('BTCUSDT', 5, 5, 5, 10)).toMatchObject({
      code: 'MAX_OPEN_ORDERS_SYMBOL',
      numbers: { open: '5', limit: '5' },
    });
  });
  it('denies at the total limit', () => {
    expect(checkOpenOrders('BTCUSDT', 1, 10, 5, 10)).toMatchObject({
      code: 'MAX_OPEN_ORDERS_TOTAL',
      numbers: { open: '10', limit: '10' },
    });
  });
});

describe('checkPositionNotional', () => {
  const p = fx('100');
  it('allows a position within the limit', () => {
    expect(checkPositionNotional('X', fx('5'), 'BUY', fx('5'), p, fx('1000'), 'USDT')).toBeUndefined();
  });
  it('denies growing past the limit with the numbers', () => {
    expect(checkPositionNotional('X', fx('5'), 'BUY', fx('5.5'), p, fx('1000'), 'USDT')).toEqual({
      code: 'MAX_POSITION_NOTIONAL',
      message: 'position on X would be 10.5 worth 1050 USDT, over the 1000 USDT limit',
      numbers: { position: '5', positionAfter: '10.5', price: '100', notional: '1050', limit: '1000' },
    });
  });
  it('lets reducing orders through even above the limit', () => {
    expect(checkPositionNotional('X', fx('50'), 'SELL', fx('1'), p, fx('1000'), 'USDT')).toBeUndefined();
    expect(checkPositionNotional('X', fx('-50'), 'BUY', fx('1'), p, fx('1000'), 'USDT')).toBeUndefined();
  });
  it('judges a flip by the size it ends at, and shorts the same as longs', () => {
    expect(checkPositionNotional('X', fx('5'), 'SELL', fx('8'), p, fx('1000'), 'USDT')).toBeUndefined();
    expect(checkPositionNotional('X', fx('5'), 'SELL', fx('16'), p, fx('1000'), 'USDT')).toMatchObject({
      numbers: { positionAfter: '-11', notional: '1100' },
    });
  });
  it('is off at zero', () => {
    expect(checkPositionNotional('X', fx('5000'), 'BUY', fx('5000'), p, fx('0'), 'USDT')).toBeUndefined();
  });
});

describe('checkPriceBand', () => {
  it('allows exactly the band on both sides', () => {
    expect(checkPriceBand(fx('105'), fx('100'), fx('5'))).toBeUndefined();
    expect(checkPriceBand(fx('95'), fx('100'), fx('5'))).toBeUndefined();
  });
  it('denies one unit beyond the band with the deviation', () => {
    expect(checkPriceBand(fx('105.00000001'), fx('100'), fx('5'))).toEqual({
      code: 'PRICE_BAND',
      message: 'price 105.00000001 is 5.00000001 % from the last trade 100 (band 5 %)',
      numbers: { price: '105.00000001', last: '100', deviationPct: '5.00000001', bandPct: '5' },
    });
    expect(checkPriceBand(fx('90'), fx('100'), fx('5'))).toMatchObject({ numbers: { deviationPct: '10' } });
  });
  it('is off at zero', () => {
    expect(checkPriceBand(fx('1'), fx('100'), fx('0'))).toBeUndefined();
  });
});

describe('checkBalance', () => {
  it('buys need price × quantity of quote, sells need quantity of base', () => {
    expect(requiredFunds(BTC, 'BUY', fx('0.001'), fx('95000'))).toEqual({ asset: 'USDT', amount: fx('95') });
    expect(requiredFunds(BTC, 'SELL', fx('0.001'), fx('95000'))).toEqual({ asset: 'BTC', amount: fx('0.001') });
  });
  it('allows when free minus reserved covers it', () => {
    expect(checkBalance('USDT', fx('95'), fx('100'), fx('5'))).toBeUndefined();
  });
  it('denies when reservations eat the free balance', () => {
    expect(checkBalance('USDT', fx('95'), fx('100'), fx('5.01'))).toEqual({
      code: 'INSUFFICIENT_BALANCE',
      message: 'needs 95 USDT but only 94.99 USDT is available (free 100, reserved 5.01)',
      numbers: { required: '95', available: '94.99', free: '100', reserved: '5.01' },
    });
  });
});

describe('checkDailyLoss', () => {
  it('allows above −limit and denies at it', () => {
    expect(checkDailyLoss(fx('-99.99'), fx('100'))).toBeUndefined();
    expect(checkDailyLoss(fx('-100'), fx('100'))).toEqual({
      code: 'MAX_DAILY_LOSS',
      message: 'max daily loss: -100 ≤ −100',
      numbers: { pnl: '-100', limit: '100' },
    });
  });
  it('is off at zero', () => {
    expect(checkDailyLoss(fx('-1000000'), fx('0'))).toBeUndefined();
  });
});
