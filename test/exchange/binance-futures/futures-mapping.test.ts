import { describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import {
  mapBrackets,
  mapFuturesExchangeInfo,
  mapFuturesTime,
  mapFuturesUserEvent,
  mapIncome,
  mapPositionRisk,
  mapPremiumIndex,
} from '../../../src/exchange/binance-futures/index.js';

/** What json-bigint hands over for an integer above 2^53: an object whose toString keeps the digits. */
const bigNumber = (digits: string) => ({ toFixed: () => digits, toString: () => digits });

describe('futures mapping', () => {
  it('maps a perpetual with tick, step, market lot, min notional (MARKET too), PERCENT_PRICE and max orders; skips delivery', () => {
    const r = mapFuturesExchangeInfo({
      symbols: [
        {
          symbol: 'BTCUSDT',
          contractType: 'PERPETUAL',
          baseAsset: 'BTC',
          quoteAsset: 'USDT',
          filters: [
            { filterType: 'PRICE_FILTER', minPrice: '556.80', maxPrice: '4529764', tickSize: '0.10' },
            { filterType: 'LOT_SIZE', minQty: '0.001', maxQty: '1000', stepSize: '0.001' },
            { filterType: 'MARKET_LOT_SIZE', minQty: '0.001', maxQty: '120', stepSize: '0.001' },
            { filterType: 'MAX_NUM_ORDERS', limit: 200 },
            { filterType: 'MIN_NOTIONAL', notional: '100' },
            { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
            { filterType: 'POSITION_RISK_CONTROL', positionControlSide: 'NONE' },
          ],
        },
        { symbol: 'BTCUSDT_261225', contractType: 'CURRENT_QUARTER', baseAsset: 'BTC', quoteAsset: 'USDT', filters: [] },
      ],
    });
    expect(r).toEqual({
      ok: true,
      value: {
        instruments: [
          {
            symbol: 'BTCUSDT.P',
            baseAsset: 'BTC',
            quoteAsset: 'USDT',
            market: 'usdm',
            filters: {
              priceFilter: { minPrice: fx('556.8'), maxPrice: fx('4529764'), tickSize: fx('0.1') },
              lotSize: { minQty: fx('0.001'), maxQty: fx('1000'), stepSize: fx('0.001') },
              marketLotSize: { minQty: fx('0.001'), maxQty: fx('120'), stepSize: fx('0.001') },
              minNotional: { minNotional: fx('100'), applyToMarket: true },
              percentPriceBySide: {
                bidMultiplierUp: fx('1.05'),
                bidMultiplierDown: fx('0.95'),
                askMultiplierUp: fx('1.05'),
                askMultiplierDown: fx('0.95'),
              },
              maxNumOrders: 200,
            },
          },
        ],
        skipped: [{ symbol: 'BTCUSDT_261225', reason: 'contractType CURRENT_QUARTER is not PERPETUAL' }],
      },
    });
  });

  it('reads futuresTime as the bare number the library returns', () => {
    expect(mapFuturesTime(1_760_000_000_123)).toEqual({ ok: true, value: 1_760_000_000_123 });
  });

  it('reads positionRisk v2: lowercase margin type, leverage as a string, break-even', () => {
    const r = mapPositionRisk([
      {
        symbol: 'BTCUSDT',
        positionSide: 'BOTH',
        positionAmt: '-0.010',
        entryPrice: '50000.0',
        breakEvenPrice: '49975.0',
        markPrice: '49900.00000000',
        unRealizedProfit: '1.00000000',
        liquidationPrice: '54726.46',
        leverage: '10',
        marginType: 'cross',
        isolatedMargin: '0.00000000',
        isolatedWallet: '0',
        notional: '-499.00000000',
        maxNotionalValue: '250000000',
        isAutoAddMargin: 'false',
        updateTime: 1_760_000_000_000,
      },
    ]);
    expect(r).toMatchObject({
      ok: true,
      value: [
        {
          symbol: 'BTCUSDT.P',
          positionAmt: fx('-0.01'),
          breakEvenPrice: fx('49975'),
          leverage: 10,
          marginType: 'CROSSED',
          notional: fx('-499'),
        },
      ],
    });
  });

  it('keeps income ids above 2^53 as digits and sorts income types', () => {
    const r = mapIncome([
      {
        symbol: 'BTCUSDT',
        incomeType: 'FUNDING_FEE',
        income: '-0.05000000',
        asset: 'USDT',
        info: 'FUNDING_FEE',
        time: 1,
        tranId: bigNumber('9689322392'),
        tradeId: '',
      },
      {
        symbol: 'BTCUSDT',
        incomeType: 'COMMISSION',
        income: '-0.01000000',
        asset: 'USDT',
        info: '',
        time: 2,
        tranId: bigNumber('9007199254740993'),
        tradeId: '2059192',
      },
      { symbol: '', incomeType: 'TRANSFER', income: '10', asset: 'USDT', info: 'TRANSFER', time: 3, tranId: 4, tradeId: '' },
    ]);
    expect(r.ok && r.value.map((i) => [i.symbol, i.incomeType, i.tranId, i.tradeId])).toEqual([
      ['BTCUSDT.P', 'FUNDING_FEE', '9689322392', undefined],
      ['BTCUSDT.P', 'COMMISSION', '9007199254740993', '2059192'],
      ['', 'OTHER', '4', undefined],
    ]);
  });

  it('reads a big order id from a frame as digits (no rounding to a double)', () => {
    const r = mapFuturesUserEvent({
      type: 'ORDER_TRADE_UPDATE',
      E: 1,
      T: 1,
      o: {
        s: 'ETHUSDT',
        c: 'tg_1',
        S: 'BUY',
        o: 'LIMIT',
        f: 'GTC',
        q: '1',
        p: '2000',
        ap: '0',
        x: 'NEW',
        X: 'NEW',
        i: bigNumber('8389765512384743573'),
        l: '0',
        z: '0',
        L: '0',
        T: 1,
        t: 0,
        m: false,
        R: false,
        ps: 'BOTH',
        rp: '0',
      },
    });
    expect(r).toMatchObject({ ok: true, value: { type: 'execution', report: { exchangeOrderId: '8389765512384743573' } } });
  });

  it("reads a liquidation's CALCULATED fill as a trade of a LIQUIDATION order, a MARGIN_CALL, and ignores config frames", () => {
    const liquidation = mapFuturesUserEvent({
      type: 'ORDER_TRADE_UPDATE',
      E: 2,
      T: 2,
      o: {
        s: 'BTCUSDT',
        c: 'autoclose-1760000000000',
        S: 'SELL',
        o: 'LIQUIDATION',
        f: 'IOC',
        q: '0.010',
        p: '45000',
        ap: '45010',
        x: 'CALCULATED',
        X: 'FILLED',
        i: 77,
        l: '0.010',
        z: '0.010',
        L: '45010',
        n: '0.22505000',
        N: 'USDT',
        T: 2,
        t: 12,
        m: false,
        R: true,
        ps: 'BOTH',
        rp: '-49.00000000',
      },
    });
    expect(liquidation).toMatchObject({
      ok: true,
      value: { report: { type: 'LIQUIDATION', symbol: 'BTCUSDT.P', executionType: 'CALCULATED', trade: { realizedPnl: fx('-49') } } },
    });
    const call = mapFuturesUserEvent({
      type: 'MARGIN_CALL',
      E: 3,
      cw: '3.16812045',
      p: [{ s: 'ETHUSDT', ps: 'BOTH', pa: '1.327', mt: 'CROSSED', iw: '0', mp: '187.17127', up: '-1.166074', mm: '1.614445' }],
    });
    expect(call).toMatchObject({
      ok: true,
      value: {
        type: 'marginCall',
        call: { crossWalletBalance: fx('3.16812045'), positions: [{ symbol: 'ETHUSDT.P', marginType: 'CROSSED' }] },
      },
    });
    expect(mapFuturesUserEvent({ type: 'ACCOUNT_CONFIG_UPDATE', E: 4, T: 4, ac: { s: 'BTCUSDT', l: 25 } })).toEqual({
      ok: true,
      value: { type: 'ignored', eventType: 'ACCOUNT_CONFIG_UPDATE' },
    });
  });

  it('turns brackets into the domain SymbolBrackets and refuses a broken cum', () => {
    const tiers = [
      { bracket: 1, initialLeverage: 125, notionalCap: 50000, notionalFloor: 0, maintMarginRatio: 0.004, cum: 0 },
      { bracket: 2, initialLeverage: 100, notionalCap: 600000, notionalFloor: 50000, maintMarginRatio: 0.005, cum: 50 },
    ];
    const ok = mapBrackets({ symbol: 'BTCUSDT', brackets: tiers });
    expect(ok.ok && ok.value[0]?.symbol).toBe('BTCUSDT.P');
    expect(ok.ok && ok.value[0]?.brackets.map((b) => b.cum)).toEqual([fx('0'), fx('50')]);
    const bad = mapBrackets([{ symbol: 'BTCUSDT', brackets: [tiers[0], { ...tiers[1], cum: 51 }] }]);
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
  });

  it('reads premiumIndex: the mark and the coming funding', () => {
    expect(
      mapPremiumIndex({
        symbol: 'BTCUSDT',
        markPrice: '50000.00000000',
        indexPrice: '50001.00000000',
        estimatedSettlePrice: '50000.5',
        lastFundingRate: '0.00010000',
        interestRate: '0.00010000',
        nextFundingTime: 1_760_025_600_000,
        time: 1_760_000_000_000,
      }),
    ).toEqual({
      ok: true,
      value: {
        symbol: 'BTCUSDT.P',
        markPrice: fx('50000'),
        indexPrice: fx('50001'),
        fundingRate: fx('0.0001'),
        nextFundingTime: 1_760_025_600_000,
        time: 1_760_000_000_000,
      },
    });
  });
});
