import {
  type Fixed,
  type Instrument,
  type OrderType,
  type Side,
  SCALE,
  ZERO,
  fixed,
  format,
  marketStepOf,
  minNotionalOf,
  validateOrder,
} from '../../domain/index.js';
import type { GridOrder, GridState, OrderRole } from './grid-state.js';
import { buyQuantityFor } from './level-sizing.js';
import { lineLevelQty } from './trail-lines.js';

type TrailDirection = 'up' | 'down';

/** The one order a move places: a market buy for the new top's sell, or a limit order on the ladder (README "Trailing"). */
interface TrailOrder {
  readonly role: OrderRole;
  readonly side: Side;
  readonly level: number;
  readonly type: OrderType;
  readonly price?: Fixed;
  readonly quantity: Fixed;
  /** The level quantity it stands for (what the sell at the new top line sells, for the market buy). */
  readonly levelQty: Fixed;
}

/** What one trade makes a trailing grid do: move one line, or note that the limit (or the last line) stops it. */
export type TrailDecision =
  | {
      readonly kind: 'move';
      readonly direction: TrailDirection;
      readonly low: number;
      readonly high: number;
      /** The ladder order on the line that leaves the window (the lowest buy, or the highest sell), when it rests. */
      readonly cancel: readonly GridOrder[];
      readonly order: TrailOrder;
      /** Whether the trade jumped to or past the new outer line (then the re-arm line behind it gets the order). */
      readonly gap: boolean;
    }
  | { readonly kind: 'limit'; readonly direction: TrailDirection; readonly message: string }
  | { readonly kind: 'refused'; readonly direction: TrailDirection; readonly message: string };

const onLadder = (o: GridOrder): boolean => o.role === 'opener' || o.role === 'closer';

/** Whether any of the grid's orders on `side` rests, waits (held) or is pending (the start's sells, a trailing buy). */
function hasSide(grid: GridState, side: Side): boolean {
  if (side === 'SELL' && grid.pendingLevels !== undefined) return true;
  for (const o of grid.open.values()) {
    if (onLadder(o) && o.side === side) return true;
    // A trailing market buy stands for the sell it will place: the move that sent it is not finished.
    if (side === 'SELL' && o.role === 'trail') return true;
  }
  return false;
}

/**
 * One trade's effect on a trailing grid. Trailing up moves when the trade is strictly above the window's top line and
 * none of the grid's sells rests, waits or is pending (they have all filled): one move per trade, one line up. The
 * window's lowest line leaves (its buy is cancelled); if the trade is below the new top line, a market buy of that
 * line's level quantity stocks a sell there; if the trade is at or past it (a gap), no sell goes under the market and
 * the old top line gets a buy instead. Trailing down is the mirror below the bottom line (the highest sell cancelled,
 * a buy at the new bottom line, or after a gap a sell at the old bottom line) with no market order (README "Trailing").
 */
export function decideTrail(grid: GridState, price: Fixed): TrailDecision | undefined {
  const t = grid.trail;
  if (t === undefined || t.off !== undefined || grid.status !== 'running') return undefined;
  const top = grid.linePrice(t.high);
  const bottom = grid.linePrice(t.low);
  if (grid.params.trailUp !== undefined && !t.upLimitReached && top !== undefined && price > top && !hasSide(grid, 'SELL'))
    return moveUp(grid, price, grid.params.trailUp.limit);
  if (grid.params.trailDown !== undefined && !t.downLimitReached && bottom !== undefined && price < bottom && !hasSide(grid, 'BUY'))
    return moveDown(grid, price, grid.params.trailDown.limit);
  return undefined;
}

function moveUp(grid: GridState, price: Fixed, limit: Fixed | undefined): TrailDecision {
  const t = grid.trail!;
  const inst = grid.instrument;
  const next = grid.linePrice(t.high + 1);
  if (next === undefined || (limit !== undefined && next > limit)) {
    const message =
      next === undefined
        ? `trailing up stopped: there is no line above ${format(grid.linePrice(t.high) ?? ZERO)}`
        : `trailing up reached its limit ${format(limit!)}: the next top line ${format(next)} would pass it; ` +
          'the grid stays where it is';
    return { kind: 'limit', direction: 'up', message };
  }
  const cancel = [...grid.open.values()].filter((o) => onLadder(o) && o.side === 'BUY' && o.level === t.low);
  const gap = price >= next;
  let order: TrailOrder;
  if (!gap) {
    const levelQty = lineLevelQty(inst, grid.params.amountQuote, next);
    const quantity = trailBuyQuantity(inst, levelQty, grid.takerFee, grid.sizing.feeInBase, price);
    const market = validateOrder(inst, { side: 'BUY', type: 'MARKET', quantity, referencePrice: price });
    const sell = validateOrder(inst, { side: 'SELL', type: 'LIMIT', price: next, quantity: levelQty, referencePrice: price });
    const bad = !market.ok ? market : !sell.ok ? sell : undefined;
    if (bad !== undefined && !bad.ok) return { kind: 'refused', direction: 'up', message: bad.error.message };
    order = { role: 'trail', side: 'BUY', level: t.high + 1, type: 'MARKET', quantity, levelQty };
  } else {
    const at = grid.linePrice(t.high)!;
    const levelQty = lineLevelQty(inst, grid.params.amountQuote, at);
    const quantity = buyQuantityFor(inst, levelQty, grid.sizing);
    const check = validateOrder(inst, { side: 'BUY', type: 'LIMIT', price: at, quantity, referencePrice: price });
    if (!check.ok) return { kind: 'refused', direction: 'up', message: check.error.message };
    order = { role: 'opener', side: 'BUY', level: t.high, type: 'LIMIT', price: at, quantity, levelQty };
  }
  return { kind: 'move', direction: 'up', low: t.low + 1, high: t.high + 1, cancel, order, gap };
}

function moveDown(grid: GridState, price: Fixed, limit: Fixed | undefined): TrailDecision {
  const t = grid.trail!;
  const inst = grid.instrument;
  const next = grid.linePrice(t.low - 1);
  if (next === undefined || (limit !== undefined && next < limit)) {
    const message =
      next === undefined
        ? `trailing down stopped: there is no line above zero below ${format(grid.linePrice(t.low) ?? ZERO)}`
        : `trailing down reached its limit ${format(limit!)}: the next bottom line ${format(next)} would pass it; ` +
          'the grid stays where it is';
    return { kind: 'limit', direction: 'down', message };
  }
  const cancel = [...grid.open.values()].filter((o) => onLadder(o) && o.side === 'SELL' && o.level === t.high);
  const gap = price <= next;
  let order: TrailOrder;
  if (!gap) {
    const levelQty = lineLevelQty(inst, grid.params.amountQuote, next);
    const quantity = buyQuantityFor(inst, levelQty, grid.sizing);
    const check = validateOrder(inst, { side: 'BUY', type: 'LIMIT', price: next, quantity, referencePrice: price });
    if (!check.ok) return { kind: 'refused', direction: 'down', message: check.error.message };
    order = { role: 'opener', side: 'BUY', level: t.low - 1, type: 'LIMIT', price: next, quantity, levelQty };
  } else {
    const at = grid.linePrice(t.low)!;
    const levelQty = lineLevelQty(inst, grid.params.amountQuote, at);
    const check = validateOrder(inst, { side: 'SELL', type: 'LIMIT', price: at, quantity: levelQty, referencePrice: price });
    if (!check.ok) return { kind: 'refused', direction: 'down', message: check.error.message };
    order = { role: 'opener', side: 'SELL', level: t.low, type: 'LIMIT', price: at, quantity: levelQty, levelQty };
  }
  return { kind: 'move', direction: 'down', low: t.low - 1, high: t.high - 1, cancel, order, gap };
}

/**
 * The trailing market buy, sized as the start's market buy is: the level quantity over (1 − taker fee) when the fee is
 * taken in base, up to the market lot step, raised to the minimum quantity and notional at the trade's price.
 */
function trailBuyQuantity(inst: Instrument, levelQty: Fixed, takerFee: Fixed, feeInBase: boolean, price: Fixed): Fixed {
  const step = marketStepOf(inst);
  const gross = feeInBase && takerFee > ZERO ? fixed.div(levelQty, SCALE - takerFee, 'ceil') : levelQty;
  let q = fixed.roundTo(gross, step, 'ceil');
  const lot = inst.filters.lotSize;
  const lotMin = inst.filters.marketLotSize?.minQty ?? ZERO;
  const minQty = lot.minQty > lotMin ? lot.minQty : lotMin;
  if (q < minQty) q = fixed.roundTo(minQty, step, 'ceil');
  const mn = inst.filters.minNotional;
  if (mn && mn.applyToMarket && fixed.mul(price, q, 'floor') < minNotionalOf(inst))
    q = fixed.roundTo(fixed.div(mn.minNotional, price, 'ceil'), step, 'ceil');
  return q;
}
