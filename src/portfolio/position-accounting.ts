/**
 * Average-cost accounting for one symbol's position, long or short, in exact fixed-point.
 *
 * The position keeps a signed cost basis in quote (Σ signed quote of the fills that opened it: positive for a long,
 * negative for a short) rather than only an average price, because an average rounded to 8 decimals loses cents over
 * many fills. The average cost is derived (|cost| / |qty|, half-even) for display. A reducing fill of `closed` units
 * takes the proportional share of the cost basis (cost × closed / |qty|, half-even; all of it when the position goes
 * flat), and realizes
 *     long:  closeQuote − removedCost        (= closed × (fillPrice − avgCost) when the division is exact)
 *     short: |removedCost| − closeQuote      (the mirror)
 * where closeQuote is the fill's own quote (what the venue exchanged), split proportionally when one fill both closes
 * and reopens (a flip). Because the last close takes whatever cost remains, the realized PnL of a position from flat
 * to flat equals Σ sell quote − Σ buy quote exactly, whatever rounding happened in between. Realized PnL is gross;
 * fees are kept beside it.
 */
import { type Fixed, type Side, ZERO, fixed } from '../domain/index.js';

/** One symbol's book, mutated in place by `bookFill` (a position changes once per fill, never per tick). */
export interface PositionState {
  readonly symbol: string;
  /** Signed base quantity: positive long, negative short. */
  qty: Fixed;
  /** Signed cost basis in quote, same sign as qty; zero when flat. */
  cost: Fixed;
  realized: Fixed;
  fees: Fixed;
  /** Price of the last fill: the mark when no trade has been seen on the symbol. */
  lastFillPrice: Fixed;
  /** `unrealizedOf`'s last answer and what it was worked out from (a cache: never saved, never compared). */
  valued?: Valued;
}

/** An unrealized PnL with the mark, quantity and cost it was worked out at. */
interface Valued {
  mark: Fixed;
  qty: Fixed;
  cost: Fixed;
  value: Fixed;
}

export function emptyPosition(symbol: string): PositionState {
  return { symbol, qty: ZERO, cost: ZERO, realized: ZERO, fees: ZERO, lastFillPrice: ZERO };
}

/**
 * Books one fill of `quantity` (positive) for `quote` (its price × quantity as the venue reported it) and returns
 * the PnL it realized. Fees are not touched here.
 */
export function bookFill(pos: PositionState, side: Side, quantity: Fixed, quote: Fixed, price: Fixed): Fixed {
  pos.lastFillPrice = price;
  if (quantity <= ZERO) return ZERO;
  const dir = side === 'BUY' ? 1n : -1n;

  if (pos.qty === ZERO || pos.qty > ZERO === dir > 0n) {
    pos.qty += dir * quantity;
    pos.cost += dir * quote;
    return ZERO;
  }

  const size = fixed.abs(pos.qty);
  const closed = quantity < size ? quantity : size;
  const closeQuote = closed === quantity ? quote : fixed.divRound(quote * closed, quantity, 'halfEven');
  const removed = closed === size ? pos.cost : fixed.divRound(pos.cost * closed, size, 'halfEven');
  const held = pos.qty > ZERO ? 1n : -1n;
  const realized = held * closeQuote - removed;

  pos.realized += realized;
  pos.qty -= held * closed;
  pos.cost -= removed;

  const reopened = quantity - closed;
  if (reopened > ZERO) {
    pos.qty = dir * reopened;
    pos.cost = dir * (quote - closeQuote);
  }
  return realized;
}

/** |cost| / |qty| rounded half-even; zero when flat. */
export function avgCostOf(pos: PositionState): Fixed {
  return pos.qty === ZERO ? ZERO : fixed.div(fixed.abs(pos.cost), fixed.abs(pos.qty), 'halfEven');
}

/** qty × mark − cost: what closing everything at `mark` would realize. */
export function unrealizedOf(pos: PositionState, mark: Fixed): Fixed {
  if (pos.qty === ZERO) return ZERO;
  // The daily-loss limit sums this over every symbol for each order and fill, and most symbols' marks have not moved
  // since: the same inputs give the last answer without a bigint product and division.
  const v = pos.valued;
  if (v !== undefined && v.mark === mark && v.qty === pos.qty && v.cost === pos.cost) return v.value;
  const value = fixed.mul(pos.qty, mark, 'halfEven') - pos.cost;
  if (v === undefined) pos.valued = { mark, qty: pos.qty, cost: pos.cost, value };
  else {
    v.mark = mark;
    v.qty = pos.qty;
    v.cost = pos.cost;
    v.value = value;
  }
  return value;
}

/**
 * Takes a commission paid in the base asset out of the position: the venue delivered `commission` less than the fill
 * said. The units leave at the price the fee is valued at in fees (the fill price, as execution values it), so nothing
 * is counted twice and realized − fees equals the cash that moved once the position is flat again. Returns what it
 * realized (only a rounding residue, when it leaves the position flat).
 */
export function payBaseFee(pos: PositionState, commission: Fixed, price: Fixed): Fixed {
  if (commission <= ZERO) return ZERO;
  pos.qty -= commission;
  pos.cost -= fixed.mul(commission, price, 'halfEven');
  if (pos.qty !== ZERO) return ZERO;
  // Flat again: whatever rounding left in the basis is realized, so a flat position carries no cost.
  const residue = -pos.cost;
  pos.realized += residue;
  pos.cost = ZERO;
  return residue;
}
