/**
 * Numbers as a trader reads them in chat lines (README "Numbers in the chat"): prices and averages to the symbol's
 * tick, quantities to its lot step, money to 2 decimals (4 for a value under 1), percentages to 2. Each rounds half-even
 * on the bigint, so no float touches money; the exact figure is what `exact` prints (`/pnl detail`, `/grids G1`).
 */
import { type Fixed, ZERO, fixed, format } from '../domain/index.js';
import { formatQuote } from './format.js';

/** A symbol's display steps: its tick size and lot step (exchangeInfo PRICE_FILTER and LOT_SIZE). */
export interface DisplaySteps {
  readonly tickSize: Fixed;
  readonly stepSize: Fixed;
}

/** Decimals a step shows with: 0.01 → 2, 0.00001 → 5, 1 → 0. */
export function decimalsOf(step: Fixed): number {
  const text = format(step);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** `value` rounded half-even to a multiple of `step`, with the step's decimals. */
function toStep(value: Fixed, step: Fixed): string {
  return format(fixed.roundTo(value, step, 'halfEven'), decimalsOf(step));
}

/** A price or an average, to the symbol's tick: "94611.33" for BTCUSDT, never "94611.33000025" (unknown tick: exact). */
export function price(value: Fixed, steps?: DisplaySteps): string {
  return steps && steps.tickSize > ZERO ? toStep(value, steps.tickSize) : formatQuote(value);
}

/** A base quantity, to the symbol's lot step: "0.23500" for BTCUSDT (unknown step: exact, trailing zeros trimmed). */
export function quantity(value: Fixed, steps?: DisplaySteps): string {
  return steps && steps.stepSize > ZERO ? toStep(value, steps.stepSize) : format(value);
}

/**
 * Money in the quote asset: 2 decimals, or up to 4 when its size is under 1 (trailing zeros beyond the second
 * trimmed): "12.35", "0.24", "0.1875", "-0.0021".
 */
export function money(value: Fixed): string {
  if (fixed.abs(value) >= 10n ** 8n) return format(value, 2);
  return format(value, 4)
    .replace(/(\.\d\d\d?)0+$/, '$1')
    .replace(/(\.\d\d)0$/, '$1');
}

/** Money with its sign: "+3.83", "-24.20"; a value that rounds to nothing reads "0.00". */
export function signedMoney(value: Fixed): string {
  const text = money(value);
  if (/^-?0\.0+$/.test(text)) return '0.00';
  return value > ZERO ? `+${text}` : text;
}

/** A percentage (12.5 means 12.5 %) to 2 decimals, signed: "+45.12", "-3.00". */
export function signedPercent(value: Fixed): string {
  const text = format(value, 2);
  if (/^-?0\.00$/.test(text)) return '0.00';
  return value > ZERO ? `+${text}` : text;
}

/** The exact figure, every decimal the books keep: for `/pnl detail` and `/grids G1`. */
export function exact(value: Fixed): string {
  return format(value);
}

/** The exact figure with its sign. */
export function signedExact(value: Fixed): string {
  return value > ZERO ? `+${format(value)}` : format(value);
}
