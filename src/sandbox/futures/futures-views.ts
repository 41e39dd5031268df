import { type Fixed, ZERO, breakEvenPrice, liquidationPrice, positionNotional } from '../../domain/index.js';
import { type PositionFigures, type SymbolState, maxNotionalFor } from './futures-figures.js';
import { type FuturesOrder, orderView } from './futures-order.js';
import type { FuturesBalanceView, FuturesEvent, FuturesExecutionType, FuturesFill, PositionView } from './types.js';

/** The account's one margin asset: every symbol is a USDT-margined perpetual. */
export const MARGIN_ASSET = 'USDT';

/** Account-wide cross sums at the current marks (open-order margin of every symbol, isolated ones included). */
export interface CrossTotals {
  unrealized: Fixed;
  positionInitialMargin: Fixed;
  maintenance: Fixed;
  openOrderMargin: Fixed;
  positions: number;
}

/** The cross sums plus the isolated positions' wallets, uPnL and margins, and the available balance. */
export interface AccountTotals extends CrossTotals {
  readonly isolatedWallet: Fixed;
  readonly isolatedUnrealized: Fixed;
  readonly isolatedIm: Fixed;
  readonly isolatedMm: Fixed;
  readonly available: Fixed;
}

type FiguresOf = (s: SymbolState) => PositionFigures;

export function crossTotals(symbols: Iterable<SymbolState>, figures: FiguresOf): CrossTotals {
  const t: CrossTotals = { unrealized: ZERO, positionInitialMargin: ZERO, maintenance: ZERO, openOrderMargin: ZERO, positions: 0 };
  for (const s of symbols) {
    if (s.position.amount === ZERO && s.book.count() === 0) continue;
    const f = figures(s);
    t.openOrderMargin += f.openOrderMargin;
    if (s.marginType !== 'CROSSED' || s.position.amount === ZERO) continue;
    t.unrealized += f.unrealized;
    t.positionInitialMargin += f.positionInitialMargin;
    t.maintenance += f.maintenance;
    t.positions++;
  }
  return t;
}

export function accountTotals(symbols: readonly SymbolState[], crossWallet: Fixed, figures: FiguresOf): AccountTotals {
  const cross = crossTotals(symbols, figures);
  let isolatedWallet = ZERO;
  let isolatedUnrealized = ZERO;
  let isolatedIm = ZERO;
  let isolatedMm = ZERO;
  for (const s of symbols) {
    if (s.marginType !== 'ISOLATED' || s.position.amount === ZERO) continue;
    const f = figures(s);
    isolatedWallet += s.isolatedWallet;
    isolatedUnrealized += f.unrealized;
    isolatedIm += f.positionInitialMargin;
    isolatedMm += f.maintenance;
  }
  // Available = cross wallet + cross uPnL − cross positions' initial margin − every open order's margin (README).
  const available = crossWallet + cross.unrealized - cross.positionInitialMargin - cross.openOrderMargin;
  return { ...cross, isolatedWallet, isolatedUnrealized, isolatedIm, isolatedMm, available };
}

export function balanceView(crossWallet: Fixed, t: AccountTotals, updateTime: number): FuturesBalanceView {
  const wallet = crossWallet + t.isolatedWallet;
  const unrealized = t.unrealized + t.isolatedUnrealized;
  const positionIm = t.positionInitialMargin + t.isolatedIm;
  // Withdrawable: the available balance without unrealized profit (losses still count), never below zero.
  const withdrawable = crossWallet + (t.unrealized < ZERO ? t.unrealized : ZERO) - t.positionInitialMargin - t.openOrderMargin;
  const maxWithdraw = withdrawable < t.available ? withdrawable : t.available;
  return {
    asset: MARGIN_ASSET,
    walletBalance: wallet,
    crossWalletBalance: crossWallet,
    crossUnPnl: t.unrealized,
    unrealizedProfit: unrealized,
    marginBalance: wallet + unrealized,
    initialMargin: positionIm + t.openOrderMargin,
    maintMargin: t.maintenance + t.isolatedMm,
    positionInitialMargin: positionIm,
    openOrderInitialMargin: t.openOrderMargin,
    availableBalance: t.available,
    maxWithdrawAmount: maxWithdraw > ZERO ? maxWithdraw : ZERO,
    updateTime,
  };
}

/** The domain's liquidation price: cross against the cross wallet and the other cross positions, isolated its own wallet. */
export function liquidationPriceOf(s: SymbolState, f: PositionFigures, crossWallet: Fixed, cross: CrossTotals): Fixed | undefined {
  const amount = s.position.amount;
  if (amount === ZERO) return undefined;
  const margin =
    s.marginType === 'ISOLATED'
      ? { mode: 'isolated' as const, wallet: s.isolatedWallet }
      : {
          mode: 'cross' as const,
          wallet: crossWallet,
          otherMaintenance: cross.maintenance - f.maintenance,
          otherUnrealizedPnl: cross.unrealized - f.unrealized,
        };
  return liquidationPrice(amount, s.position.entryNotional, s.brackets, margin)?.price;
}

export function positionView(s: SymbolState, f: PositionFigures, crossWallet: Fixed, cross: CrossTotals): PositionView {
  const amount = s.position.amount;
  const isolated = s.marginType === 'ISOLATED';
  const notional = positionNotional(amount, f.mark);
  return {
    symbol: s.symbol,
    positionSide: 'BOTH',
    positionAmt: amount,
    entryPrice: s.position.entryPrice,
    breakEvenPrice: breakEvenPrice(s.position),
    markPrice: f.mark,
    unrealizedProfit: f.unrealized,
    liquidationPrice: liquidationPriceOf(s, f, crossWallet, cross) ?? ZERO,
    leverage: s.leverage,
    marginType: s.marginType,
    isolatedMargin: isolated ? s.isolatedWallet + f.unrealized : ZERO,
    isolatedWallet: isolated ? s.isolatedWallet : ZERO,
    notional: amount < ZERO ? -notional : notional,
    maxNotionalValue: maxNotionalFor(s.brackets, s.leverage),
    initialMargin: f.positionInitialMargin + f.openOrderMargin,
    maintMargin: f.maintenance,
    positionInitialMargin: f.positionInitialMargin,
    openOrderInitialMargin: f.openOrderMargin,
    bidNotional: s.book.notional('BUY'),
    askNotional: s.book.notional('SELL'),
    accumulatedRealized: s.accumulatedRealized,
    updateTime: s.updateTime,
  };
}

/** An ORDER_TRADE_UPDATE fact, with the symbol's resting notional after it (`b`/`a`). */
export function orderEvent(
  s: SymbolState,
  o: FuturesOrder,
  execution: FuturesExecutionType,
  time: number,
  expireReason: number,
  fill?: FuturesFill,
): FuturesEvent {
  const e = {
    type: 'order' as const,
    time,
    execution,
    order: orderView(o),
    expireReason,
    bidNotional: s.book.notional('BUY'),
    askNotional: s.book.notional('SELL'),
  };
  return fill === undefined ? e : { ...e, fill };
}
