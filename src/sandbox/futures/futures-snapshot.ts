import { type Failure, type Fixed, type FuturesPosition, type Result, failure, format, ok, parseFixed } from '../../domain/index.js';
import type { FuturesOrder } from './futures-order.js';
import type { FuturesTrade, IncomeRow, MarginType } from './types.js';

/** One symbol's saved account state (its brackets, book and instrument come from the configuration). */
interface SymbolSavedState {
  readonly symbol: string;
  readonly leverage: number;
  readonly marginType: MarginType;
  readonly position: FuturesPosition;
  readonly isolatedWallet: Fixed;
  readonly accumulatedRealized: Fixed;
  readonly updateTime: number;
  readonly marginCalled: boolean;
  readonly countdownDeadline: number;
  readonly nextFunding: number;
}

/** The USD-M account's whole state as the engine holds it (exact bigints). */
export interface FuturesState {
  readonly crossWallet: Fixed;
  readonly crossMarginCalled: boolean;
  readonly nextOrderId: number;
  readonly nextTradeId: number;
  readonly nextTranId: number;
  readonly symbols: readonly SymbolSavedState[];
  /** Every remembered order, open and terminal, oldest first. */
  readonly orders: readonly FuturesOrder[];
  readonly trades: readonly FuturesTrade[];
  readonly income: readonly IncomeRow[];
}

/** Money as decimal strings: the state survives JSON.stringify/parse unchanged. */
type Encoded<T> = { readonly [K in keyof T]: T[K] extends Fixed ? string : T[K] extends FuturesPosition ? Encoded<FuturesPosition> : T[K] };

export interface FuturesSnapshot {
  readonly version: 1;
  readonly crossWallet: string;
  readonly crossMarginCalled: boolean;
  readonly nextOrderId: number;
  readonly nextTradeId: number;
  readonly nextTranId: number;
  readonly symbols: readonly Encoded<SymbolSavedState>[];
  readonly orders: readonly Encoded<FuturesOrder>[];
  readonly trades: readonly Encoded<FuturesTrade>[];
  readonly income: readonly Encoded<IncomeRow>[];
}

const POSITION_KEYS = ['amount', 'entryPrice', 'entryNotional', 'openingFees'] as const;
const ORDER_KEYS = ['price', 'origQty', 'executedQty', 'cumQuote'] as const;
const TRADE_KEYS = ['price', 'quantity', 'commission', 'realizedPnl'] as const;

/** Replaces the named bigint fields by decimal strings. */
function enc<T extends object, K extends keyof T>(v: T, keys: readonly K[]): Encoded<T> {
  const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const k of keys) out[k as string] = format(v[k] as Fixed);
  return out as Encoded<T>;
}

/** Parses the named decimal fields back, or names the first that is not a decimal. */
function dec<T extends object, K extends keyof T>(v: Encoded<T>, keys: readonly K[], what: string): Result<T> {
  const out: Record<string, unknown> = { ...v };
  for (const k of keys) {
    const text = (v as Record<string, unknown>)[k as string];
    const parsed = typeof text === 'string' ? parseFixed(text) : undefined;
    if (parsed === undefined) return failure('SNAPSHOT_INVALID', `futures ${what}.${String(k)} is not a decimal: ${String(text)}`);
    out[k as string] = parsed;
  }
  return ok(out as T);
}

export function encodeFuturesState(st: FuturesState): FuturesSnapshot {
  return {
    version: 1,
    crossWallet: format(st.crossWallet),
    crossMarginCalled: st.crossMarginCalled,
    nextOrderId: st.nextOrderId,
    nextTradeId: st.nextTradeId,
    nextTranId: st.nextTranId,
    symbols: st.symbols.map((s) => ({
      ...enc(s, ['isolatedWallet', 'accumulatedRealized']),
      position: enc(s.position, POSITION_KEYS),
    })),
    orders: st.orders.map((o) => enc(o, ORDER_KEYS)),
    trades: st.trades.map((t) => enc(t, TRADE_KEYS)),
    income: st.income.map((r) => enc(r, ['income'])),
  };
}

export function decodeFuturesSnapshot(snap: FuturesSnapshot): Result<FuturesState, Failure> {
  if (snap.version !== 1) return failure('SNAPSHOT_INVALID', `unknown futures snapshot version ${String(snap.version)}`);
  const crossWallet = parseFixed(snap.crossWallet);
  if (crossWallet === undefined) return failure('SNAPSHOT_INVALID', `futures crossWallet is not a decimal: ${snap.crossWallet}`);
  const symbols: SymbolSavedState[] = [];
  for (const s of snap.symbols) {
    const position = dec<FuturesPosition, (typeof POSITION_KEYS)[number]>(s.position, POSITION_KEYS, `${s.symbol}.position`);
    if (!position.ok) return position;
    const rest = dec<SymbolSavedState, 'isolatedWallet' | 'accumulatedRealized'>(
      { ...s, position: s.position } as Encoded<SymbolSavedState>,
      ['isolatedWallet', 'accumulatedRealized'],
      s.symbol,
    );
    if (!rest.ok) return rest;
    symbols.push({ ...rest.value, position: position.value });
  }
  const orders: FuturesOrder[] = [];
  for (const o of snap.orders) {
    const r = dec<FuturesOrder, (typeof ORDER_KEYS)[number]>(o, ORDER_KEYS, `order ${o.orderId}`);
    if (!r.ok) return r;
    orders.push(r.value);
  }
  const trades: FuturesTrade[] = [];
  for (const t of snap.trades) {
    const r = dec<FuturesTrade, (typeof TRADE_KEYS)[number]>(t, TRADE_KEYS, `trade ${t.tradeId}`);
    if (!r.ok) return r;
    trades.push(r.value);
  }
  const income: IncomeRow[] = [];
  for (const row of snap.income) {
    const r = dec<IncomeRow, 'income'>(row, ['income'], `income ${row.tranId}`);
    if (!r.ok) return r;
    income.push(r.value);
  }
  return ok({
    crossWallet,
    crossMarginCalled: snap.crossMarginCalled,
    nextOrderId: snap.nextOrderId,
    nextTradeId: snap.nextTradeId,
    nextTranId: snap.nextTranId,
    symbols,
    orders,
    trades,
    income,
  });
}
