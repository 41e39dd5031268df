import { type Fixed, SCALE, ZERO, abs, divRound } from '../fixed.js';

/**
 * A one-way (`BOTH`) USD-M position: signed amount (long > 0, short < 0), the entry price Binance shows, and the
 * entry notional and opening fees it carries exactly so that realized PnL conserves quote (README, "Position").
 */
export interface FuturesPosition {
  /** Signed position amount in base units (positionAmt). */
  readonly amount: Fixed;
  /** Average-cost entry price (entryPrice); 0 when flat. Unchanged by a reduce. */
  readonly entryPrice: Fixed;
  /** Quote paid (long) or received (short) for the open amount: |amount|·entry, kept exact rather than re-derived. */
  readonly entryNotional: Fixed;
  /** Commission paid on the fills that opened the open amount, for the break-even price; never funding. */
  readonly openingFees: Fixed;
}

export const FLAT_POSITION: FuturesPosition = { amount: ZERO, entryPrice: ZERO, entryNotional: ZERO, openingFees: ZERO };

/**
 * A position as Binance reports it (positionAmt, entryPrice): its entry notional is |amount|·entry, half-even (exact
 * for every real instrument, whose amounts have at most 3 places). Opening fees are not in positionRisk; give them
 * when known (the break-even price needs them).
 */
export function positionFromEntry(amount: Fixed, entryPrice: Fixed, openingFees: Fixed = ZERO): FuturesPosition {
  if (amount === ZERO) return FLAT_POSITION;
  return { amount, entryPrice, entryNotional: divRound(abs(amount) * entryPrice, SCALE, 'halfEven'), openingFees };
}

export interface FillResult {
  readonly position: FuturesPosition;
  /** Pre-fee realized PnL of the part that reduced the position (0 for a pure increase); the fee is booked apart. */
  readonly realizedPnl: Fixed;
  /** Base amount closed by this fill (0 for a pure increase). */
  readonly closed: Fixed;
}

/**
 * Nets one fill into a one-way position (facts file D.2, the average-cost model). `quantity` is positive; `fee` is
 * the fill's commission in quote, kept only for the part that opens. Increasing: entry = (notional + q·p)/(|pa|+q),
 * half-even. Reducing: closed = min(q, |pa|), realized = closed·(p − entry)·sign(pa) with the exact entry
 * (entryNotional/|pa|), half-even, and the entry notional loses exactly what the realized PnL did not take, so
 * Σ realized − Σ signed entry notional equals the fills' cash flow to the unit. Flipping through zero closes the
 * whole position and opens the remainder at p.
 */
export function applyFill(pos: FuturesPosition, side: 'BUY' | 'SELL', quantity: Fixed, price: Fixed, fee: Fixed = ZERO): FillResult {
  if (quantity <= ZERO) throw new RangeError(`fill quantity must be positive, got ${quantity}`);
  const dir = side === 'BUY' ? 1n : -1n;
  const size = abs(pos.amount);
  if (pos.amount === ZERO || pos.amount > ZERO === dir > 0n) {
    return { position: increase(pos, dir, quantity, price, fee), realizedPnl: ZERO, closed: ZERO };
  }
  const closed = quantity < size ? quantity : size;
  const exitValue = closed * price; // 10¹⁶ scale, exact
  const posSign = pos.amount > ZERO ? 1n : -1n;
  let realizedPnl: Fixed;
  let left: FuturesPosition;
  if (closed === size) {
    realizedPnl = posSign * divRound(exitValue - pos.entryNotional * SCALE, SCALE, 'halfEven');
    left = FLAT_POSITION;
  } else {
    // realized = sign(pa)·(closed·p − entryNotional·closed/|pa|), one half-even rounding of the exact value.
    realizedPnl = posSign * divRound(exitValue * size - pos.entryNotional * SCALE * closed, SCALE * size, 'halfEven');
    // What the realized PnL did not take of the exit value leaves the entry notional: the rounding stays in it.
    const removedNotional = divRound(exitValue, SCALE, 'halfEven') - posSign * realizedPnl;
    left = {
      amount: pos.amount + dir * closed,
      entryPrice: pos.entryPrice,
      entryNotional: pos.entryNotional - removedNotional,
      openingFees: pos.openingFees - divRound(pos.openingFees * closed, size, 'halfEven'),
    };
  }
  const remainder = quantity - closed;
  if (remainder === ZERO) return { position: left, realizedPnl, closed };
  // The flip: the rest opens a new position at this price, with its share of this fill's fee.
  const openFee = divRound(fee * remainder, quantity, 'halfEven');
  return { position: increase(FLAT_POSITION, dir, remainder, price, openFee), realizedPnl, closed };
}

function increase(pos: FuturesPosition, dir: bigint, quantity: Fixed, price: Fixed, fee: Fixed): FuturesPosition {
  const amount = pos.amount + dir * quantity;
  // q·p has 16 places; real instruments (tick × step ≥ 10⁻⁸) land on 8, so half-even changes nothing there.
  const entryNotional = pos.entryNotional + divRound(quantity * price, SCALE, 'halfEven');
  const entryPrice = divRound(entryNotional * SCALE, abs(amount), 'halfEven');
  return { amount, entryPrice, entryNotional, openingFees: pos.openingFees + fee };
}

/**
 * Break-even price (positionRisk breakEvenPrice, facts file D.7): the price at which closing returns the opening fees,
 * (entry notional + opening fees)/|pa| for a long, (entry notional − opening fees)/|pa| for a short, half-even.
 * Funding is not in it (observed). After one entry at fee rate r that is entry·(1 ± r), as in the live captures.
 */
export function breakEvenPrice(pos: FuturesPosition): Fixed {
  if (pos.amount === ZERO) return ZERO;
  const cost = pos.amount > ZERO ? pos.entryNotional + pos.openingFees : pos.entryNotional - pos.openingFees;
  return divRound(cost * SCALE, abs(pos.amount), 'halfEven');
}
