import { type Fixed, SCALE, ZERO, fixed } from '../../domain/index.js';
import type { GridPreview, LadderLevel } from './grid-types.js';

/**
 * Profit of one grid between adjacent levels i and i+1, maker fee f on both legs, level quantity q (what the sell
 * sells) and buy quantity b (q sized up for a fee taken in base, see level-sizing.ts; b = q otherwise):
 *   quote = q·p₍ᵢ₊₁₎ − q·pᵢ − b·pᵢ·f − q·p₍ᵢ₊₁₎·f   (the buy's fee, on all it buys, valued at the buy price)
 *   pct   = 100 · quote / (q·pᵢ)                  (independent of q when b = q)
 * The base bought over q and its fee (b·(1 − f) − q) is the grid's dust: still held, so not a cost of the round trip.
 * Both are computed exactly and floored once. q is the level quantity of the ladder order that opens the pair: the
 * buy at i below the reference, the sell at i+1 above it. Pairs whose opening level was dropped are skipped.
 */
export function profitPerGrid(
  prices: readonly Fixed[],
  levels: readonly LadderLevel[],
  n: number,
  makerFee: Fixed,
  buyQuantity: (levelQty: Fixed) => Fixed = (q) => q,
): GridPreview['profitPerGrid'] {
  const qtyAt = new Map<number, Fixed>();
  for (const l of levels) qtyAt.set(l.index, l.sellQuantity ?? l.quantity);
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
    if (q <= ZERO) continue;
    const b = buyQuantity(q);
    const net = q * (p1 - p0) * SCALE - makerFee * (b * p0 + q * p1); // SCALE³ units
    const pct = fixed.divRound(100n * net, q * p0, 'floor');
    const quote = fixed.divRound(net, SCALE * SCALE, 'floor');
    if (minPct === undefined || pct < minPct) minPct = pct;
    if (maxPct === undefined || pct > maxPct) maxPct = pct;
    if (minQuote === undefined || quote < minQuote) minQuote = quote;
    if (maxQuote === undefined || quote > maxQuote) maxQuote = quote;
  }
  return { minPct: minPct ?? ZERO, maxPct: maxPct ?? ZERO, minQuote: minQuote ?? ZERO, maxQuote: maxQuote ?? ZERO };
}
