import {
  type Fixed,
  type Instrument,
  type Result,
  SCALE,
  ZERO,
  failure,
  fixed,
  format,
  minNotionalOf,
  ok,
  roundQuantity,
} from '../../domain/index.js';
import { MAX_RANGE_GRIDS, MAX_SPACING_PCT, MIN_RANGE_GRIDS } from './grid-params.js';
import type { GridParams, GridRange } from './grid-types.js';

/**
 * One price line before rounding, held as `twice = floor(2·raw)` in units of 10⁻⁸ and whether `2·raw` is exactly that.
 * Twice the value so that a tick's midpoint is a whole number of units: an inexact line can then never sit on it, and
 * every rounding below is decided exactly from `twice` alone.
 */
interface RawLine {
  readonly twice: bigint;
  readonly exact: boolean;
}

/**
 * Line `j` of `grids` (0..grids) between lower `L` and upper `U`:
 *   arithmetic: (L·(N − j) + U·j) / N, an exact fraction;
 *   geometric:  (L^(N − j) · U^j)^(1/N), the exact N-th root, floored by an integer root of bigints.
 */
function rawLines(range: GridRange, spacing: GridParams['spacing']): RawLine[] {
  const { lower: l, upper: u, grids } = range;
  const n = BigInt(grids);
  const out: RawLine[] = [];
  for (let j = 0; j <= grids; j++) {
    const bj = BigInt(j);
    if (spacing === 'arithmetic') {
      const num = 2n * (l * (n - bj) + u * bj);
      out.push({ twice: num / n, exact: num % n === 0n });
    } else {
      const x = 2n ** n * l ** (n - bj) * u ** bj;
      const guess = 2 * Math.exp(((grids - j) * Math.log(Number(l)) + j * Math.log(Number(u))) / grids);
      const twice = integerRoot(x, grids, guess);
      out.push({ twice, exact: twice ** n === x });
    }
  }
  return out;
}

/**
 * Line `j` for any whole `j`, inside the range or beyond it (a trailing grid's lines, README "Trailing"): the same rule
 * continued, arithmetic `(L·(N − j) + U·j) / N`, geometric `(L^(N − j) · U^j)^(1/N)` with the negative powers moved to
 * a denominator, so the root is taken of an exact fraction floored (the floor of a root is the root of the floor).
 * Undefined at or below zero.
 */
function rawLineAt(range: GridRange, spacing: GridParams['spacing'], j: number): RawLine | undefined {
  const { lower: l, upper: u, grids } = range;
  const n = BigInt(grids);
  const bj = BigInt(j);
  if (spacing === 'arithmetic') {
    const num = 2n * (l * (n - bj) + u * bj);
    return num <= 0n ? undefined : { twice: num / n, exact: num % n === 0n };
  }
  const num = 2n ** n * l ** (n - bj > 0n ? n - bj : 0n) * u ** (bj > 0n ? bj : 0n);
  const den = l ** (bj - n > 0n ? bj - n : 0n) * u ** (bj < 0n ? -bj : 0n);
  const x = num / den;
  const guess = 2 * Math.exp(((grids - j) * Math.log(Number(l)) + j * Math.log(Number(u))) / grids);
  const twice = integerRoot(x, grids, guess);
  return twice <= 0n ? undefined : { twice, exact: num % den === 0n && twice ** n === x };
}

/**
 * The price of level `level` of a range grid priced at `ref`, for any level (beyond the range too), rounded as the
 * ladder rounds it: below level 0 down to the tick, above it up, level 0 half-even. Undefined where the line is not
 * above zero.
 */
export function rangeLinePrice(params: GridParams, inst: Instrument, ref: Fixed, level: number): Fixed | undefined {
  const range = params.range;
  if (range === undefined) throw new Error('rangeLinePrice needs range-form params');
  const centre = nearestLine(rawLines(range, params.spacing), ref);
  const line = rawLineAt(range, params.spacing, level + centre);
  if (line === undefined) return undefined;
  const tick = inst.filters.priceFilter.tickSize;
  const price = level < 0 ? floorTick(line, tick) : level > 0 ? ceilTick(line, tick) : nearestTick(line, tick);
  return price > ZERO ? price : undefined;
}

/** floor(x^(1/n)) for x ≥ 0: Newton's method from above, started near `approx`; checked, with a slow sure path if off. */
function integerRoot(x: bigint, n: number, approx: number): bigint {
  if (x < 2n || n === 1) return x;
  const bn = BigInt(n);
  const newton = (start: bigint): bigint => {
    let y = start;
    for (;;) {
      const next = ((bn - 1n) * y + x / y ** (bn - 1n)) / bn;
      if (next >= y) return y;
      y = next;
    }
  };
  const isRoot = (y: bigint) => y >= 0n && y ** bn <= x && (y + 1n) ** bn > x;
  if (Number.isFinite(approx) && approx > 0) {
    const y = newton(BigInt(Math.ceil(approx * (1 + 1e-9))) + 2n);
    if (isRoot(y)) return y;
  }
  // 2^ceil(bits/n) is always at or above the root, so Newton from there descends onto it.
  return newton(1n << BigInt(Math.ceil(x.toString(2).length / n)));
}

/** The greatest multiple of the tick at or below the line. */
function floorTick(line: RawLine, tick: Fixed): Fixed {
  return (line.twice / (2n * tick)) * tick;
}

/** The least multiple of the tick at or above the line (an inexact line lies strictly above `twice`). */
function ceilTick(line: RawLine, tick: Fixed): Fixed {
  return fixed.divRound(line.exact ? line.twice : line.twice + 1n, 2n * tick, 'ceil') * tick;
}

/** The nearest multiple of the tick, half to even: only an exact line can sit on a midpoint. */
function nearestTick(line: RawLine, tick: Fixed): Fixed {
  const t2 = 2n * tick;
  const down = line.twice / t2;
  const rest = line.twice - down * t2; // 0 .. 2·tick − 1, the midpoint is `tick`
  let up: boolean;
  if (!line.exact) up = rest >= tick;
  else if (rest === tick) up = down % 2n === 1n;
  else up = rest > tick;
  return (up ? down + 1n : down) * tick;
}

/** The line nearest the price (judged at 0.5·10⁻⁸, a tie going to the lower line): it carries no order. */
function nearestLine(lines: readonly RawLine[], price: Fixed): number {
  const p2 = 2n * price;
  const above = lines.findIndex((l) => l.twice >= p2);
  if (above <= 0) return above === 0 ? 0 : lines.length - 1;
  const below = lines[above - 1] as RawLine;
  return p2 - below.twice <= (lines[above] as RawLine).twice - p2 ? above - 1 : above;
}

/**
 * Binance's grid semantics on the level model: the line nearest `ref` is level 0 (no order), the lines below it are
 * levels −1, −2, … (buys, rounded down to the tick), the lines above +1, +2, … (sells, rounded up), the level-0 line to
 * the nearest tick, half to even. The side with fewer lines is padded with zero prices up to `levels` each side, which
 * re-arming already treats as "beyond the ladder".
 */
function rangePrices(range: GridRange, spacing: GridParams['spacing'], inst: Instrument, ref: Fixed) {
  const tick = inst.filters.priceFilter.tickSize;
  const lines = rawLines(range, spacing);
  const centre = nearestLine(lines, ref);
  const levels = Math.max(centre, range.grids - centre);
  const prices = new Array<Fixed>(2 * levels + 1).fill(ZERO);
  lines.forEach((line, j) => {
    const level = j - centre;
    prices[level + levels] = level < 0 ? floorTick(line, tick) : level > 0 ? ceilTick(line, tick) : nearestTick(line, tick);
  });
  return { prices, levels };
}

/** The price of every level −N..N for range-form params already resolved by `resolveRangeParams` (same ref). */
export function rangeLevelPrices(params: GridParams, inst: Instrument, ref: Fixed): Fixed[] {
  if (params.range === undefined) throw new Error('rangeLevelPrices needs range-form params');
  const { prices, levels } = rangePrices(params.range, params.spacing, inst, ref);
  if (levels !== params.levels) throw new Error(`range grid priced at ${format(ref)} has ${levels} levels, not ${params.levels}`);
  return prices;
}

/**
 * Checks the range form against the symbol and the price the ladder is built at (the trigger, or the price now) and
 * fills in `levels` (each side of the line nearest that price) and `spacingPct` (the narrowest grid, in percent of its
 * lower line, floored), so the rest of the grid runs on the level model unchanged.
 */
export function resolveRangeParams(params: GridParams, inst: Instrument, ref: Fixed): Result<GridParams> {
  const range = params.range;
  if (range === undefined) return ok(params);
  const { lower, upper, grids } = range;
  const tick = inst.filters.priceFilter.tickSize;
  const example = `/grid ${params.symbol} ${format(lower)}-${format(upper)} ${grids}`;
  if (!Number.isInteger(grids) || grids < MIN_RANGE_GRIDS || grids > MAX_RANGE_GRIDS) {
    return failure('INVALID_GRIDS', `GRIDS must be a whole number from ${MIN_RANGE_GRIDS} to ${MAX_RANGE_GRIDS} (got ${grids})`);
  }
  if (lower <= ZERO || lower >= upper) {
    return failure('INVALID_RANGE', `RANGE: the lower price ${format(lower)} must be above 0 and below the upper ${format(upper)}`);
  }
  if (lower < tick) {
    return failure('INVALID_RANGE', `RANGE: the lower price ${format(lower)} is under one tick of ${inst.symbol} (${format(tick)})`);
  }
  if (ref <= ZERO) return failure('NO_PRICE', `there is no usable price for ${params.symbol} yet`);
  if (ref <= lower || ref >= upper) {
    const what = params.trigger !== undefined ? `the trigger at=${format(ref)}` : `the price now, ${format(ref)},`;
    return failure(
      'OUTSIDE_RANGE',
      `${what} is outside the range ${format(lower)}–${format(upper)}: a range grid starts inside its range. ` +
        `Choose a range around it${params.trigger === undefined ? ', or add at=PRICE inside the range to wait for the market' : ''}.`,
    );
  }
  const { prices, levels } = rangePrices(range, params.spacing, inst, ref);
  const real = prices.filter((p) => p > ZERO);
  let minPct: Fixed | undefined;
  let maxPct = ZERO;
  for (let i = 1; i < real.length; i++) {
    const p0 = real[i - 1] as Fixed;
    const p1 = real[i] as Fixed;
    if (p1 <= p0) {
      return failure(
        'GRIDS_TOO_DENSE',
        `GRIDS: ${grids} grids over ${format(lower)}–${format(upper)} put neighbouring lines within one tick ` +
          `(${format(tick)}) of each other; use fewer grids or a wider range`,
      );
    }
    const pct = fixed.divRound(100n * (p1 - p0) * SCALE, p0, 'floor');
    if (minPct === undefined || pct < minPct) minPct = pct;
    if (pct > maxPct) maxPct = pct;
  }
  if (maxPct >= MAX_SPACING_PCT) {
    return failure(
      'GRIDS_TOO_WIDE',
      `GRIDS: one grid spans ${format(maxPct)} % of its price; a grid may span less than ${format(MAX_SPACING_PCT)} %, ` +
        'so use more grids',
    );
  }
  const tooSmall = perGridTooSmall(params.amountQuote, inst, real[real.length - 1] as Fixed);
  if (tooSmall !== undefined) {
    const per = `${format(params.amountQuote)} ${inst.quoteAsset} per grid`;
    const given =
      range.investQuote !== undefined
        ? `INVEST: ${format(range.investQuote)} ${inst.quoteAsset} over ${grids} grids is ${per}`
        : `INVEST: ${per}`;
    const atLeast = tooSmall * BigInt(grids);
    return failure(
      'INVESTMENT_TOO_SMALL',
      `${given}, too little for one order at the top line ${format(real[real.length - 1] as Fixed)} under ${inst.symbol}'s ` +
        `minimum order (${format(minNotionalOf(inst))} ${inst.quoteAsset}, ${format(inst.filters.lotSize.minQty)} ${inst.baseAsset}); ` +
        `invest at least ${format(atLeast)} ${inst.quoteAsset}, like ${example} ${format(atLeast)}`,
    );
  }
  return ok({ ...params, levels, spacingPct: minPct ?? ZERO });
}

/**
 * Undefined when `amount` buys an order at `top` (the dearest line) that meets the minimum quantity and notional;
 * otherwise a per-grid amount that would: the minimum plus one lot step at that price, rounded up to a whole unit.
 */
function perGridTooSmall(amount: Fixed, inst: Instrument, top: Fixed): Fixed | undefined {
  const minQty = inst.filters.lotSize.minQty;
  const minNotional = minNotionalOf(inst);
  const qty = roundQuantity(inst, fixed.div(amount, top, 'floor'));
  if (qty > ZERO && qty >= minQty && fixed.mul(top, qty, 'floor') >= minNotional) return undefined;
  const byQty = fixed.mul(top, minQty, 'ceil');
  const least = (byQty > minNotional ? byQty : minNotional) + fixed.mul(top, inst.filters.lotSize.stepSize, 'ceil');
  return fixed.roundTo(least, SCALE, 'ceil');
}
