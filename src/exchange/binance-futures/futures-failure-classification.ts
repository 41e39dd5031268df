import { type CallKind, classifyFailure } from '../binance/index.js';
import type { GatewayFailure } from '../gateway.js';

/**
 * /fapi refusals that change nothing (facts A.5): margin (-2019), reduce-only conflict (-2022), position side (-4061),
 * PERCENT_PRICE (-4016/-4024), tick (-4014), step (-4023), MARKET without a counterparty in the band (-4131),
 * duplicate client id (-4116), min notional (-4164), FOK (-5021) and post-only (-5022) that could not rest, and the
 * other order, quantity, leverage and position-mode refusals listed beside them. The spot adapter's set (-1100…-1199,
 * -2011, -2013, -1021, -1022…) applies too.
 */
const FUTURES_REJECTED: ReadonlySet<number> = new Set([
  -2019, -2021, -2022, -2025, -2027, -4003, -4004, -4005, -4013, -4002, -4014, -4015, -4016, -4023, -4024, -4028, -4047, -4048, -4059,
  -4060, -4061, -4062, -4067, -4068, -4116, -4118, -4120, -4131, -4161, -4164, -4400, -4401, -5021, -5022, -1125,
]);

/** -1008: the server throttled the request before acting on it (reduce-only and close orders are exempt on Binance). */
const THROTTLED = -1008;

function binanceCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') return code;
  if (typeof code === 'string' && /^-\d+$/.test(code)) return Number(code);
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The spot classification (timeouts, 5xx and -1007 unknown for a placement; 429/418 rate limited with Retry-After;
 * refused connections retryable) with the futures codes on top. A -4116 duplicate client id is rejected as the task
 * asks: unlike spot's "Duplicate order sent." the caller, who made the id deterministic, asks by that id to settle it.
 */
export function classifyFuturesFailure(error: unknown, kind: CallKind, serverNow: number): GatewayFailure {
  const code = binanceCode(error);
  if (code !== undefined) {
    if (FUTURES_REJECTED.has(code)) return { kind: 'rejected', code: `BINANCE_${code}`, message: messageOf(error) };
    if (code === THROTTLED) return { kind: 'retryable', code: `BINANCE_${code}`, message: messageOf(error) };
  }
  return classifyFailure(error, kind, serverNow);
}
