import { type Fixed, parseFixed } from '../../../domain/index.js';
import { type Checked, illegalChars, invalidValue, isRestError, mandatory, restError, tooMuchPrecision } from './rest-error.js';

const DECIMAL = /^([0-9]{1,20})(\.[0-9]{1,20})?$/;
const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';
const INTEGER = /^[0-9]{1,20}$/;
const INTEGER_RANGE = '^[0-9]{1,20}$';

/**
 * A request's parameters from the query string and the form body, the query's value winning when both carry one
 * (PROTOCOLS A.6). Empty values count as absent, as Binance's "was empty/null" wording says.
 */
export class Params {
  private readonly values = new Map<string, string>();
  readonly duplicated: string | undefined;

  constructor(query: string, body: string) {
    let dup: string | undefined;
    const fromQuery = new Set<string>();
    for (const [k, v] of new URLSearchParams(query)) {
      if (fromQuery.has(k)) dup ??= k;
      fromQuery.add(k);
      this.values.set(k, v);
    }
    for (const [k, v] of new URLSearchParams(body)) if (!fromQuery.has(k)) this.values.set(k, v);
    this.duplicated = dup;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  get(name: string): string | undefined {
    const v = this.values.get(name);
    return v === undefined || v === '' ? undefined : v;
  }

  required(name: string): Checked<string> {
    return this.get(name) ?? mandatory(name);
  }

  /** A non-negative decimal with at most 8 decimals of significance; -1100 for junk, -1111 for excess precision. */
  decimal(name: string): Checked<Fixed | undefined> {
    const text = this.get(name);
    if (text === undefined) return undefined;
    if (!DECIMAL.test(text)) return illegalChars(name, DECIMAL_RANGE);
    return parseFixed(text) ?? tooMuchPrecision(name);
  }

  /** A non-negative integer (ids, times, limits). */
  integer(name: string): Checked<number | undefined> {
    const text = this.get(name);
    if (text === undefined) return undefined;
    if (!INTEGER.test(text)) return illegalChars(name, INTEGER_RANGE);
    const n = Number(text);
    return Number.isSafeInteger(n)
      ? n
      : restError(-1100, `Illegal characters found in parameter '${name}'; legal range is '${INTEGER_RANGE}'.`);
  }

  /** `limit`: `fallback` when absent, else 1 to `max` (-1130 outside it, as Binance answers). */
  limit(fallback: number, max: number): Checked<number> {
    const limit = this.integer('limit');
    if (isRestError(limit)) return limit;
    const n = limit ?? fallback;
    return n < 1 || n > max ? invalidValue('limit') : n;
  }
}
