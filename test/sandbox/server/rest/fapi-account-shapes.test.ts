import { describe, expect, it } from 'vitest';
import { fx, parseLeverageBrackets } from '../../../../src/domain/index.js';
import type { FuturesAccountView, FuturesBalanceView, PositionView } from '../../../../src/sandbox/futures/index.js';
import {
  accountConfigJson,
  accountV2Json,
  accountV3Json,
  balanceJson,
  leverageBracketJson,
  positionRiskV2Json,
  positionRiskV3Json,
  symbolConfigJson,
} from '../../../../src/sandbox/server/rest/fapi-account-shapes.js';

const BTC = { price: 2, quantity: 3, quote: 5 };
const T = 1_700_000_000_000;

/** The live cross one-way long of the facts file (D.2, D.4): pa 0.009, ep 67445.9, mark 67502.68519858. */
const long: PositionView = {
  symbol: 'BTCUSDT',
  positionSide: 'BOTH',
  positionAmt: fx('0.009'),
  entryPrice: fx('67445.9'),
  breakEvenPrice: fx('67472.8783'),
  markPrice: fx('67502.68519858'),
  unrealizedProfit: fx('0.51106678'),
  liquidationPrice: fx('64846.98753793'),
  leverage: 80,
  marginType: 'CROSSED',
  isolatedMargin: 0n,
  isolatedWallet: 0n,
  notional: fx('607.52416678'),
  maxNotionalValue: fx('50000'),
  initialMargin: fx('7.59405208'),
  maintMargin: fx('2.43009666'),
  positionInitialMargin: fx('7.59405208'),
  openOrderInitialMargin: 0n,
  bidNotional: 0n,
  askNotional: fx('100.5'),
  accumulatedRealized: 0n,
  updateTime: T,
};

const usdt: FuturesBalanceView = {
  asset: 'USDT',
  walletBalance: fx('25.72470371'),
  crossWalletBalance: fx('25.72470371'),
  crossUnPnl: fx('0.51106678'),
  unrealizedProfit: fx('0.51106678'),
  marginBalance: fx('26.23577049'),
  initialMargin: fx('7.59405208'),
  maintMargin: fx('2.43009666'),
  positionInitialMargin: fx('7.59405208'),
  openOrderInitialMargin: 0n,
  availableBalance: fx('18.64171841'),
  maxWithdrawAmount: fx('18.13065163'),
  updateTime: T,
};

const account: FuturesAccountView = {
  totalWalletBalance: usdt.walletBalance,
  totalUnrealizedProfit: usdt.unrealizedProfit,
  totalMarginBalance: usdt.marginBalance,
  totalInitialMargin: usdt.initialMargin,
  totalMaintMargin: usdt.maintMargin,
  totalPositionInitialMargin: usdt.positionInitialMargin,
  totalOpenOrderInitialMargin: 0n,
  totalCrossWalletBalance: usdt.crossWalletBalance,
  totalCrossUnPnl: usdt.crossUnPnl,
  availableBalance: usdt.availableBalance,
  maxWithdrawAmount: usdt.maxWithdrawAmount,
  assets: [usdt],
  positions: [long],
};

const flatEth: PositionView = {
  ...long,
  symbol: 'ETHUSDT',
  positionAmt: 0n,
  entryPrice: 0n,
  breakEvenPrice: 0n,
  unrealizedProfit: 0n,
  liquidationPrice: 0n,
  leverage: 20,
  marginType: 'ISOLATED',
  notional: 0n,
  askNotional: 0n,
};

describe('USD-M account shapes', () => {
  it('writes positionRisk v2 with lowercase margin type, string leverage and 8-place figures', () => {
    expect(positionRiskV2Json(long, BTC)).toEqual({
      entryPrice: '67445.90000000',
      breakEvenPrice: '67472.87830000',
      marginType: 'cross',
      isAutoAddMargin: 'false',
      isolatedMargin: '0.00000000',
      leverage: '80',
      liquidationPrice: '64846.98753793',
      markPrice: '67502.68519858',
      maxNotionalValue: '50000',
      positionAmt: '0.009',
      notional: '607.52416678',
      isolatedWallet: '0.00000000',
      symbol: 'BTCUSDT',
      unRealizedProfit: '0.51106678',
      positionSide: 'BOTH',
      updateTime: T,
    });
    expect(positionRiskV2Json(flatEth, { price: 2, quantity: 4, quote: 6 })).toMatchObject({
      marginType: 'isolated',
      positionAmt: '0.0000',
      leverage: '20',
    });
  });

  it('writes positionRisk v3 without leverage or margin type, with notionals and the margin asset', () => {
    const row = positionRiskV3Json(long, BTC, 'USDT');
    expect(row).toMatchObject({
      symbol: 'BTCUSDT',
      positionAmt: '0.009',
      marginAsset: 'USDT',
      initialMargin: '7.59405208',
      maintMargin: '2.43009666',
      adl: 0,
      bidNotional: '0.00000000',
      askNotional: '100.50000000',
    });
    expect(row).not.toHaveProperty('leverage');
    expect(row).not.toHaveProperty('marginType');
  });

  it('writes balances and both account versions', () => {
    expect(balanceJson(usdt)).toEqual({
      accountAlias: 'sandbox',
      asset: 'USDT',
      balance: '25.72470371',
      crossWalletBalance: '25.72470371',
      crossUnPnl: '0.51106678',
      availableBalance: '18.64171841',
      maxWithdrawAmount: '18.13065163',
      marginAvailable: true,
      updateTime: T,
    });
    const v2 = accountV2Json(account, [long, flatEth], () => BTC) as Record<string, unknown> & { positions: Record<string, unknown>[] };
    expect(v2).toMatchObject({
      feeTier: 0,
      canTrade: true,
      canDeposit: true,
      canWithdraw: true,
      multiAssetsMargin: false,
      tradeGroupId: -1,
    });
    expect(v2).toMatchObject({ totalWalletBalance: '25.72470371', totalMaintMargin: '2.43009666', availableBalance: '18.64171841' });
    expect(v2.positions.map((p) => [p.symbol, p.leverage, p.isolated, p.maxNotional])).toEqual([
      ['BTCUSDT', '80', false, '50000'],
      ['ETHUSDT', '20', true, '50000'],
    ]);
    const v3 = accountV3Json(account, () => BTC) as Record<string, unknown> & { positions: Record<string, unknown>[] };
    expect(v3).not.toHaveProperty('canTrade');
    expect(v3.positions).toEqual([
      {
        symbol: 'BTCUSDT',
        positionSide: 'BOTH',
        positionAmt: '0.009',
        unrealizedProfit: '0.51106678',
        isolatedMargin: '0.00000000',
        notional: '607.52416678',
        isolatedWallet: '0.00000000',
        initialMargin: '7.59405208',
        maintMargin: '2.43009666',
        updateTime: T,
      },
    ]);
  });

  it('writes symbolConfig, accountConfig and leverage brackets as Binance types them', () => {
    expect(
      symbolConfigJson({ symbol: 'BTCUSDT', marginType: 'CROSSED', isAutoAddMargin: false, leverage: 21, maxNotionalValue: fx('1000000') }),
    ).toEqual({
      symbol: 'BTCUSDT',
      marginType: 'CROSSED',
      isAutoAddMargin: 'false',
      leverage: 21,
      maxNotionalValue: '1000000',
    });
    expect(accountConfigJson(false)).toEqual({
      feeTier: 0,
      canTrade: true,
      canDeposit: true,
      canWithdraw: true,
      dualSidePosition: false,
      updateTime: 0,
      multiAssetsMargin: false,
      tradeGroupId: -1,
    });
    const sent = {
      symbol: 'ETHUSDT',
      brackets: [
        { bracket: 1, initialLeverage: 125, notionalCap: 10000, notionalFloor: 0, maintMarginRatio: 0.0065, cum: 0 },
        { bracket: 2, initialLeverage: 100, notionalCap: 100000, notionalFloor: 10000, maintMarginRatio: 0.0075, cum: 10 },
      ],
    };
    const [eth] = parseLeverageBrackets(sent);
    expect(leverageBracketJson(eth as NonNullable<typeof eth>)).toEqual(sent);
  });
});
