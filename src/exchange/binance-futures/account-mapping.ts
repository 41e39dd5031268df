import {
  type Fixed,
  type FuturesAccount,
  type FuturesBalance,
  type FuturesCommissionRates,
  type FuturesIncome,
  type FuturesIncomeType,
  type FuturesPositionRisk,
  type FuturesPremiumIndex,
  type SymbolBrackets,
  parseLeverageBrackets,
  perpetualSymbol,
} from '../../domain/index.js';
import { marginType, positionSide } from './futures-enums.js';
import { Bad, type Mapped, arr, attempt, bool, dec, decOrNumber, id, int, obj, perp, text } from './wire-readers.js';

/** GET /fapi/v1/time: binance-api-node's futuresTime() hands over the number itself (its typings say {serverTime}). */
export function mapFuturesTime(raw: unknown): Mapped<number> {
  return attempt('futures server time', () =>
    int(typeof raw === 'object' && raw !== null && 'serverTime' in raw ? (raw as { serverTime: unknown }).serverTime : raw, 'serverTime'),
  );
}

/** GET /fapi/v2/positionRisk → every BOTH (or LONG/SHORT) row, flat ones included; the gateway filters. */
export function mapPositionRisk(raw: unknown): Mapped<readonly FuturesPositionRisk[]> {
  return attempt('positionRisk', () =>
    arr(raw, 'positionRisk').map((r): FuturesPositionRisk => {
      const p = obj(r, 'position');
      return {
        symbol: perp(p.symbol, 'symbol'),
        positionSide: positionSide(p.positionSide),
        positionAmt: dec(p.positionAmt, 'positionAmt'),
        entryPrice: dec(p.entryPrice, 'entryPrice'),
        breakEvenPrice: dec(p.breakEvenPrice, 'breakEvenPrice'),
        markPrice: dec(p.markPrice, 'markPrice'),
        unrealizedPnl: dec(p.unRealizedProfit, 'unRealizedProfit'),
        liquidationPrice: dec(p.liquidationPrice, 'liquidationPrice'),
        leverage: int(p.leverage, 'leverage'),
        marginType: marginType(p.marginType),
        isolatedWallet: dec(p.isolatedWallet, 'isolatedWallet'),
        notional: dec(p.notional, 'notional'),
        updateTime: int(p.updateTime, 'updateTime'),
      };
    }),
  );
}

function balance(raw: unknown): FuturesBalance {
  const b = obj(raw, 'asset');
  return {
    asset: text(b.asset, 'asset'),
    walletBalance: dec(b.walletBalance, 'walletBalance'),
    unrealizedProfit: dec(b.unrealizedProfit, 'unrealizedProfit'),
    marginBalance: dec(b.marginBalance, 'marginBalance'),
    crossWalletBalance: dec(b.crossWalletBalance, 'crossWalletBalance'),
    availableBalance: dec(b.availableBalance, 'availableBalance'),
    maxWithdrawAmount: dec(b.maxWithdrawAmount, 'maxWithdrawAmount'),
  };
}

/** GET /fapi/v2/account → totals and assets (its positions are read from positionRisk, which has break-even). */
export function mapFuturesAccount(raw: unknown): Mapped<FuturesAccount> {
  return attempt('futures account', () => {
    const a = obj(raw, 'account');
    return {
      totalWalletBalance: dec(a.totalWalletBalance, 'totalWalletBalance'),
      totalUnrealizedProfit: dec(a.totalUnrealizedProfit, 'totalUnrealizedProfit'),
      totalMarginBalance: dec(a.totalMarginBalance, 'totalMarginBalance'),
      totalInitialMargin: dec(a.totalInitialMargin, 'totalInitialMargin'),
      totalMaintMargin: dec(a.totalMaintMargin, 'totalMaintMargin'),
      availableBalance: dec(a.availableBalance, 'availableBalance'),
      maxWithdrawAmount: dec(a.maxWithdrawAmount, 'maxWithdrawAmount'),
      assets: arr(a.assets, 'assets').map(balance),
    };
  });
}

const INCOME_TYPES: ReadonlySet<string> = new Set(['REALIZED_PNL', 'FUNDING_FEE', 'COMMISSION', 'INSURANCE_CLEAR']);

/** GET /fapi/v1/income → rows; tranId and tradeId kept as digits (tradeId is "" on rows that are no trade's). */
export function mapIncome(raw: unknown): Mapped<readonly FuturesIncome[]> {
  return attempt('income', () =>
    arr(raw, 'income').map((r): FuturesIncome => {
      const i = obj(r, 'income row');
      const venueType = text(i.incomeType, 'incomeType');
      const tradeId = i.tradeId === undefined || i.tradeId === '' ? undefined : id(i.tradeId, 'tradeId');
      return {
        symbol: perp(i.symbol, 'symbol'),
        incomeType: INCOME_TYPES.has(venueType) ? (venueType as FuturesIncomeType) : 'OTHER',
        venueType,
        income: dec(i.income, 'income'),
        asset: text(i.asset, 'asset'),
        info: i.info === undefined ? '' : text(i.info, 'info'),
        time: int(i.time, 'time'),
        tranId: id(i.tranId, 'tranId'),
        ...(tradeId !== undefined && { tradeId }),
      };
    }),
  );
}

export function mapCommissionRate(raw: unknown): Mapped<FuturesCommissionRates> {
  return attempt('commissionRate', () => {
    const c = obj(raw, 'commissionRate');
    return {
      symbol: perp(c.symbol, 'symbol'),
      maker: dec(c.makerCommissionRate, 'makerCommissionRate'),
      taker: dec(c.takerCommissionRate, 'takerCommissionRate'),
    };
  });
}

/** GET /fapi/v1/premiumIndex?symbol= → one object (`lastFundingRate` is the rate the coming settlement applies). */
export function mapPremiumIndex(raw: unknown): Mapped<FuturesPremiumIndex> {
  return attempt('premiumIndex', () => {
    const p = obj(raw, 'premiumIndex');
    return {
      symbol: perp(p.symbol, 'symbol'),
      markPrice: dec(p.markPrice, 'markPrice'),
      indexPrice: dec(p.indexPrice, 'indexPrice'),
      fundingRate: dec(p.lastFundingRate, 'lastFundingRate'),
      nextFundingTime: int(p.nextFundingTime, 'nextFundingTime'),
      time: int(p.time, 'time'),
    };
  });
}

/** GET /fapi/v1/fundingInfo → `[{symbol, fundingIntervalHours, adjustedFundingRateCap, …}]`, by the bot's names. */
export function mapFundingIntervals(raw: unknown): Mapped<ReadonlyMap<string, number>> {
  return attempt('fundingInfo', () => {
    const rows = arr(raw, 'fundingInfo').map((r) => obj(r, 'fundingInfo row'));
    return new Map(rows.map((r) => [perp(r.symbol, 'symbol'), int(r.fundingIntervalHours, 'fundingIntervalHours')]));
  });
}

/** POST /fapi/v1/leverage → `{leverage: 21, maxNotionalValue: "1000000"}` (leverage a JSON number). */
export function mapLeverage(raw: unknown): Mapped<{ leverage: number; maxNotionalValue: Fixed }> {
  return attempt('leverage', () => {
    const l = obj(raw, 'leverage');
    return { leverage: int(l.leverage, 'leverage'), maxNotionalValue: decOrNumber(l.maxNotionalValue, 'maxNotionalValue') };
  });
}

/** GET /fapi/v1/positionSide/dual → true in hedge mode. */
export function mapDualSidePosition(raw: unknown): Mapped<boolean> {
  return attempt('positionSide/dual', () => bool(obj(raw, 'positionSide/dual').dualSidePosition, 'dualSidePosition'));
}

/** GET /fapi/v1/leverageBracket → the domain's checked brackets; a malformed tier is refused, never traded on. */
export function mapBrackets(raw: unknown): Mapped<readonly SymbolBrackets[]> {
  return attempt('leverageBracket', () => {
    try {
      return parseLeverageBrackets(raw).map((b) => ({ ...b, symbol: perpetualSymbol(b.symbol) }));
    } catch (e) {
      throw new Bad(e instanceof Error ? e.message : String(e));
    }
  });
}
