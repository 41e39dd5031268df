import { type Fixed, SCALE, ZERO, abs, divRound } from '../fixed.js';
import { type LeverageBracket, type SymbolBrackets, bracketIndex } from './brackets.js';

/**
 * Binance shows computed fields truncated to 8 places, not rounded (facts file A.0: maintMargin 2.430096667 →
 * "2.43009666"; uPnL 0.51106678722 → "0.51106678"). Toward zero for a negative value is UNVERIFIED and chosen.
 */
function towardZero(n: bigint, d: bigint): Fixed {
  return n >= 0n ? divRound(n, d, 'floor') : divRound(n, d, 'ceil');
}

/** Position notional at mark, |pa|·mark, as positionRisk shows it (truncated); the sign is the caller's. */
export function positionNotional(amount: Fixed, mark: Fixed): Fixed {
  return towardZero(abs(amount) * mark, SCALE);
}

/** Position initial margin, |pa|·mark/leverage at the current mark (facts file D.3), truncated once. */
export function initialMargin(amount: Fixed, mark: Fixed, leverage: number): Fixed {
  if (!Number.isInteger(leverage) || leverage < 1) throw new RangeError(`leverage must be a whole number ≥ 1, got ${leverage}`);
  return towardZero(abs(amount) * mark, SCALE * BigInt(leverage));
}

export interface Maintenance {
  /** notional·MMR − cum, truncated once from the exact notional (no intermediate rounding). */
  readonly margin: Fixed;
  readonly bracket: LeverageBracket;
}

/** Maintenance margin at mark (facts file D.3), the bracket chosen by the position's own notional. */
export function maintenanceMargin(amount: Fixed, mark: Fixed, brackets: SymbolBrackets): Maintenance {
  const notional16 = abs(amount) * mark; // 10¹⁶ scale
  const bracket = brackets.brackets[bracketIndex(brackets.brackets, notional16, SCALE)] as LeverageBracket;
  if (amount === ZERO) return { margin: ZERO, bracket };
  // notional·MMR has 24 places; cum brought to 24 too, then one truncation back to 8.
  return { margin: towardZero(notional16 * bracket.maintMarginRatio - bracket.cum * SCALE * SCALE, SCALE * SCALE), bracket };
}

/** Unrealized PnL (mark − entry)·pa (facts file D.2, verified), truncated toward zero. */
export function unrealizedPnl(amount: Fixed, entryPrice: Fixed, mark: Fixed): Fixed {
  return towardZero((mark - entryPrice) * amount, SCALE);
}

/** Margin balance: the wallet (cross wallet, or the isolated wallet) plus the unrealized PnL it carries. */
export function marginBalance(wallet: Fixed, unrealized: Fixed): Fixed {
  return wallet + unrealized;
}

/** Liquidation happens when the margin balance is at or below the maintenance margin (facts file D.4, issue 12). */
export function isLiquidatable(balance: Fixed, maintenance: Fixed): boolean {
  return balance <= maintenance;
}

/**
 * Margin a new order needs (facts file D.3, "cost to open"): only the part that opens or increases the position pays,
 * its notional at the order price over the leverage, plus the "open loss" when the price is worse than mark:
 * `qty·max(0, dir·(price − mark))`. The USD-M form of the open loss is UNVERIFIED in the facts (Binance states it for
 * COIN-M); we use it because it errs on the side of asking more. The part that reduces an existing opposite position
 * needs nothing. Rounded up once: never under-reserved.
 */
export function orderMargin(positionAmt: Fixed, side: 'BUY' | 'SELL', quantity: Fixed, price: Fixed, mark: Fixed, leverage: number): Fixed {
  if (!Number.isInteger(leverage) || leverage < 1) throw new RangeError(`leverage must be a whole number ≥ 1, got ${leverage}`);
  const dir = side === 'BUY' ? 1n : -1n;
  const reducing = positionAmt !== ZERO && positionAmt > ZERO !== dir > 0n ? abs(positionAmt) : ZERO;
  const opening = quantity > reducing ? quantity - reducing : ZERO;
  if (opening === ZERO) return ZERO;
  const worse = dir * (price - mark);
  const lev = BigInt(leverage);
  // opening·price/lev + opening·max(0, worse), both at 10¹⁶ scale, over a common denominator SCALE·lev.
  const exact = opening * price + (worse > ZERO ? opening * worse * lev : ZERO);
  return divRound(exact, SCALE * lev, 'ceil');
}
