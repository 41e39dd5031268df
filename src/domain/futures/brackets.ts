import { z } from 'zod';
import { type Fixed, SCALE, ZERO, format, parseFixed } from '../fixed.js';

/**
 * One notional tier of a symbol's leverage brackets (`GET /fapi/v1/leverageBracket`): a position whose notional is in
 * [notionalFloor, notionalCap) may use up to initialLeverage and keeps notional·maintMarginRatio − cum as maintenance.
 */
export interface LeverageBracket {
  readonly bracket: number;
  readonly initialLeverage: number;
  readonly notionalFloor: Fixed;
  readonly notionalCap: Fixed;
  readonly maintMarginRatio: Fixed;
  /** The maintenance amount, derived by the recurrence (README) and checked equal to what Binance sent. */
  readonly cum: Fixed;
}

/** A symbol's brackets, lowest notional first, contiguous from 0 (the parser refuses anything else). */
export interface SymbolBrackets {
  readonly symbol: string;
  readonly brackets: readonly LeverageBracket[];
}

/**
 * Binance sends these values as JSON numbers (facts file A.4). A number that came from a short decimal literal
 * prints back as that literal (JavaScript writes the shortest text that reads back to the same double), so
 * String(n) recovers 0.0065 exactly; exponent forms, over 8 decimals and non-finite values are refused, never
 * rounded. Decimal strings are accepted too, as every other Binance decimal is one.
 */
const decimal = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const text = typeof v === 'number' ? String(v) : v;
  const parsed = parseFixed(text);
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a decimal with at most 8 places, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return parsed;
});

const bracketSchema = z.object({
  bracket: z.int().min(1),
  initialLeverage: z.int().min(1).max(125),
  notionalCap: decimal,
  notionalFloor: decimal,
  maintMarginRatio: decimal,
  cum: decimal,
});

const symbolSchema = z.object({ symbol: z.string().min(1), brackets: z.array(bracketSchema).min(1) });

/**
 * Reads a leverageBracket response (already JSON-parsed) into each symbol's brackets: an array, or the single object
 * Binance answers when asked for one symbol (facts file A.4). Throws an Error naming the symbol, bracket and field for
 * a malformed value, a gap between tiers, a falling maintenance ratio or a `cum` the recurrence does not give: margin
 * maths on such tiers would be silently wrong.
 */
export function parseLeverageBrackets(json: unknown): SymbolBrackets[] {
  const parsed = Array.isArray(json) ? z.array(symbolSchema).safeParse(json) : symbolSchema.transform((s) => [s]).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
    throw new Error(`leverageBracket: ${where}: ${issue?.message ?? 'unreadable'}`);
  }
  return parsed.data.map((s) => ({ symbol: s.symbol, brackets: checkTiers(s.symbol, s.brackets) }));
}

function checkTiers(symbol: string, raw: readonly z.infer<typeof bracketSchema>[]): LeverageBracket[] {
  const out: LeverageBracket[] = [];
  let prev: LeverageBracket | undefined;
  for (const [i, b] of raw.entries()) {
    const at = `${symbol} bracket ${b.bracket}`;
    if (b.bracket !== i + 1) throw new Error(`leverageBracket: ${at} is at position ${i + 1}: brackets must be numbered 1, 2, … in order`);
    const floorWanted = prev?.notionalCap ?? ZERO;
    if (b.notionalFloor !== floorWanted)
      throw new Error(
        `leverageBracket: ${at} notionalFloor ${format(b.notionalFloor)} must equal ${format(floorWanted)} (tiers are contiguous from 0)`,
      );
    if (b.notionalCap <= b.notionalFloor)
      throw new Error(`leverageBracket: ${at} notionalCap ${format(b.notionalCap)} is not above its floor`);
    if (b.maintMarginRatio < ZERO || b.maintMarginRatio >= SCALE)
      throw new Error(`leverageBracket: ${at} maintMarginRatio ${format(b.maintMarginRatio)} is not in [0, 1)`);
    const prevRatio = prev?.maintMarginRatio ?? ZERO;
    if (b.maintMarginRatio < prevRatio)
      throw new Error(
        `leverageBracket: ${at} maintMarginRatio ${format(b.maintMarginRatio)} falls below the previous tier's ${format(prevRatio)}`,
      );
    // cum_n = floor_n·(MMR_n − MMR_{n−1}) + cum_{n−1}, cum_1 = 0 (facts file D.3): the product of two 8-place numbers
    // has 16 places, so the recurrence is exact only when it lands on 8; anything else is refused, not rounded.
    const step = b.notionalFloor * (b.maintMarginRatio - prevRatio);
    if (step % SCALE !== 0n) throw new Error(`leverageBracket: ${at} cum step ${format(b.notionalFloor)}·Δratio has more than 8 places`);
    const cum = (prev?.cum ?? ZERO) + step / SCALE;
    if (cum !== b.cum) throw new Error(`leverageBracket: ${at} cum is ${format(b.cum)} but the recurrence gives ${format(cum)}`);
    const tier: LeverageBracket = { ...b, cum };
    out.push(tier);
    prev = tier;
  }
  return out;
}

/**
 * The bracket for a notional (positive, in quote): floor ≤ notional < cap. Which bound Binance counts as inclusive
 * is UNVERIFIED; maintenance margin is continuous across a boundary (the cum recurrence makes both tiers give the same
 * figure there), so the choice shows only in the maximum leverage exactly at a cap. Past the last cap the last
 * bracket goes on (Binance refuses such a position; the maths stays defined for a liquidation price that lands there).
 */
export function bracketFor(brackets: SymbolBrackets, notional: Fixed): LeverageBracket {
  return brackets.brackets[bracketIndex(brackets.brackets, notional, 1n)] as LeverageBracket;
}

/**
 * Index of the bracket for the notional num/den (in Fixed units, den > 0), compared exactly without dividing: the
 * last tier whose floor ≤ notional. A notional below 0 takes the first tier.
 */
export function bracketIndex(tiers: readonly LeverageBracket[], num: bigint, den: bigint): number {
  let index = 0;
  for (let i = 1; i < tiers.length; i++) {
    if ((tiers[i] as LeverageBracket).notionalFloor * den <= num) index = i;
    else break;
  }
  return index;
}
