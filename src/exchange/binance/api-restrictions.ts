import { type Result, err, ok } from '../../domain/index.js';
import type { MappingProblem } from './wire-readers.js';

/**
 * What an API key may do (GET /sapi/v1/account/apiRestrictions). The four the bot judges by are required; the rest are
 * optional because Binance adds permissions over time and an older answer (or account) may not carry them.
 */
export interface ApiRestrictions {
  readonly ipRestrict: boolean;
  readonly enableReading: boolean;
  readonly enableSpotAndMarginTrading: boolean;
  readonly enableWithdrawals: boolean;
  /** ms, when the key was created; undefined when not reported. */
  readonly createTime?: number;
  readonly enableInternalTransfer?: boolean;
  readonly enableMargin?: boolean;
  readonly enableFutures?: boolean;
  readonly permitsUniversalTransfer?: boolean;
  readonly enableVanillaOptions?: boolean;
  readonly enableFixApiTrade?: boolean;
  readonly enableFixReadOnly?: boolean;
  readonly enablePortfolioMarginTrading?: boolean;
}

const REQUIRED = ['ipRestrict', 'enableReading', 'enableSpotAndMarginTrading', 'enableWithdrawals'] as const;
const OPTIONAL = [
  'enableInternalTransfer',
  'enableMargin',
  'enableFutures',
  'permitsUniversalTransfer',
  'enableVanillaOptions',
  'enableFixApiTrade',
  'enableFixReadOnly',
  'enablePortfolioMarginTrading',
] as const;

type Writable = { -readonly [K in keyof ApiRestrictions]: ApiRestrictions[K] };

/** Strict: a permission that is not a JSON boolean is refused, never guessed (a wrong "false" would pass a withdrawing key). */
export function mapApiRestrictions(raw: unknown): Result<ApiRestrictions, MappingProblem> {
  const bad = (message: string) => err<MappingProblem>({ code: 'BAD_RESPONSE', message: `API key restrictions: ${message}` });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('not an object');
  const o = raw as Readonly<Record<string, unknown>>;
  const out: Partial<Writable> = {};
  for (const k of REQUIRED) {
    const v = o[k];
    if (typeof v !== 'boolean') return bad(`${k} is not a boolean`);
    out[k] = v;
  }
  for (const k of OPTIONAL) {
    const v = o[k];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') return bad(`${k} is not a boolean`);
    out[k] = v;
  }
  const created = o.createTime;
  if (created !== undefined) {
    // json-bigint may hand over a BigNumber for a large number; its String() keeps the digits.
    const s = typeof created === 'number' ? String(created) : typeof created === 'object' && created !== null ? String(created) : '';
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) return bad('createTime is not a time in ms');
    out.createTime = Number(s);
  }
  return ok(out as ApiRestrictions);
}
