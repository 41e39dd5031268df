/**
 * Exact decimal numbers as bigint fixed-point with 8 decimals (1 = 100_000_000n).
 *
 * Why not a decimal library: Binance quotes every price, quantity and balance with at most 8 decimals, so a
 * scaled bigint is exact for everything the exchange can express, compares with native operators, and costs no
 * allocation in the per-tick hot path (a decimal.js object per comparison would cap the engine far below 1M ticks/s).
 * Multiplication and division are the only places precision can be lost; each takes an explicit rounding mode.
 */
export type Fixed = bigint;

const DECIMALS = 8;
/** 1 as a raw Fixed (10⁸), and the divisor that brings a product of two Fixed back to scale. */
export const SCALE = 100_000_000n;
export const ZERO: Fixed = 0n;

export type Rounding = 'floor' | 'ceil' | 'halfEven';

const PATTERN = /^([+-])?(\d+)(?:\.(\d*))?$|^([+-])?\.(\d+)$/;

/** Parses a plain decimal string ("0.00100000", "-12", ".5"); undefined when it is not one or has over 8 decimals of significance. */
export function parseFixed(text: string): Fixed | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  const sign = (m[1] ?? m[4]) === '-' ? -1n : 1n;
  const whole = m[2] ?? '0';
  let frac = (m[3] ?? m[5] ?? '').replace(/0+$/, '');
  if (frac.length > DECIMALS) return undefined;
  frac = frac.padEnd(DECIMALS, '0');
  return sign * (BigInt(whole) * SCALE + BigInt(frac));
}

/** Parses a decimal literal the code itself wrote; throws on a typo because that is a bug, not input. */
export function fx(text: string): Fixed {
  const v = parseFixed(text);
  if (v === undefined) throw new Error(`not an 8-decimal number: ${text}`);
  return v;
}

export function fromInt(n: number | bigint): Fixed {
  return BigInt(n) * SCALE;
}

/** Formats with trailing zeros trimmed, or with exactly `decimals` places when given (truncating is never silent: it rounds half-even). */
export function format(value: Fixed, decimals?: number): string {
  let v = value;
  if (decimals !== undefined && decimals < DECIMALS) {
    const unit = 10n ** BigInt(DECIMALS - decimals);
    v = roundTo(v, unit, 'halfEven');
  }
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const whole = abs / SCALE;
  let frac = (abs % SCALE).toString().padStart(DECIMALS, '0');
  frac = decimals === undefined ? frac.replace(/0+$/, '') : frac.slice(0, decimals);
  return `${neg ? '-' : ''}${whole}${frac.length > 0 ? `.${frac}` : ''}`;
}

/** Integer division of bigints with an explicit rounding mode. */
export function divRound(n: bigint, d: bigint, mode: Rounding): bigint {
  // Money is almost always non-negative: that case takes one division (each bigint operation allocates).
  if (n >= 0n && d > 0n) return divNonNegative(n, d, mode);
  if (d === 0n) throw new RangeError('division by zero');
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  const r = an % ad;
  if (r !== 0n) {
    if (mode === 'halfEven') {
      const twice = 2n * r;
      if (twice > ad || (twice === ad && q % 2n === 1n)) q += 1n;
    } else if ((mode === 'ceil') !== neg) {
      q += 1n;
    }
  }
  return neg ? -q : q;
}

/** divRound for n ≥ 0, d > 0, where bigint division (which truncates) already floors. */
function divNonNegative(n: bigint, d: bigint, mode: Rounding): bigint {
  const q = n / d;
  if (mode === 'floor') return q;
  const r = n % d;
  if (r === 0n) return q;
  if (mode === 'ceil') return q + 1n;
  const twice = r + r;
  return twice > d || (twice === d && (q & 1n) === 1n) ? q + 1n : q;
}

/** Half of SCALE: a remainder above it rounds a product half-even up, without doubling it (a bigint allocation). */
const HALF_SCALE = SCALE / 2n;

export function mul(a: Fixed, b: Fixed, mode: Rounding = 'halfEven'): Fixed {
  const n = a * b;
  if (n < 0n) return divRound(n, SCALE, mode);
  // divNonNegative with the divisor known: the fill path's products are all non-negative.
  const q = n / SCALE;
  if (mode === 'floor') return q;
  const r = n % SCALE;
  if (r === 0n) return q;
  if (mode === 'ceil') return q + 1n;
  return r > HALF_SCALE || (r === HALF_SCALE && (q & 1n) === 1n) ? q + 1n : q;
}

export function div(a: Fixed, b: Fixed, mode: Rounding = 'halfEven'): Fixed {
  return divRound(a * SCALE, b, mode);
}

/** Rounds to a multiple of `step` (a tick or lot step); a zero step means the filter is disabled. */
export function roundTo(value: Fixed, step: Fixed, mode: Rounding): Fixed {
  if (step <= 0n) return value;
  return divRound(value, step, mode) * step;
}

export function isMultipleOf(value: Fixed, step: Fixed): boolean {
  return step <= 0n || value % step === 0n;
}

export function abs(a: Fixed): Fixed {
  return a < 0n ? -a : a;
}

/** Percent as a fraction: pct(fx('0.5')) is 0.005. */
export function percent(p: Fixed): Fixed {
  return divRound(p, 100n, 'halfEven');
}
