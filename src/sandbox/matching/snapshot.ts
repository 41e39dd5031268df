import {
  type Balance,
  type Failure,
  type OrderType,
  type Result,
  type Side,
  type TimeInForce,
  type VenueOrderStatus,
  failure,
  format,
  ok,
  parseFixed,
} from '../../domain/index.js';
import type { VenueOrder } from './types.js';

/** A VenueOrder with money as decimal strings, so the whole snapshot survives JSON.stringify/parse unchanged. */
export interface OrderSnapshot {
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** Present (true) only for a LIMIT_MAKER order, so older snapshots read unchanged. */
  readonly postOnly?: boolean;
  readonly price: string;
  readonly origQty: string;
  readonly executedQty: string;
  readonly cumQuote: string;
  readonly status: VenueOrderStatus;
  readonly locked: string;
  readonly time: number;
  readonly updateTime: number;
}

/** One paper account's whole venue state as JSON-safe plain data (what a store persists and restores). */
export interface MatchingSnapshot {
  readonly version: 1;
  readonly nextOrderId: number;
  readonly nextTradeId: number;
  readonly balances: readonly { readonly asset: string; readonly free: string; readonly locked: string }[];
  /** Open orders, oldest first (their order is their time priority). */
  readonly openOrders: readonly OrderSnapshot[];
  /** Terminal orders still queryable, oldest first. */
  readonly recentOrders: readonly OrderSnapshot[];
  readonly lastPrices: Readonly<Record<string, string>>;
}

export function encodeOrder(o: VenueOrder): OrderSnapshot {
  const s: OrderSnapshot = {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    price: format(o.price),
    origQty: format(o.origQty),
    executedQty: format(o.executedQty),
    cumQuote: format(o.cumQuote),
    status: o.status,
    locked: format(o.locked),
    time: o.time,
    updateTime: o.updateTime,
  };
  return o.postOnly === true ? { ...s, postOnly: true } : s;
}

function num(text: string, field: string): Result<bigint> {
  const v = parseFixed(text);
  return v === undefined ? failure('SNAPSHOT_INVALID', `${field} is not a decimal: ${text}`) : ok(v);
}

/** Parses every decimal field or names the first bad one. */
function decimals<K extends string>(src: Readonly<Record<K, string>>, keys: readonly K[], what: string): Result<Record<K, bigint>> {
  const out = {} as Record<K, bigint>;
  for (const k of keys) {
    const r = num(src[k], `${what}.${k}`);
    if (!r.ok) return r;
    out[k] = r.value;
  }
  return ok(out);
}

export function decodeOrder(s: OrderSnapshot): Result<VenueOrder> {
  const d = decimals(s, ['price', 'origQty', 'executedQty', 'cumQuote', 'locked'] as const, `order ${s.orderId}`);
  if (!d.ok) return d;
  return ok({ ...s, ...d.value });
}

export function decodeBalance(b: MatchingSnapshot['balances'][number]): Result<Balance, Failure> {
  const d = decimals(b, ['free', 'locked'] as const, `balance ${b.asset}`);
  if (!d.ok) return d;
  return ok({ asset: b.asset, free: d.value.free, locked: d.value.locked });
}

export function decodePrice(symbol: string, text: string): Result<bigint> {
  return num(text, `lastPrices.${symbol}`);
}
