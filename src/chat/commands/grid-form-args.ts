import { type Fixed, ZERO, format, parseFixed } from '../../domain/index.js';
import type { Check, RawArgs } from '../args.js';

/**
 * The words of `/grid`'s range form, `/grid SYMBOL LOWER-UPPER GRIDS [INVEST]`. Both forms share the positional slots
 * (SYMBOL LEVELS SPACING AMOUNT); a second word with a dash inside it, like `90000-100000`, is a range, and then the
 * next two words are GRIDS and INVEST, renamed here so each argument is checked and named as what it is.
 */
export const RANGE_EXAMPLE = '/grid BTCUSDT 90000-100000 20 1000';

/** Marks a required argument the owner left out, so its own check can say so by its own name. */
const MISSING = '\u0000missing';

/** True for a word like `90000-100000`: a dash with something on both sides (a leading minus is a negative number). */
function looksLikeRange(word: string | undefined): word is string {
  return word !== undefined && word.indexOf('-') > 0;
}

/** Renames the positional words of the range form and marks each form's required words that are missing. */
export function routeGridForm(raw: RawArgs): RawArgs {
  const { LEVELS, SPACING, AMOUNT, ...rest } = raw;
  // `/grid SYMBOL auto [AMOUNT]`: the volatility chooses levels and spacing, so the second word is the amount.
  if (raw.AUTO !== undefined) return { ...rest, AMOUNT: LEVELS, ...(SPACING !== undefined ? { AUTO_EXTRA: SPACING } : {}) };
  if (looksLikeRange(LEVELS)) return { ...rest, RANGE: LEVELS, GRIDS: SPACING ?? MISSING, INVEST: AMOUNT };
  return { ...rest, LEVELS: LEVELS ?? MISSING, SPACING: SPACING ?? MISSING, AMOUNT };
}

/** A check for an argument one form requires and the other does not have: absent passes, marked missing does not. */
export function whenGiven<T>(name: string, check: (text: string) => Check<T>, missing = `${name} is missing.`) {
  return (text: string): Check<T> => (text === MISSING ? { problem: missing } : check(text));
}

export interface PriceRange {
  readonly lower: Fixed;
  readonly upper: Fixed;
}

/** `LOWER-UPPER`: two prices, the lower first. */
export function priceRange(name: string): (text: string) => Check<PriceRange> {
  return (text) => {
    const dash = text.indexOf('-');
    const lower = parseFixed(text.slice(0, dash));
    const upper = parseFixed(text.slice(dash + 1));
    if (lower === undefined || upper === undefined || lower <= ZERO || upper <= ZERO) {
      return { problem: `${name} must be two prices LOWER-UPPER with at most 8 decimals, like 90000-100000, got '${text}'.` };
    }
    if (lower >= upper) {
      return {
        problem: `${name}: the lower price ${format(lower)} must be below the upper price ${format(upper)}, like 90000-100000.`,
      };
    }
    return { value: { lower, upper } };
  };
}

export type Investment = { readonly kind: 'total' | 'perGrid'; readonly amount: Fixed };

/** `1000` or `1000USDT` (the total), `50/grid` or `50USDT/grid` (each grid's amount). */
export function investment(name: string, quoteAsset: string): (text: string) => Check<Investment> {
  return (text) => {
    let word = text.toUpperCase();
    const perGrid = word.endsWith('/GRID');
    if (perGrid) word = word.slice(0, -'/GRID'.length);
    if (word.endsWith(quoteAsset)) word = word.slice(0, -quoteAsset.length);
    const amount = parseFixed(word);
    if (amount !== undefined && amount > ZERO) return { value: { kind: perGrid ? 'perGrid' : 'total', amount } };
    return {
      problem:
        `${name} must be the total ${quoteAsset} to invest, like 1000 or 1000${quoteAsset}, or an amount per grid, ` +
        `like 50/grid, above 0 with at most 8 decimals; got '${text}'.`,
    };
  };
}
