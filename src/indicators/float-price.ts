import { type Candle, type Fixed, fixed, format } from '../domain/index.js';

/**
 * The one door from exact money into the library's float64: the nearest double to the exact decimal. Going through the
 * decimal text keeps that true for values past 2⁵³ units of 10⁻⁸, where Number(bigint) would round first.
 */
export function toNumber(value: Fixed): number {
  return Number(format(value));
}

/**
 * The one door back: an indicator's float as a price, a whole number of ticks, rounded by the caller's named mode.
 * The float is read as the shortest decimal that names it (what JavaScript prints, 7195.24 rather than the binary
 * 7195.2399999999997817…), so a value that is on a tick stays on it under floor and ceil alike. A zero tick (the filter
 * disabled) rounds to Fixed's own 10⁻⁸. A NaN or infinity is a bug upstream, never a price: it throws.
 */
export function indicatorPrice(value: number, tickSize: Fixed, mode: fixed.Rounding): Fixed {
  return roundFloat(value, tickSize > 0n ? tickSize : 1n, mode);
}

/** A float as a Fixed multiple of `step` (> 0), rounded by `mode`, read as its shortest decimal (see indicatorPrice). */
export function roundFloat(value: number, step: Fixed, mode: fixed.Rounding): Fixed {
  const { digits, exponent } = shortestDecimal(value);
  // value = digits × 10^exponent, that is digits × 10^(exponent + 8) units of 10⁻⁸.
  const shift = exponent + 8;
  const ticks =
    shift >= 0 ? fixed.divRound(digits * 10n ** BigInt(shift), step, mode) : fixed.divRound(digits, step * 10n ** BigInt(-shift), mode);
  return ticks * step;
}

/**
 * The finest decimal step every open, high, low and close in the candles sits on (0.01 for BTCUSDT's 7195.24), for
 * showing prices when the caller has no tick size at hand; 1 when the candles are all whole numbers (or absent).
 */
export function candlesPriceStep(candles: readonly Candle[]): Fixed {
  let step = fixed.SCALE;
  for (const c of candles) {
    for (const p of [c.open, c.high, c.low, c.close]) {
      while (step > 1n && p % step !== 0n) step /= 10n;
    }
    if (step === 1n) break;
  }
  return step;
}

/** How many decimals a tick has (0.01 → 2), so a price is shown with all of them. */
export function tickDecimals(tickSize: Fixed): number {
  let decimals = 8;
  let t = tickSize;
  while (decimals > 0 && t > 0n && t % 10n === 0n) {
    t /= 10n;
    decimals--;
  }
  return decimals;
}

function shortestDecimal(value: number): { digits: bigint; exponent: number } {
  if (!Number.isFinite(value)) throw new RangeError(`an indicator gave ${value}, which is no price`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (m === null) throw new RangeError(`unexpected number text ${String(value)}`);
  const frac = m[3] ?? '';
  const digits = BigInt(`${m[1] ?? ''}${m[2] ?? '0'}${frac}`);
  return { digits, exponent: Number(m[4] ?? '0') - frac.length };
}
