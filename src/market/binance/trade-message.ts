import { type Fixed, type TradeTick, parseFixed, perpetualSymbol } from '../../domain/index.js';

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

/** True when `parseTradeFrame` (or `parseFuturesFrame`) gave no trade. */
export function isSkip(r: TradeTick | MarkFrame | StreamSkip): r is StreamSkip {
  return 'skip' in r;
}

/** A USD-M `markPriceUpdate`, the symbol already the bot's `.P` name. */
export interface MarkFrame {
  readonly mark: {
    readonly symbol: string;
    readonly markPrice: Fixed;
    readonly fundingRate: Fixed;
    readonly nextFundingTime: number;
    readonly time: number;
  };
}

/**
 * Reads one USD-M combined-stream frame: `aggTrade` `{s,a,p,q,T,m}` into a TradeTick for `<s>.P` (the aggregate id as
 * the trade id: it grows per symbol, which the rotation's dedupe needs), `markPriceUpdate` `{E,s,p,r,T}` into a
 * MarkFrame; anything else is a StreamSkip, never an exception.
 */
export function parseFuturesFrame(text: string): TradeTick | MarkFrame | StreamSkip {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return invalid('not JSON');
  }
  if (typeof frame !== 'object' || frame === null) return invalid('not an object');
  const data = (frame as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return invalid('no data object');
  const d = data as { e?: unknown; E?: unknown; s?: unknown; a?: unknown; p?: unknown; q?: unknown; r?: unknown; T?: unknown; m?: unknown };
  if (typeof d.s !== 'string' || d.s.length === 0) return d.e === 'serverShutdown' ? SHUTDOWN : invalid('bad symbol');
  const symbol = perpetualSymbol(d.s);
  if (d.e === 'markPriceUpdate') {
    const markPrice = typeof d.p === 'string' ? parseFixed(d.p) : undefined;
    // Signed; Binance sends "" between settlements of some contracts: no coming rate, zero.
    const fundingRate = typeof d.r === 'string' ? (d.r === '' ? 0n : parseFixed(d.r)) : undefined;
    if (markPrice === undefined || markPrice <= 0n) return invalid('bad mark price');
    if (fundingRate === undefined) return invalid('bad funding rate');
    if (typeof d.E !== 'number' || typeof d.T !== 'number') return invalid('bad times');
    return { mark: { symbol, markPrice, fundingRate, nextFundingTime: d.T, time: d.E } };
  }
  if (d.e !== 'aggTrade') return invalid(`not an aggTrade or mark price: ${String(d.e)}`);
  const { a, p, q, T, m } = d;
  if (typeof a !== 'number' || !Number.isSafeInteger(a) || a < 0) return invalid('bad aggregate trade id');
  if (typeof T !== 'number' || !Number.isSafeInteger(T) || T < 0) return invalid('bad trade time');
  if (typeof m !== 'boolean') return invalid('bad buyer-maker flag');
  const price = typeof p === 'string' ? parseFixed(p) : undefined;
  if (price === undefined || price <= 0n) return invalid('bad price');
  const quantity = typeof q === 'string' ? parseFixed(q) : undefined;
  if (quantity === undefined || quantity <= 0n) return invalid('bad quantity');
  return { symbol, price, quantity, time: T, tradeId: a, isBuyerMaker: m };
}

/** True when `parseFuturesFrame` gave a mark price. */
export function isMark(r: TradeTick | MarkFrame | StreamSkip): r is MarkFrame {
  return 'mark' in r;
}
