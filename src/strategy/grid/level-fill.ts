import { type Fixed, type OrderFilled, ZERO, format } from '../../domain/index.js';
import type { GridOrder, GridState } from './grid-state.js';
import { buyQuantityFor, ladderLevelQty, levelShare, sizeBuyFill } from './level-sizing.js';

/** A fill's share of its order's level quantity, and what of it the re-armed order gets (less when a buy fell short). */
export interface FillPart {
  readonly level: Fixed;
  readonly sell: Fixed;
}

/**
 * What a fill of a ladder order lets the grid place on the other side, so every level keeps its quantity
 * (level-sizing.ts): the fill's share of the order's level quantity. For a buy, what arrived net of a base fee pays
 * that share and the rest goes to the grid's dust; a shortfall is drawn from the dust or, past it, taken off the sell
 * this once and recorded as LEVEL_SHORT. The buy's whole fee still goes into the round trip, so
 * profit = sell − buy − fees holds against the cash that moved (the dust is base still held, not a cost).
 */
export function levelFillPart(o: GridOrder, e: OrderFilled, time: number): FillPart {
  const grid = o.grid;
  const inst = grid.instrument;
  // Orders saved before level sizing carry no quantities: the ladder's own level quantity stands in.
  const levelQty = o.levelQty ?? ladderLevelQty(inst, grid.params.amountQuote, o.side, o.level, (l) => grid.priceAt(l));
  const orderQty = o.quantity ?? (o.side === 'BUY' ? buyQuantityFor(inst, levelQty, grid.sizing) : levelQty);
  const before = levelShare(inst, levelQty, orderQty, e.cumQty - e.quantity, false);
  const share = levelShare(inst, levelQty, orderQty, e.cumQty, e.complete);
  const level = before === ZERO ? share : share - before;
  // A stopped grid re-arms nothing: a late buy's base is plain inventory, kept with the rest, not dust.
  if (o.side === 'SELL' || grid.status === 'stopped') return { level, sell: level };
  const arrived = e.quantity - (e.commissionAsset === inst.baseAsset ? e.commission : ZERO);
  const sized = sizeBuyFill(inst, level, arrived, grid.dust);
  grid.dust = sized.dust;
  if (sized.short > ZERO) {
    const msg =
      `the fee took more than the ${format(grid.sizing.feeRate * 100n)} % the buy was sized for and the grid's dust could not ` +
      `cover it: the sell at level ${o.level + 1} is ${format(sized.short)} ${inst.baseAsset} short this once; ` +
      'the next buy is sized for the whole level';
    grid.recordIssue(o, 'LEVEL_SHORT', msg, time);
  }
  return { level, sell: sized.sellPart };
}

/** Learns where buy fees are taken: a buy's fee in base keeps buys sized up, a fee paid in a third asset (BNB) stops it. */
export function noteFillFee(grid: GridState, e: OrderFilled): void {
  grid.lastFillPrice = e.price;
  if (e.commission <= ZERO) return;
  const { baseAsset, quoteAsset } = grid.instrument;
  // A new sizing only when it changes: the open orders' dust claim is summed per sizing (open-orders.ts).
  const feeInBase = e.commissionAsset === baseAsset ? true : e.commissionAsset !== quoteAsset ? false : grid.sizing.feeInBase;
  if (feeInBase !== grid.sizing.feeInBase) grid.sizing = { ...grid.sizing, feeInBase };
}
