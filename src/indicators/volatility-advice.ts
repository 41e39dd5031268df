import { NATR } from 'trading-signals';
import { type Candle, type Fixed, type Result, SCALE, failure, fixed, format, fx, ok } from '../domain/index.js';
import { roundFloat, tickDecimals, toNumber } from './float-price.js';
import { ATR_PERIOD } from './parameters.js';

/** The last 24 hourly candles are the "last 24 h" whose range the levels are counted in. */
const RANGE_CANDLES = 24;
/** Spacings are whole hundredths of a percent, the grid command's own precision. */
const SPACING_UNIT: Fixed = fx('0.01');
/** The auto grid's levels each side: at least two so it can trade both ways, at most fifty so it stays readable. */
const AUTO_MIN_LEVELS = 2;
const AUTO_MAX_LEVELS = 50;

export interface VolatilityInput {
  /** Hourly candles, oldest first; NATR runs over all of them, the range over the last 24. */
  readonly hourly: readonly Candle[];
  /** The price the grid would start from. */
  readonly price: Fixed;
  readonly tickSize: Fixed;
  /** The maker fee as a fraction (0.001 is 0.1 %): a grid's levels rest as maker orders on both legs. */
  readonly makerFee: Fixed;
  /** The levels each side the owner asked for; the auto proposal keeps them (clamped) instead of the range's count. */
  readonly levels?: number;
}

interface AutoGrid {
  /** Levels each side of the price. */
  readonly levels: number;
  readonly spacingPct: Fixed;
  /** One line: the volatility, the spacing it gives, and how the levels were chosen. */
  readonly reasoning: string;
}

export interface VolatilityAdvice {
  /** NATR(14) on the hourly candles, a percent, half-even to 10⁻⁸. */
  readonly natrPct: Fixed;
  /** NATR / 2, half-even to 0.01 %. */
  readonly volatilitySpacingPct: Fixed;
  /** Twice a round trip (a maker buy and a maker sell): 2 × 2 × makerFee, as a percent, up to 0.01 %. */
  readonly feeFloorPct: Fixed;
  /** The larger of the two (and never under 0.01 %). */
  readonly spacingPct: Fixed;
  /** The fee floor decided the spacing. */
  readonly floored: boolean;
  readonly rangeLow: Fixed;
  readonly rangeHigh: Fixed;
  /** One level's step at the price: price × spacing, up to the tick (a level is never closer than its spacing). */
  readonly levelStep: Fixed;
  /** Whole steps in the last 24 h range: (high − low) / levelStep, floored. */
  readonly rangeLevels: number;
  readonly auto: AutoGrid;
  /** The grid preview's volatility line. */
  readonly line: string;
}

/**
 * Grid spacing from hourly volatility, Binance "AI parameters" style: NATR(14) on hourly candles (the library's, the
 * one float, rounded once), half of it as the spacing, floored at twice the round-trip fee, and the last 24 h range
 * counted in levels of that spacing. Everything after the NATR is exact.
 */
export function volatilityAdvice(input: VolatilityInput): Result<VolatilityAdvice> {
  const { hourly, price, tickSize, makerFee } = input;
  if (hourly.length < RANGE_CANDLES) {
    return failure('NOT_ENOUGH_CANDLES', `volatility needs the last ${RANGE_CANDLES} hourly candles (got ${hourly.length})`);
  }
  if (price <= 0n) return failure('NO_PRICE', 'there is no usable price to size the levels from');
  if (input.levels !== undefined && !Number.isInteger(input.levels)) {
    return failure('INVALID_LEVELS', `levels must be a whole number (got ${input.levels})`);
  }

  const natr = new NATR(ATR_PERIOD);
  for (const c of hourly) natr.add({ high: toNumber(c.high), low: toNumber(c.low), close: toNumber(c.close) });
  const natrPct = roundFloat(natr.getResultOrThrow(), 1n, 'halfEven');

  const volatilitySpacingPct = fixed.divRound(natrPct, 2n * SPACING_UNIT, 'halfEven') * SPACING_UNIT;
  // makerFee is a fraction: × 100 makes it a percent, × 2 a round trip, × 2 again the floor.
  const feeFloorPct = fixed.roundTo(400n * makerFee, SPACING_UNIT, 'ceil');
  const spacingPct = max(max(volatilitySpacingPct, feeFloorPct), SPACING_UNIT);
  const floored = feeFloorPct > volatilitySpacingPct;

  const last = hourly.slice(-RANGE_CANDLES);
  const rangeHigh = last.reduce((h, c) => max(h, c.high), 0n);
  const rangeLow = last.reduce((l, c) => (c.low < l ? c.low : l), rangeHigh);
  const levelStep = fixed.roundTo(fixed.divRound(price * spacingPct, 100n * SCALE, 'ceil'), tickSize, 'ceil');
  const rangeLevels = Number((rangeHigh - rangeLow) / levelStep);

  const decimals = tickDecimals(tickSize);
  const pct = (p: Fixed): string => `${format(p, 2)} %`;
  const fee = `${format(makerFee * 100n)} %`;
  const raised =
    spacingPct === volatilitySpacingPct
      ? ''
      : floored
        ? `, raised to the fee floor ${pct(spacingPct)} (twice a ${fee} + ${fee} maker round trip)`
        : `, raised to the ${pct(SPACING_UNIT)} minimum`;
  const volatility = `NATR(${ATR_PERIOD},1h) ${pct(natrPct)} → spacing ${pct(volatilitySpacingPct)}${raised}`;
  const range = `the last 24 h range ${format(rangeLow, decimals)}–${format(rangeHigh, decimals)} spans ${plural(rangeLevels)}`;

  const asked = input.levels;
  const levels = Math.min(AUTO_MAX_LEVELS, Math.max(AUTO_MIN_LEVELS, asked ?? rangeLevels));
  const choice =
    asked === undefined
      ? `${plural(levels)} each side${levels !== rangeLevels ? ` (${levels < rangeLevels ? 'at most' : 'at least'} ${levels})` : ''}`
      : levels === asked
        ? `keeping your ${plural(levels)} each side`
        : `${plural(levels)} each side (you asked ${asked}; auto keeps ${AUTO_MIN_LEVELS}–${AUTO_MAX_LEVELS})`;

  return ok({
    natrPct,
    volatilitySpacingPct,
    feeFloorPct,
    spacingPct,
    floored,
    rangeLow,
    rangeHigh,
    levelStep,
    rangeLevels,
    auto: { levels, spacingPct, reasoning: `${volatility}; ${range} → ${choice}` },
    line: `Volatility: ${volatility}; ${range} at ${pct(spacingPct)}`,
  });
}

function max(a: Fixed, b: Fixed): Fixed {
  return a > b ? a : b;
}

function plural(levels: number): string {
  return `${levels} level${levels === 1 ? '' : 's'}`;
}
