import { describe, expect, it } from 'vitest';
import { fx } from '../../../../src/domain/index.js';
import type { FuturesOrderView, FuturesTrade, IncomeRow } from '../../../../src/sandbox/futures/index.js';
import { acceptedView, futuresOrderJson, futuresTradeJson, incomeJson } from '../../../../src/sandbox/server/rest/fapi-order-shapes.js';
import { padded } from '../../../../src/sandbox/server/rest/fapi-shapes.js';

/** BTCUSDT as Binance's capture shows it: pricePrecision 2, quantityPrecision 3. */
const BTC = { price: 2, quantity: 3, quote: 5 };

const resting: FuturesOrderView = {
  orderId: 4087922044,
  clientOrderId: 'x-cvBPrNm9abc',
  symbol: 'BTCUSDT',
  side: 'SELL',
  positionSide: 'BOTH',
  type: 'LIMIT',
  origType: 'LIMIT',
  timeInForce: 'GTC',
  price: fx('110001'),
  avgPrice: 0n,
  origQty: fx('0.2'),
  executedQty: 0n,
  cumQuote: 0n,
  status: 'NEW',
  reduceOnly: false,
  time: 1_700_000_000_000,
  updateTime: 1_700_000_000_000,
};

describe('USD-M order shapes', () => {
  it('pads to the precision and never cuts a finer value', () => {
    expect(padded(fx('110001'), 2)).toBe('110001.00');
    expect(padded(fx('0.2'), 3)).toBe('0.200');
    expect(padded(0n, 5)).toBe('0.00000');
    expect(padded(fx('10913.213456'), 5)).toBe('10913.213456');
    expect(padded(fx('-1.5'), 3)).toBe('-1.500');
    expect(padded(fx('7'), 0)).toBe('7');
  });

  it('writes a placed order as the real capture in the facts file (A.3)', () => {
    expect(JSON.stringify(futuresOrderJson(resting, BTC, 'placed'))).toBe(
      JSON.stringify({
        orderId: 4087922044,
        symbol: 'BTCUSDT',
        status: 'NEW',
        clientOrderId: 'x-cvBPrNm9abc',
        price: '110001.00',
        avgPrice: '0.00',
        origQty: '0.200',
        executedQty: '0.000',
        cumQty: '0.000',
        cumQuote: '0.00000',
        timeInForce: 'GTC',
        type: 'LIMIT',
        reduceOnly: false,
        closePosition: false,
        side: 'SELL',
        positionSide: 'BOTH',
        stopPrice: '0.00',
        workingType: 'CONTRACT_PRICE',
        priceProtect: false,
        origType: 'LIMIT',
        priceMatch: 'NONE',
        selfTradePreventionMode: 'NONE',
        goodTillDate: 0,
        updateTime: 1_700_000_000_000,
      }),
    );
  });

  it('writes a queried filled order with time, no cumQty, and the average at quote precision', () => {
    const filled: FuturesOrderView = {
      ...resting,
      type: 'MARKET',
      origType: 'MARKET',
      price: 0n,
      status: 'FILLED',
      executedQty: fx('0.001'),
      cumQuote: fx('10.91321'),
      avgPrice: fx('10913.21'),
      reduceOnly: true,
      updateTime: resting.time + 5,
    };
    const json = futuresOrderJson(filled, BTC, 'queried') as Record<string, unknown>;
    expect(json).toMatchObject({
      price: '0.00',
      avgPrice: '10913.21000',
      executedQty: '0.001',
      cumQuote: '10.91321',
      reduceOnly: true,
      type: 'MARKET',
      time: resting.time,
      updateTime: resting.time + 5,
    });
    expect(json).not.toHaveProperty('cumQty');
    expect(Object.keys(json).slice(-2)).toEqual(['time', 'updateTime']);
  });

  it('answers ACK with the order as accepted: NEW, nothing executed', () => {
    const filled = {
      ...resting,
      status: 'FILLED' as const,
      executedQty: fx('0.2'),
      cumQuote: fx('22000.2'),
      avgPrice: fx('110001'),
      updateTime: resting.time + 9,
    };
    expect(acceptedView(filled)).toEqual({ ...resting });
  });

  it('writes a userTrades row with a positive commission, pre-fee realized PnL and the margin asset', () => {
    const t: FuturesTrade = {
      tradeId: 698759,
      orderId: 25851813,
      symbol: 'BTCUSDT',
      side: 'SELL',
      positionSide: 'BOTH',
      price: fx('7819.01'),
      quantity: fx('0.002'),
      commission: fx('0.0781901'),
      commissionAsset: 'USDT',
      realizedPnl: fx('-0.91539999'),
      isMaker: false,
      time: 1569514978020,
    };
    expect(futuresTradeJson(t, BTC, 'USDT')).toEqual({
      buyer: false,
      commission: '0.07819010',
      commissionAsset: 'USDT',
      id: 698759,
      maker: false,
      orderId: 25851813,
      price: '7819.01',
      qty: '0.002',
      quoteQty: '15.63802',
      realizedPnl: '-0.91539999',
      marginAsset: 'USDT',
      side: 'SELL',
      positionSide: 'BOTH',
      symbol: 'BTCUSDT',
      time: 1569514978020,
    });
  });

  it('writes income rows with a numeric tranId and a string tradeId, "" without a trade', () => {
    const commission: IncomeRow = {
      symbol: 'BTCUSDT',
      incomeType: 'COMMISSION',
      income: fx('-0.01'),
      asset: 'USDT',
      info: 'COMMISSION',
      time: 1570636800000,
      tranId: 9689322392,
      tradeId: 2059192,
    };
    expect(incomeJson(commission)).toEqual({
      symbol: 'BTCUSDT',
      incomeType: 'COMMISSION',
      income: '-0.01000000',
      asset: 'USDT',
      info: 'COMMISSION',
      time: 1570636800000,
      tranId: 9689322392,
      tradeId: '2059192',
    });
    const funding: IncomeRow = { ...commission, incomeType: 'FUNDING_FEE', info: 'FUNDING_FEE', income: fx('0.0123'), tradeId: undefined };
    expect(incomeJson(funding)).toMatchObject({ incomeType: 'FUNDING_FEE', income: '0.01230000', tradeId: '' });
  });
});
