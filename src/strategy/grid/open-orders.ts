import { type Fixed, ZERO } from '../../domain/index.js';
import type { GridOrder } from './grid-state.js';
import { type LevelSizing, dustDrawOf } from './level-sizing.js';

/**
 * A grid's orders that may still fill, by client order id, that also keeps what their buys will draw from the dust as
 * a running sum: a re-arm asks for it on every fill, and summing every open order then was O(levels) bigint work.
 * The sum is exact (integers), kept per sizing: a new sizing (the fee's asset changed) sums every order once again.
 */
export class OpenOrders extends Map<string, GridOrder> {
  private drawn: Fixed = ZERO;
  /** The sizing `drawn` is summed at; undefined until first asked. */
  private drawnAt: LevelSizing | undefined;

  /** What the open (and held) buys placed at their bare level quantity will draw from the dust when they fill. */
  dustClaimed(sizing: LevelSizing): Fixed {
    if (sizing !== this.drawnAt) {
      let sum = ZERO;
      for (const o of this.values()) sum += drawOf(o, sizing);
      this.drawn = sum;
      this.drawnAt = sizing;
    }
    return this.drawn;
  }

  override set(clientOrderId: string, o: GridOrder): this {
    const sizing = this.drawnAt;
    if (sizing !== undefined) {
      const before = super.get(clientOrderId);
      this.drawn += drawOf(o, sizing) - (before === undefined ? ZERO : drawOf(before, sizing));
    }
    return super.set(clientOrderId, o);
  }

  override delete(clientOrderId: string): boolean {
    const sizing = this.drawnAt;
    const o = sizing === undefined ? undefined : super.get(clientOrderId);
    if (o !== undefined) this.drawn -= drawOf(o, sizing as LevelSizing);
    return super.delete(clientOrderId);
  }

  override clear(): void {
    this.drawn = ZERO;
    this.drawnAt = undefined;
    super.clear();
  }
}

/** An order's own draw: a buy's shortfall under its level quantity; a sell, or an order saved before sizing, none. */
function drawOf(o: GridOrder, sizing: LevelSizing): Fixed {
  return o.side === 'BUY' && o.quantity !== undefined && o.levelQty !== undefined ? dustDrawOf(o.levelQty, o.quantity, sizing) : ZERO;
}
