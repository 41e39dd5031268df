import {
  type Fixed,
  type FuturesPosition,
  type LeverageBracket,
  SCALE,
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

/**
 * How resting orders' margin adds up (setting `openOrderMargin`):
 * - `netted` (default): Binance's one-way rule (its FAQ "How to Calculate the Margin Requirement on Binance Futures
 *   Trading"): requirement = max(|P + B|, |P − A|)/leverage with P the signed position notional at mark, B and A the
 *   resting bids' and asks' value at their limits; the orders' part is that minus |P|/leverage. Only the larger side
 *   counts, and orders that would reduce the position cost nothing.
 * - `sum`: every order pays for the part of it that would open a position, both sides added (each side's orders claim
 *   the reducible position oldest first): never less than `netted`, for a trader who wants the stricter reserve.
 * Both add each order's open loss against the mark, qty·max(0, dir·(price − mark)), and round up once.
 */
export type OpenOrderMarginRule = 'netted' | 'sum';

export function positionFigures(s: SymbolState, mark: Fixed, rule: OpenOrderMarginRule): PositionFigures {
  const amount = s.position.amount;
  return {
    mark,
    unrealized: amount === ZERO ? ZERO : unrealizedPnl(amount, s.position.entryPrice, mark),
    positionInitialMargin: amount === ZERO ? ZERO : initialMargin(amount, mark, s.leverage),
    maintenance: amount === ZERO ? ZERO : maintenanceMargin(amount, mark, s.brackets).margin,
    openOrderMargin: openOrderMargin(s, mark, rule),
  };
}

/** The symbol's openOrderInitialMargin under `rule` (above). */
function openOrderMargin(s: SymbolState, mark: Fixed, rule: OpenOrderMarginRule): Fixed {
  if (s.book.count() === 0) return ZERO;
  const lev = BigInt(s.leverage);
  const amount = s.position.amount;
  let loss = 0n; // Σ open loss, 10¹⁶ scale; none before the symbol's first trade (no mark to lose against)
  if (mark > ZERO) {
    for (const o of s.book.bids) if (o.price > mark) loss += (o.origQty - o.executedQty) * (o.price - mark);
    for (const o of s.book.asks) if (o.price < mark) loss += (o.origQty - o.executedQty) * (mark - o.price);
  }
  let value: bigint; // 10¹⁶ scale, before the leverage
  if (rule === 'netted') {
    const p = amount * mark;
    const withBids = abs16(p + restingValue(s.book.bids));
    const withAsks = abs16(p - restingValue(s.book.asks));
    value = (withBids > withAsks ? withBids : withAsks) - abs16(p);
  } else {
    value = openingValue(s.book.bids, amount < ZERO ? -amount : ZERO) + openingValue(s.book.asks, amount > ZERO ? amount : ZERO);
  }
  return fixed.divRound(value + loss * lev, SCALE * lev, 'ceil');
}

function abs16(v: bigint): bigint {
  return v < 0n ? -v : v;
}

function restingValue(side: readonly FuturesOrder[]): bigint {
  let sum = 0n;
  for (const o of side) sum += (o.origQty - o.executedQty) * o.price;
  return sum;
}

/** `sum`: the value of each order's part beyond the position it can reduce, claims taken oldest first. */
function openingValue(side: readonly FuturesOrder[], reducible: Fixed): bigint {
  // The book keeps best-first order; placement (orderId) order matters only when there is something to reduce.
  const byAge = reducible > ZERO && side.length > 1 ? [...side].sort((a, b) => a.orderId - b.orderId) : side;
  let left = reducible;
  let sum = 0n;
  for (const o of byAge) {
    const qty = o.origQty - o.executedQty;
    const reduces = qty < left ? qty : left;
    left -= reduces;
    sum += (qty - reduces) * o.price;
  }
  return sum;
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
