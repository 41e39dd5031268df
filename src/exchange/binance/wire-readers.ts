/**
 * Readers of Binance's JSON, shared by the spot and the USD-M mappings: each throws `Bad` naming the field, and
 * `attempt` turns that into a MappingProblem at a mapping function's edge.
 */
import { type Fixed, type Result, type SymbolFilters, ok, parseFixed } from '../../domain/index.js';

/** Why a Binance payload (/api or /fapi) could not be read; the caller decides whether that is retryable or an unknown outcome. */
export interface MappingProblem {
  readonly code: 'BAD_RESPONSE';
  readonly message: string;
}

export type Mapped<T> = Result<T, MappingProblem>;

/** Thrown by the readers below, turned into a MappingProblem by `attempt` at each mapping function's edge. */
export class Bad extends Error {}

export type Obj = Readonly<Record<string, unknown>>;

export function obj(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Bad(`${what} is not an object`);
  return v as Obj;
}

export function arr(v: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(v)) throw new Bad(`${what} is not an array`);
  return v;
}

/** json-bigint hands integers above 2^53 over as BigNumber objects; their toString() keeps every digit. */
function isBigNumber(v: unknown): v is { toFixed(): string } {
  return typeof v === 'object' && v !== null && typeof (v as { toFixed?: unknown }).toFixed === 'function';
}

/** Strings as sent; numbers and BigNumbers through String(), which keeps their digits. */
export function text(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (isBigNumber(v)) return String(v);
  throw new Bad(`${what} is missing`);
}

/** Binance sends decimals as strings; a JSON number could already have lost digits, so it is refused. */
export function dec(v: unknown, what: string): Fixed {
  if (typeof v !== 'string') throw new Bad(`${what} is not a decimal string`);
  const f = parseFixed(v);
  if (f === undefined) throw new Bad(`${what} "${v}" is not an exact 8-decimal number`);
  return f;
}

/**
 * A decimal Binance sends as a JSON number (leverageBracket, maxNotionalValue in some answers): the shortest text that
 * reads back to the same double is the literal Binance wrote, so String(n) recovers it; anything past 8 places is refused.
 */
export function decOrNumber(v: unknown, what: string): Fixed {
  if (typeof v === 'number' && Number.isFinite(v)) return dec(String(v), what);
  if (isBigNumber(v)) return dec(String(v), what);
  return dec(v, what);
}

/** A count or a time in ms: must be a safe integer. */
export function int(v: unknown, what: string): number {
  const s = text(v, what);
  if (!/^-?\d+$/.test(s)) throw new Bad(`${what} "${s}" is not an integer`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new Bad(`${what} ${s} is beyond a safe integer`);
  return n;
}

/** An id kept as its digits, whatever its size (ETHUSDT order ids exceed 2^53). */
export function id(v: unknown, what: string): string {
  const s = text(v, what);
  if (!/^\d+$/.test(s)) throw new Bad(`${what} "${s}" is not an id`);
  return s;
}

export function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw new Bad(`${what} is not a boolean`);
  return v;
}

export function attempt<T>(what: string, build: () => T): Mapped<T> {
  try {
    return ok(build());
  } catch (e) {
    if (e instanceof Bad) return { ok: false, error: { code: 'BAD_RESPONSE', message: `unreadable ${what}: ${e.message}` } };
    throw e;
  }
}

/** LOT_SIZE and MARKET_LOT_SIZE read alike on spot and USD-M. */
export function lot(f: Obj, name: string): SymbolFilters['lotSize'] {
  return {
    minQty: dec(f.minQty, `${name}.minQty`),
    maxQty: dec(f.maxQty, `${name}.maxQty`),
    stepSize: dec(f.stepSize, `${name}.stepSize`),
  };
}
