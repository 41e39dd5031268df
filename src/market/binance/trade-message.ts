import { type TradeTick, parseFixed } from '../../domain/index.js';

/** Why a combined-stream frame produced no trade: Binance announced a shutdown, or the frame is not a trade we read. */
export interface StreamSkip {
  readonly skip: 'shutdown' | 'invalid';
  readonly reason: string;
}

const SHUTDOWN: StreamSkip = { skip: 'shutdown', reason: 'server shutdown announced' };

function invalid(reason: string): StreamSkip {
  return { skip: 'invalid', reason };
}

/**
 * Reads one combined-stream frame `{"stream","data":{e:"trade",s,t,p,q,T,m}}` into an exact TradeTick; anything else
 * (bad JSON, a missing or mistyped field, a non-positive price or quantity) is a StreamSkip, never an exception.
 */
export function parseTradeFrame(text: string): TradeTick | StreamSkip {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return invalid('not JSON');
  }
  if (typeof frame !== 'object' || frame === null) return invalid('not an object');
  const data = (frame as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return invalid('no data object');
  const d = data as { e?: unknown; s?: unknown; t?: unknown; p?: unknown; q?: unknown; T?: unknown; m?: unknown };
  if (d.e !== 'trade') return d.e === 'serverShutdown' ? SHUTDOWN : invalid(`not a trade event: ${String(d.e)}`);
  const { s, t, p, q, T, m } = d;
  if (typeof s !== 'string' || s.length === 0) return invalid('bad symbol');
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0) return invalid('bad trade id');
  if (typeof T !== 'number' || !Number.isSafeInteger(T) || T < 0) return invalid('bad trade time');
  if (typeof m !== 'boolean') return invalid('bad buyer-maker flag');
  const price = typeof p === 'string' ? decimal(p) : undefined;
  if (price === undefined || price <= 0n) return invalid('bad price');
  const quantity = typeof q === 'string' ? decimal(q) : undefined;
  if (quantity === undefined || quantity <= 0n) return invalid('bad quantity');
  return { symbol: s, price, quantity, time: T, tradeId: t, isBuyerMaker: m };
}

/**
 * Binance prints stream decimals with exactly 8 places ("0.00100000"): then the digits without the point are the Fixed
 * value, and up to 15 of them fit a double exactly, so one BigInt call replaces parseFixed's regex and string work on
 * the hot path. Any other spelling goes through parseFixed.
 */
function decimal(text: string): bigint | undefined {
  const n = text.length;
  if (n < 10 || n > 16 || text.charCodeAt(n - 9) !== 46) return parseFixed(text);
  let v = 0;
  for (let i = 0; i < n; i++) {
    if (i === n - 9) continue;
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return parseFixed(text);
    v = v * 10 + d;
  }
  return BigInt(v);
}

/** True when `parseTradeFrame` gave no trade. */
export function isSkip(r: TradeTick | StreamSkip): r is StreamSkip {
  return 'skip' in r;
}
