import {
  type FuturesAccount,
  type FuturesAccountUpdate,
  type FuturesExecutionReport,
  type FuturesIncome,
  type FuturesMarginCall,
  type FuturesPositionRisk,
  perpetualSymbol,
} from '../../domain/index.js';
import type { FuturesAccountView, FuturesEvent, FuturesOrderView, IncomeRow, PositionView } from '../../sandbox/futures/index.js';

/**
 * The sandbox's USD-M objects in the port's terms, field for field as BinanceFuturesGateway reads the sandbox's wire
 * frames of the same objects (user-event-mapping.ts, order-mapping.ts, account-mapping.ts): the sandbox writes every
 * figure exactly and the adapter parses it back exactly, so going through strings would change nothing but the cost.
 * Symbols become the bot's perpetual names (`BTCUSDT.P`); ids become digits.
 */

type OrderEvent = Extract<FuturesEvent, { type: 'order' }>;
type AccountEvent = Extract<FuturesEvent, { type: 'account' }>;
type MarginCallEvent = Extract<FuturesEvent, { type: 'marginCall' }>;

/** ORDER_TRADE_UPDATE: no cumQuote (the stream has none); a trade with TRADE and CALCULATED (the liquidation's fill). */
export function streamReport(ev: OrderEvent): FuturesExecutionReport {
  const { order, fill } = ev;
  const isFill = ev.execution === 'TRADE' || ev.execution === 'CALCULATED';
  return {
    ...common(order),
    executionType: ev.execution,
    expireReason: ev.expireReason,
    ...(isFill && {
      trade: {
        tradeId: fill?.tradeId ?? 0,
        price: fill?.price ?? 0n,
        quantity: fill?.quantity ?? 0n,
        commission: fill?.commission ?? 0n,
        commissionAsset: fill?.commissionAsset ?? 'USDT',
        realizedPnl: fill?.realizedPnl ?? 0n,
        isMaker: fill?.isMaker ?? false,
      },
    }),
    time: ev.time,
  };
}

/** An order as the REST answers and queries give it: with cumQuote, at its update time, no execution type. */
export function restReport(order: FuturesOrderView): FuturesExecutionReport {
  return { ...common(order), cumQuote: order.cumQuote, time: order.updateTime };
}

function common(o: FuturesOrderView) {
  return {
    clientOrderId: o.clientOrderId,
    exchangeOrderId: String(o.orderId),
    symbol: perpetualSymbol(o.symbol),
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    status: o.status,
    price: o.price,
    origQty: o.origQty,
    cumQty: o.executedQty,
    avgPrice: o.avgPrice,
    reduceOnly: o.reduceOnly,
    positionSide: o.positionSide,
  };
}

/** ACCOUNT_UPDATE: the balances and only the positions that changed (none for a cross funding settlement). */
export function accountUpdate(ev: AccountEvent): FuturesAccountUpdate {
  return {
    reason: ev.reason,
    time: ev.time,
    balances: ev.balances.map((b) => ({
      asset: b.asset,
      walletBalance: b.walletBalance,
      crossWalletBalance: b.crossWalletBalance,
      balanceChange: b.balanceChange,
    })),
    positions: ev.positions.map((p) => ({
      symbol: perpetualSymbol(p.symbol),
      positionSide: p.positionSide,
      positionAmt: p.positionAmt,
      entryPrice: p.entryPrice,
      breakEvenPrice: p.breakEvenPrice,
      accumulatedRealized: p.accumulatedRealized,
      unrealizedPnl: p.unrealizedProfit,
      marginType: p.marginType,
      isolatedWallet: p.isolatedWallet,
    })),
  };
}

/** MARGIN_CALL; its time is the event's (Binance's frame has only the send time, which in process is the same). */
export function marginCall(ev: MarginCallEvent): FuturesMarginCall {
  return {
    time: ev.time,
    crossWalletBalance: ev.crossWalletBalance,
    positions: ev.positions.map((p) => ({
      symbol: perpetualSymbol(p.symbol),
      positionSide: p.positionSide,
      positionAmt: p.positionAmt,
      marginType: p.marginType,
      isolatedWallet: p.isolatedWallet,
      markPrice: p.markPrice,
      unrealizedPnl: p.unrealizedProfit,
      maintMargin: p.maintMargin,
    })),
  };
}

/** A positionRisk row. */
export function positionRisk(v: PositionView): FuturesPositionRisk {
  return {
    symbol: perpetualSymbol(v.symbol),
    positionSide: v.positionSide,
    positionAmt: v.positionAmt,
    entryPrice: v.entryPrice,
    breakEvenPrice: v.breakEvenPrice,
    markPrice: v.markPrice,
    unrealizedPnl: v.unrealizedProfit,
    liquidationPrice: v.liquidationPrice,
    leverage: v.leverage,
    marginType: v.marginType,
    isolatedWallet: v.isolatedWallet,
    notional: v.notional,
    updateTime: v.updateTime,
  };
}

/** GET account: totals and assets (positions are read from positionRisk, as the adapter does). */
export function futuresAccount(a: FuturesAccountView): FuturesAccount {
  return {
    totalWalletBalance: a.totalWalletBalance,
    totalUnrealizedProfit: a.totalUnrealizedProfit,
    totalMarginBalance: a.totalMarginBalance,
    totalInitialMargin: a.totalInitialMargin,
    totalMaintMargin: a.totalMaintMargin,
    availableBalance: a.availableBalance,
    maxWithdrawAmount: a.maxWithdrawAmount,
    assets: a.assets.map((b) => ({
      asset: b.asset,
      walletBalance: b.walletBalance,
      unrealizedProfit: b.unrealizedProfit,
      marginBalance: b.marginBalance,
      crossWalletBalance: b.crossWalletBalance,
      availableBalance: b.availableBalance,
      maxWithdrawAmount: b.maxWithdrawAmount,
    })),
  };
}

/** An income row: ids as digits, the venue's type kept (the sandbox books only the four types the bot knows). */
export function incomeRow(r: IncomeRow): FuturesIncome {
  return {
    // A row of no symbol (Binance's transfers) keeps its empty name, as the adapter's reader does.
    symbol: r.symbol === '' ? '' : perpetualSymbol(r.symbol),
    incomeType: r.incomeType,
    venueType: r.incomeType,
    income: r.income,
    asset: r.asset,
    info: r.info,
    time: r.time,
    tranId: String(r.tranId),
    ...(r.tradeId !== undefined && { tradeId: String(r.tradeId) }),
  };
}
