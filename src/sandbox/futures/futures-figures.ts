import {
  type Fixed,
  type FuturesPosition,
  type LeverageBracket,
  SCALE,
  type Side,
  type SymbolBrackets,
  ZERO,
  fixed,
  initialMargin,
  maintenanceMargin,
  unrealizedPnl,
} from '../../domain/index.js';
import type { FuturesBook, FuturesOrder } from './futures-order.js';
import type { MarginType } from './types.js';

/** One symbol's account state; the engine owns and mutates it, the figures below only read it. */
export interface SymbolState {
  readonly symbol: string;
  readonly brackets: SymbolBrackets;
  readonly book: FuturesBook;
  leverage: number;
  marginType: MarginType;
  position: FuturesPosition;
  /** Isolated only: the position's own wallet, funded from the cross wallet (README "Isolated margin"). */
  isolatedWallet: Fixed;
  /** Pre-fee realized PnL of this symbol since the account began (ACCOUNT_UPDATE `cr`). */
  accumulatedRealized: Fixed;
  updateTime: number;
  /** A MARGIN_CALL was sent for this isolated position and the ratio has not fallen back under the threshold. */
  marginCalled: boolean;
  /** countdownCancelAll's deadline (ms); 0 when disarmed. */
  countdownDeadline: number;
  /** The next funding settlement this symbol owes (ms). */
  nextFunding: number;
}

/** A position's figures at one mark, each by the domain's formula (truncated as Binance shows them). */
export interface PositionFigures {
  readonly mark: Fixed;
  readonly unrealized: Fixed;
  readonly positionInitialMargin: Fixed;
  readonly maintenance: Fixed;
  readonly openOrderMargin: Fixed;
}

export function positionFigures(s: SymbolState, mark: Fixed): PositionFigures {
  const amount = s.position.amount;
  return {
    mark,
    unrealized: amount === ZERO ? ZERO : unrealizedPnl(amount, s.position.entryPrice, mark),
    positionInitialMargin: amount === ZERO ? ZERO : initialMargin(amount, mark, s.leverage),
    maintenance: amount === ZERO ? ZERO : maintenanceMargin(amount, mark, s.brackets).margin,
    openOrderMargin: openOrderMargin(s, mark),
  };
}

/**
 * What one order costs in margin (UNVERIFIED as an expression, PROTOCOLS-FUTURES D.3): for the part that opens or
 * increases the position, notional at the order's price / leverage plus the open loss qty·max(0, dir·(price − mark));
 * nothing for the part that reduces the position. At 10¹⁶·leverage scale, so a sum is divided (rounded up) once.
 */
function openingCost(side: Side, opening: Fixed, price: Fixed, mark: Fixed, leverage: bigint): bigint {
  const dir = side === 'BUY' ? 1n : -1n;
  const loss = dir * (price - mark);
  return opening * price + (loss > ZERO ? opening * loss * leverage : ZERO);
}

/**
 * The symbol's openOrderInitialMargin: each side's resting orders, oldest first, use up the position they can reduce
 * (a sell against a long, a buy against a short) and pay openingCost for the rest; both sides are summed (chosen:
 * conservative; README "Margin"). `extra` is a candidate order placed after every resting one. Rounded up once.
 */
export function openOrderMargin(s: SymbolState, mark: Fixed, extra?: { side: Side; qty: Fixed; price: Fixed }): Fixed {
  if (s.book.count() === 0 && extra === undefined) return ZERO;
  const lev = BigInt(s.leverage);
  const amount = s.position.amount;
  let sum = sideCost(s.book.bids, 'BUY', amount < ZERO ? -amount : ZERO, mark, lev, extra);
  sum += sideCost(s.book.asks, 'SELL', amount > ZERO ? amount : ZERO, mark, lev, extra);
  return fixed.divRound(sum, SCALE * lev, 'ceil');
}

function sideCost(
  resting: readonly FuturesOrder[],
  side: Side,
  reducible: Fixed,
  mark: Fixed,
  lev: bigint,
  extra: { side: Side; qty: Fixed; price: Fixed } | undefined,
): bigint {
  let left = reducible;
  let sum = 0n;
  const take = (qty: Fixed, price: Fixed): void => {
    const reduces = qty < left ? qty : left;
    left -= reduces;
    if (qty > reduces) sum += openingCost(side, qty - reduces, price, mark, lev);
  };
  // The book keeps best-first order; the reducing claim goes by placement (orderId) order, which matters only when
  // there is something to reduce.
  const byAge = reducible > ZERO && resting.length > 1 ? [...resting].sort((a, b) => a.orderId - b.orderId) : resting;
  for (const o of byAge) take(o.origQty - o.executedQty, o.price);
  if (extra !== undefined && extra.side === side) take(extra.qty, extra.price);
  return sum;
}

/** The margin a marketable order needs: its opening part at the fill price (open loss against the mark included). */
export function takerCost(s: SymbolState, side: Side, qty: Fixed, price: Fixed, mark: Fixed): Fixed {
  const amount = s.position.amount;
  const reducible = side === 'BUY' ? (amount < ZERO ? -amount : ZERO) : amount > ZERO ? amount : ZERO;
  const opening = qty > reducible ? qty - reducible : ZERO;
  if (opening === ZERO) return ZERO;
  const lev = BigInt(s.leverage);
  return fixed.divRound(openingCost(side, opening, price, mark, lev), SCALE * lev, 'ceil');
}

/**
 * setLeverage's maxNotionalValue: the notionalCap of the highest bracket whose initialLeverage still allows `leverage`
 * (Binance pairs them so in symbolConfig and positionRisk).
 */
export function maxNotionalFor(brackets: SymbolBrackets, leverage: number): Fixed {
  let cap = ZERO;
  for (const b of brackets.brackets as readonly LeverageBracket[]) if (b.initialLeverage >= leverage) cap = b.notionalCap;
  return cap;
}
