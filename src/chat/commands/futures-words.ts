import { MAX_FUTURES_LEVERAGE } from '../../strategy/index.js';
import type { Check } from '../args.js';

/**
 * A futures grid without xN trades at x1 (chosen: Binance's account default is 20x, which a grid typed without a
 * leverage should not get by accident) and on isolated margin (chosen: the grid's losses stop at its own margin).
 * /grid and `telegrid backtest` read the words alike, so both take these from here.
 */
export const DEFAULT_FUTURES_LEVERAGE = 1;
export const DEFAULT_FUTURES_MARGIN = 'isolated';

/** `x5`: a whole leverage from x1 to x125 (the symbol's brackets may allow less; the preview says so). */
export function leverageWord(text: string): Check<number> {
  const n = /^x\d{1,3}$/.test(text) ? Number(text.slice(1)) : Number.NaN;
  return n >= 1 && n <= MAX_FUTURES_LEVERAGE
    ? { value: n }
    : { problem: `LEVERAGE must be x followed by a whole number from 1 to ${MAX_FUTURES_LEVERAGE}, like x5, got '${text}'.` };
}

/** The answer to xN, cross or isolated typed without a direction; `example` is a futures grid in the caller's form. */
export function directionMissing(word: string, example: string): string {
  return `${word} is for futures grids: add long, short or neutral, like ${example}.`;
}
