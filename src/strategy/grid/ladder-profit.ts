import { type Fixed, SCALE, ZERO, fixed } from '../../domain/index.js';
import type { GridPreview, LadderLevel } from './grid-types.js';

/**
 * Profit of one grid between adjacent levels i and i+1, maker fee f on both legs, quantity q:
 *   quote = q·p₍ᵢ₊₁₎ − q·pᵢ − q·pᵢ·f − q·p₍ᵢ₊₁₎·f   (the buy's fee, charged in base, valued at the buy price)
 *   pct   = 100 · (p₍ᵢ₊₁₎ − pᵢ − f·(pᵢ + p₍ᵢ₊₁₎)) / pᵢ   (independent of q)
 * Both are computed exactly and floored once. q is the quantity of the ladder order that opens the pair: the buy at
 * i below the reference, the sell at i+1 above it. Pairs whose opening level was dropped are skipped.
 */
export function profitPerGrid(
  prices: readonly Fixed[],
  levels: readonly LadderLevel[],
  n: number,
  makerFee: Fixed,
): GridPreview['profitPerGrid'] {
  const qtyAt = new Map<number, Fixed>();
  for (const l of levels) qtyAt.set(l.index, l.quantity);
  let minPct: Fixed | undefined;
  let maxPct: Fixed | undefined;
  let minQuote: Fixed | undefined;
  let maxQuote: Fixed | undefined;
  for (let i = -n; i < n; i++) {
    const q = qtyAt.get(i < 0 ? i : i + 1);
    if (q === undefined) continue;
    const p0 = prices[i + n] as Fixed;
    const p1 = prices[i + n + 1] as Fixed;
    if (p0 <= ZERO) continue;
    const perUnit = (p1 - p0) * SCALE - makerFee * (p0 + p1); // SCALE² units
    const pct = fixed.divRound(100n * perUnit, p0, 'floor');
    const quote = fixed.divRound(q * perUnit, SCALE * SCALE, 'floor');
    if (minPct === undefined || pct < minPct) minPct = pct;
    if (maxPct === undefined || pct > maxPct) maxPct = pct;
    if (minQuote === undefined || quote < minQuote) minQuote = quote;
    if (maxQuote === undefined || quote > maxQuote) maxQuote = quote;
  }
  return { minPct: minPct ?? ZERO, maxPct: maxPct ?? ZERO, minQuote: minQuote ?? ZERO, maxQuote: maxQuote ?? ZERO };
}
