import { type Fixed, type Side, ZERO } from '../../domain/index.js';
import { type LevelSizing, dustDrawOf } from './level-sizing.js';

/** What of an order its dust draw depends on (a grid order: grid-state.ts). */
interface SizedOrder {
  readonly side: Side;
  /** What the order was placed for (absent in grids saved before level sizing). */
  readonly quantity?: Fixed;
  /** The level quantity it stands for. */
  readonly levelQty?: Fixed;
}

/**
 * A grid's orders that may still fill, by client order id, that also keeps what their buys will draw from the dust as
 * a running sum: a re-arm asks for it on every fill, and summing every open order then was O(levels) bigint work.
 * The sum is exact (integers), kept per sizing: a new sizing (the fee's asset changed) sums every order once again.
 */
export class OpenOrders<O extends SizedOrder = SizedOrder> extends Map<string, O> {
  private drawn: Fixed = ZERO;
  /** The sizing `drawn` is summed at; undefined until first asked. */
  private drawnAt: LevelSizing | undefined;
  /** The orders whose draw is not zero, with it (at `drawnAt`): an order leaving takes its draw out without a product. */
  private readonly draws = new Map<string, Fixed>();

  /** What the open (and held) buys placed at their bare level quantity will draw from the dust when they fill. */
  dustClaimed(sizing: LevelSizing): Fixed {
    if (sizing !== this.drawnAt) {
      this.draws.clear();
      this.drawn = ZERO;
      this.drawnAt = sizing;
      for (const [id, o] of this) this.count(id, o, sizing);
    }
    return this.drawn;
  }

  override set(clientOrderId: string, o: O): this {
    const sizing = this.drawnAt;
    if (sizing !== undefined) {
      this.uncount(clientOrderId);
      this.count(clientOrderId, o, sizing);
    }
    return super.set(clientOrderId, o);
  }

  override delete(clientOrderId: string): boolean {
    this.uncount(clientOrderId);
    return super.delete(clientOrderId);
  }

  override clear(): void {
    this.drawn = ZERO;
    this.drawnAt = undefined;
    this.draws.clear();
    super.clear();
  }

  private count(clientOrderId: string, o: SizedOrder, sizing: LevelSizing): void {
    const draw = drawOf(o, sizing);
    if (draw === ZERO) return;
    this.draws.set(clientOrderId, draw);
    this.drawn += draw;
  }

  private uncount(clientOrderId: string): void {
    if (this.draws.size === 0) return;
    const draw = this.draws.get(clientOrderId);
    if (draw === undefined) return;
    this.draws.delete(clientOrderId);
    this.drawn -= draw;
  }
}

/** An order's own draw: a buy's shortfall under its level quantity; a sell, or an order saved before sizing, none. */
function drawOf(o: SizedOrder, sizing: LevelSizing): Fixed {
  return o.side === 'BUY' && o.quantity !== undefined && o.levelQty !== undefined ? dustDrawOf(o.levelQty, o.quantity, sizing) : ZERO;
}
