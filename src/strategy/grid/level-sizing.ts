import { type Fixed, type Instrument, SCALE, ZERO, fixed } from '../../domain/index.js';

/**
 * How a grid sizes its orders so every level keeps the quantity the owner confirmed (its **level quantity** `q`, what
 * the level's sell sells). The maker fee is the rate the buy is sized with: ladder orders rest, so they pay maker.
 */
export interface LevelSizing {
  /** A fraction, as Binance's commissionRates give it: 0.001 is 0.1 %. */
  readonly feeRate: Fixed;
  /** Whether a buy's fee is taken from the base it receives (Binance's way without the BNB discount). */
  readonly feeInBase: boolean;
}

/**
 * The buy that delivers a level quantity `q`. When the fee is taken in base: `q` itself if the grid's free dust covers
 * the fee on `q` (what the buy arrives short is then drawn from the dust, so the dust is spent rather than piling up),
 * else `ceil_step(q / (1 − f))` (the division rounded up to 10⁻⁸, then up to the lot step, so what arrives net of the
 * fee is never under `q`). With the fee paid in a third asset, `q`.
 */
export function buyQuantityFor(inst: Instrument, levelQty: Fixed, sizing: LevelSizing, freeDust: Fixed = ZERO): Fixed {
  if (!sizing.feeInBase || sizing.feeRate <= ZERO || levelQty <= ZERO) return levelQty;
  if (dustDrawOf(levelQty, levelQty, sizing) <= freeDust) return levelQty;
  const step = inst.filters.lotSize.stepSize;
  const known = figuresOf(sizing, levelQty);
  if (known.sizedUp !== undefined && known.step === step) return known.sizedUp;
  const gross = fixed.div(levelQty, SCALE - sizing.feeRate, 'ceil');
  known.step = step;
  known.sizedUp = fixed.roundTo(gross, step, 'ceil');
  return known.sizedUp;
}

/**
 * The base a buy of `orderQty` for level quantity `q` will take from the grid's dust: what it arrives short of `q`
 * after a fee in base (the fee rounded up, so the draw is never under what the exchange's rounding takes). A buy sized
 * up over the fee draws nothing.
 */
export function dustDrawOf(levelQty: Fixed, orderQty: Fixed, sizing: LevelSizing): Fixed {
  if (!sizing.feeInBase || sizing.feeRate <= ZERO) return ZERO;
  const known = figuresOf(sizing, orderQty);
  known.arrives ??= orderQty - fixed.mul(orderQty, sizing.feeRate, 'ceil');
  const arrives = known.arrives;
  return arrives >= levelQty ? ZERO : levelQty - arrives;
}

/** What a sizing gives one quantity, worked out once: a grid's buys come back to the same few level quantities. */
interface QuantityFigures {
  /** A buy of this quantity, net of its fee in base. */
  arrives: Fixed | undefined;
  /** The buy that delivers this level quantity (sized up over the fee), at lot step `step`. */
  sizedUp: Fixed | undefined;
  step: Fixed;
}

/** Per sizing (a grid's: a new one when the fee's asset changes), its figures by quantity; bounded, as fills can cut odd shares. */
const FIGURES = new WeakMap<LevelSizing, Map<Fixed, QuantityFigures>>();
const MAX_FIGURES = 1024;

function figuresOf(sizing: LevelSizing, qty: Fixed): QuantityFigures {
  let byQty = FIGURES.get(sizing);
  if (byQty === undefined) {
    byQty = new Map();
    FIGURES.set(sizing, byQty);
  }
  let f = byQty.get(qty);
  if (f === undefined) {
    if (byQty.size >= MAX_FIGURES) byQty.clear();
    f = { arrives: undefined, sizedUp: undefined, step: ZERO };
    byQty.set(qty, f);
  }
  return f;
}

/**
 * The part of a level quantity an order's fills have covered so far: the whole level once the order is complete,
 * before that `levelQty · cumFilled / orderQty` rounded down to the lot step. Re-arming the difference between two
 * fills' shares places, over all of an order's fills, exactly the level quantity, however the fills are cut.
 */
export function levelShare(inst: Instrument, levelQty: Fixed, orderQty: Fixed, cumFilled: Fixed, complete: boolean): Fixed {
  if (complete || cumFilled >= orderQty) return levelQty;
  if (cumFilled <= ZERO || orderQty <= ZERO) return ZERO;
  const share = fixed.divRound(levelQty * cumFilled, orderQty, 'floor');
  return fixed.roundTo(share, inst.filters.lotSize.stepSize, 'floor');
}

/** What a buy fill re-arms on the sell side and what it does to the grid's dust. */
export interface BuyFillSizing {
  /** The level quantity this fill stands for (carried to the re-armed sell's level quantity). */
  readonly levelPart: Fixed;
  /** The quantity the re-armed sell gets from this fill: the level part, less any shortfall the dust could not cover. */
  readonly sellPart: Fixed;
  /** The grid's dust after this fill. */
  readonly dust: Fixed;
  /** Base the dust could not cover (rounded up to the step and taken off the sell), when the fee was above sizing. */
  readonly short: Fixed;
}

/**
 * A buy fill's base (net of a base-asset fee) goes first to the level's sell; what arrives over its share is dust.
 * When it arrives under its share (a fee above the one the buy was sized for, a taker fill), the shortfall is drawn
 * from the grid's dust; what the dust cannot cover is rounded up to the step and taken off the sell, which then
 * sells what there is (the level quantity itself is kept: the next buy is sized for the whole level again).
 */
export function sizeBuyFill(inst: Instrument, levelPart: Fixed, arrived: Fixed, dustBefore: Fixed): BuyFillSizing {
  const dust = dustBefore + arrived - levelPart;
  if (dust >= ZERO) return { levelPart, sellPart: levelPart, dust, short: ZERO };
  let short = fixed.roundTo(-dust, inst.filters.lotSize.stepSize, 'ceil');
  if (short > levelPart) short = levelPart;
  return { levelPart, sellPart: levelPart - short, dust: dust + short, short };
}

/**
 * The level quantity of the pair an order of a grid saved before level sizing belongs to, as the ladder set it:
 * `amountQuote / p` rounded down to the step at the price of the level that opened the pair (the buy below the
 * reference, the sell above it). A buy at `level` pairs with the sell at `level + 1`.
 */
export function ladderLevelQty(
  inst: Instrument,
  amountQuote: Fixed,
  side: 'BUY' | 'SELL',
  level: number,
  priceAt: (level: number) => Fixed | undefined,
): Fixed {
  const low = side === 'BUY' ? level : level - 1;
  const price = priceAt(low < 0 ? low : low + 1);
  if (price === undefined || price <= ZERO) return ZERO;
  return fixed.roundTo(fixed.div(amountQuote, price, 'floor'), inst.filters.lotSize.stepSize, 'floor');
}
