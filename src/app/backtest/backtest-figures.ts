import { type Fixed, SCALE, ZERO, fixed } from '../../domain/index.js';

const YEAR_MS = 365n * 86_400_000n;
const PERCENT = 100n * SCALE;

/** `part` as a percent of `whole` (half-even); zero when `whole` is not positive. */
export function pctOf(part: Fixed, whole: Fixed): Fixed {
  return whole > ZERO ? fixed.divRound(part * PERCENT, whole, 'halfEven') : ZERO;
}

/** A return over `elapsedMs`, annualised simply (return × year / elapsed), as /grids' APR is; zero with no time. */
export function annualisedPct(returnPct: Fixed, elapsedMs: number): Fixed {
  return elapsedMs > 0 ? fixed.divRound(returnPct * YEAR_MS, BigInt(elapsedMs), 'halfEven') : ZERO;
}

/** The largest fall from a running peak, in percent of that peak, over values in time order. */
export function maxDrawdownPct(values: Iterable<Fixed>): Fixed {
  let peak: Fixed | undefined;
  let worst = ZERO;
  for (const v of values) {
    if (peak === undefined || v > peak) peak = v;
    const fall = pctOf(peak - v, peak);
    if (fall > worst) worst = fall;
  }
  return worst;
}

/** Per day over `elapsedMs`, two decimals' worth of exactness kept (a count is whole; the rate is Fixed). */
export function perDay(count: number, elapsedMs: number): Fixed {
  return elapsedMs > 0 ? fixed.divRound(BigInt(count) * SCALE * 86_400_000n, BigInt(elapsedMs), 'halfEven') : ZERO;
}
