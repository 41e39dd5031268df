import { type Fixed, type LeverageBracket, type SymbolBrackets, format } from '../../../domain/index.js';
import type { FuturesAccountView, FuturesBalanceView, MarginType, PositionView, SymbolConfigView } from '../../futures/index.js';
import { d8 } from './binance-shapes.js';
import { type FuturesPrecision, padded } from './fapi-shapes.js';

/**
 * USD-M account, balance and position answers in Binance's field names and key order (PROTOCOLS-FUTURES A.4). Every
 * money figure is a string at 8 places (balances, margins, PnL, mark, entry, break-even and liquidation prices: the
 * engine keeps them truncated to 8, and live positionRisk shows e.g. "67502.68519858"); a position amount is at the
 * symbol's quantityPrecision; caps (maxNotionalValue) trimmed ("1000000") as the docs write them. Leverage is a
 * number except in positionRisk v2 and account v2 positions, where Binance sends a string.
 */

/** The sandbox's one futures account's alias (Binance shows a short random tag such as "SgsR"). */
const ACCOUNT_ALIAS = 'sandbox';

/** positionRisk v2 and ACCOUNT_UPDATE spell margin types in lowercase, and CROSSED as "cross" (A.4's case trap). */
function lowerMarginType(m: MarginType): 'isolated' | 'cross' {
  return m === 'ISOLATED' ? 'isolated' : 'cross';
}

function cap(v: Fixed): string {
  return format(v);
}

/** GET /fapi/v2/balance and /fapi/v3/balance rows. */
export function balanceJson(b: FuturesBalanceView): object {
  return {
    accountAlias: ACCOUNT_ALIAS,
    asset: b.asset,
    balance: d8(b.walletBalance),
    crossWalletBalance: d8(b.crossWalletBalance),
    crossUnPnl: d8(b.crossUnPnl),
    availableBalance: d8(b.availableBalance),
    maxWithdrawAmount: d8(b.maxWithdrawAmount),
    marginAvailable: true,
    updateTime: b.updateTime,
  };
}

/** One `assets[]` entry of GET /fapi/v2|v3/account. */
function accountAssetJson(b: FuturesBalanceView): object {
  return {
    asset: b.asset,
    walletBalance: d8(b.walletBalance),
    unrealizedProfit: d8(b.unrealizedProfit),
    marginBalance: d8(b.marginBalance),
    maintMargin: d8(b.maintMargin),
    initialMargin: d8(b.initialMargin),
    positionInitialMargin: d8(b.positionInitialMargin),
    openOrderInitialMargin: d8(b.openOrderInitialMargin),
    crossWalletBalance: d8(b.crossWalletBalance),
    crossUnPnl: d8(b.crossUnPnl),
    availableBalance: d8(b.availableBalance),
    maxWithdrawAmount: d8(b.maxWithdrawAmount),
    marginAvailable: true,
    updateTime: b.updateTime,
  };
}

function totalsJson(a: FuturesAccountView): object {
  return {
    totalInitialMargin: d8(a.totalInitialMargin),
    totalMaintMargin: d8(a.totalMaintMargin),
    totalWalletBalance: d8(a.totalWalletBalance),
    totalUnrealizedProfit: d8(a.totalUnrealizedProfit),
    totalMarginBalance: d8(a.totalMarginBalance),
    totalPositionInitialMargin: d8(a.totalPositionInitialMargin),
    totalOpenOrderInitialMargin: d8(a.totalOpenOrderInitialMargin),
    totalCrossWalletBalance: d8(a.totalCrossWalletBalance),
    totalCrossUnPnl: d8(a.totalCrossUnPnl),
    availableBalance: d8(a.availableBalance),
    maxWithdrawAmount: d8(a.maxWithdrawAmount),
  };
}

/** A regular-tier account that may trade (v2 account's leading fields). */
const ACCOUNT_FLAGS = { feeTier: 0, canTrade: true, canDeposit: true, canWithdraw: true } as const;
const ACCOUNT_TAIL = { updateTime: 0, multiAssetsMargin: false, tradeGroupId: -1 } as const;

/** GET /fapi/v1/accountConfig. */
export function accountConfigJson(dualSidePosition: boolean): object {
  return { ...ACCOUNT_FLAGS, dualSidePosition, ...ACCOUNT_TAIL };
}

/**
 * GET /fapi/v2/account: the flags, totals, assets and one position per symbol (every symbol, as positionRisk v2), with
 * leverage as a string and `isolated` as a boolean.
 */
export function accountV2Json(a: FuturesAccountView, every: readonly PositionView[], p: (symbol: string) => FuturesPrecision): object {
  return {
    ...ACCOUNT_FLAGS,
    ...ACCOUNT_TAIL,
    ...totalsJson(a),
    assets: a.assets.map(accountAssetJson),
    positions: every.map((v) => ({
      symbol: v.symbol,
      initialMargin: d8(v.initialMargin),
      maintMargin: d8(v.maintMargin),
      unrealizedProfit: d8(v.unrealizedProfit),
      positionInitialMargin: d8(v.positionInitialMargin),
      openOrderInitialMargin: d8(v.openOrderInitialMargin),
      leverage: String(v.leverage),
      isolated: v.marginType === 'ISOLATED',
      entryPrice: d8(v.entryPrice),
      breakEvenPrice: d8(v.breakEvenPrice),
      maxNotional: cap(v.maxNotionalValue),
      bidNotional: d8(v.bidNotional),
      askNotional: d8(v.askNotional),
      positionSide: v.positionSide,
      positionAmt: padded(v.positionAmt, p(v.symbol).quantity),
      updateTime: v.updateTime,
    })),
  };
}

/** GET /fapi/v3/account: totals, assets, and only the active symbols' positions (no leverage or margin type). */
export function accountV3Json(a: FuturesAccountView, p: (symbol: string) => FuturesPrecision): object {
  return {
    ...totalsJson(a),
    assets: a.assets.map(accountAssetJson),
    positions: a.positions.map((v) => ({
      symbol: v.symbol,
      positionSide: v.positionSide,
      positionAmt: padded(v.positionAmt, p(v.symbol).quantity),
      unrealizedProfit: d8(v.unrealizedProfit),
      isolatedMargin: d8(v.isolatedMargin),
      notional: d8(v.notional),
      isolatedWallet: d8(v.isolatedWallet),
      initialMargin: d8(v.initialMargin),
      maintMargin: d8(v.maintMargin),
      updateTime: v.updateTime,
    })),
  };
}

/** A GET /fapi/v2/positionRisk row: marginType lowercase, leverage and isAutoAddMargin strings. */
export function positionRiskV2Json(v: PositionView, p: FuturesPrecision): object {
  return {
    entryPrice: d8(v.entryPrice),
    breakEvenPrice: d8(v.breakEvenPrice),
    marginType: lowerMarginType(v.marginType),
    isAutoAddMargin: 'false',
    isolatedMargin: d8(v.isolatedMargin),
    leverage: String(v.leverage),
    liquidationPrice: d8(v.liquidationPrice),
    markPrice: d8(v.markPrice),
    maxNotionalValue: cap(v.maxNotionalValue),
    positionAmt: padded(v.positionAmt, p.quantity),
    notional: d8(v.notional),
    isolatedWallet: d8(v.isolatedWallet),
    symbol: v.symbol,
    unRealizedProfit: d8(v.unrealizedProfit),
    positionSide: v.positionSide,
    updateTime: v.updateTime,
  };
}

/**
 * A GET /fapi/v3/positionRisk row: no leverage or margin type (symbolConfig has them). `adl` is 0: the sandbox has no
 * auto-deleveraging queue to rank the position in.
 */
export function positionRiskV3Json(v: PositionView, p: FuturesPrecision, marginAsset: string): object {
  return {
    symbol: v.symbol,
    positionSide: v.positionSide,
    positionAmt: padded(v.positionAmt, p.quantity),
    entryPrice: d8(v.entryPrice),
    breakEvenPrice: d8(v.breakEvenPrice),
    markPrice: d8(v.markPrice),
    unRealizedProfit: d8(v.unrealizedProfit),
    liquidationPrice: d8(v.liquidationPrice),
    isolatedMargin: d8(v.isolatedMargin),
    notional: d8(v.notional),
    marginAsset,
    isolatedWallet: d8(v.isolatedWallet),
    initialMargin: d8(v.initialMargin),
    maintMargin: d8(v.maintMargin),
    positionInitialMargin: d8(v.positionInitialMargin),
    openOrderInitialMargin: d8(v.openOrderInitialMargin),
    adl: 0,
    bidNotional: d8(v.bidNotional),
    askNotional: d8(v.askNotional),
    updateTime: v.updateTime,
  };
}

/** A GET /fapi/v1/symbolConfig row; `isAutoAddMargin` is the string "false" as the docs write it. */
export function symbolConfigJson(c: SymbolConfigView): object {
  return {
    symbol: c.symbol,
    marginType: c.marginType,
    isAutoAddMargin: 'false',
    leverage: c.leverage,
    maxNotionalValue: cap(c.maxNotionalValue),
  };
}

/**
 * A leverageBracket entry: every value a JSON number, as Binance sends them (A.4). Each Fixed prints as its shortest
 * decimal and reads back as the nearest double, so a client parsing "0.0065" gets what Binance's 0.0065 gives.
 */
export function leverageBracketJson(s: SymbolBrackets): object {
  const n = (v: Fixed): number => Number(format(v));
  return {
    symbol: s.symbol,
    brackets: s.brackets.map((b: LeverageBracket) => ({
      bracket: b.bracket,
      initialLeverage: b.initialLeverage,
      notionalCap: n(b.notionalCap),
      notionalFloor: n(b.notionalFloor),
      maintMarginRatio: n(b.maintMarginRatio),
      cum: n(b.cum),
    })),
  };
}
