/**
 * The risk gate's USD-M checks, pure like risk-checks.ts: leverage, margin available, and the distance from the
 * liquidation price a new order leaves. The position-notional limit is spot's `checkPositionNotional`, which already
 * reads signed positions. Reduce-only orders pass under REDUCING through `checkTradingState` (their intent says they
 * reduce).
 */
import {
  type Fixed,
  type FuturesPosition,
  type LiquidationMargin,
  type Side,
  type SymbolBrackets,
  SCALE,
  ZERO,
  applyFill,
  fixed,
  format,
  liquidationPrice,
} from '../domain/index.js';
import type { Denial } from './risk-checks.js';

/** The leverage the symbol is set to must be within the owner's limit (0: no limit). */
export function checkLeverage(symbol: string, leverage: number, maxLeverage: number): Denial | undefined {
  if (maxLeverage <= 0 || leverage <= maxLeverage) return undefined;
  return {
    code: 'MAX_LEVERAGE',
    message: `${symbol} is at x${leverage}, over the x${maxLeverage} limit`,
    numbers: { leverage: String(leverage), limit: String(maxLeverage) },
  };
}

/** The order's margin (domain `orderMargin`) against what is available less what this gate approved and the venue has not yet reserved. */
export function checkMarginAvailable(required: Fixed, available: Fixed, reserved: Fixed, asset: string): Denial | undefined {
  const left = available - reserved;
  if (required <= left) return undefined;
  return {
    code: 'INSUFFICIENT_MARGIN',
    message:
      `needs ${format(required)} ${asset} of margin but only ${format(left)} ${asset} is available ` +
      `(available ${format(available)}, reserved ${format(reserved)})`,
    numbers: { required: format(required), available: format(left), reserved: format(reserved) },
  };
}

export interface LiquidationDistanceInput {
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: Fixed;
  /** The order's limit price (a market order: the mark). */
  readonly price: Fixed;
  readonly position: FuturesPosition;
  readonly brackets: SymbolBrackets;
  /** What backs the position once this order fills (isolated: its wallet with this order's margin added). */
  readonly margin: LiquidationMargin;
  /** Percent; 0 turns the check off. */
  readonly minDistancePct: Fixed;
}

/**
 * An order that opens or grows a position must leave the liquidation price at least `minDistancePct` % from its own
 * price, computed as the position will be when it fills there (applyFill, then the facts file's formula). An order
 * that leaves the position no larger always passes: closing never moves liquidation closer.
 */
export function checkLiquidationDistance(input: LiquidationDistanceInput): Denial | undefined {
  if (input.minDistancePct <= ZERO) return undefined;
  const after = applyFill(input.position, input.side, input.quantity, input.price).position;
  if (fixed.abs(after.amount) <= fixed.abs(input.position.amount)) return undefined;
  const lp = liquidationPrice(after.amount, after.entryNotional, input.brackets, input.margin);
  if (lp === undefined) return undefined;
  const dir = after.amount > ZERO ? 1n : -1n;
  // dir·(price − LP)/price ≥ min %, decided exactly: dir·(price − LP)·100·SCALE ≥ min·price.
  if (dir * (input.price - lp.price) * 100n * SCALE >= input.minDistancePct * input.price) return undefined;
  const distance = fixed.divRound(dir * (input.price - lp.price) * 100n * SCALE, input.price, 'floor');
  return {
    code: 'NEAR_LIQUIDATION',
    message:
      `${input.symbol}: after this order the position ${format(after.amount)} would liquidate at ${format(lp.price)}, ` +
      `${format(distance)} % from the order's price ${format(input.price)} (the limit is ${format(input.minDistancePct)} %)`,
    numbers: {
      positionAfter: format(after.amount),
      liquidationPrice: format(lp.price),
      distancePct: format(distance),
      limitPct: format(input.minDistancePct),
    },
  };
}
