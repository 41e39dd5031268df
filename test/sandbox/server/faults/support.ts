import BinanceImport from 'binance-api-node';
import { API_KEY, API_SECRET, type Harness } from '../rest/harness.js';

// A CommonJS package with an ES-style default export: NodeNext types it as `.default`, vitest's interop hands over the function.
type BinanceFactory = typeof BinanceImport.default;
const Binance: BinanceFactory = typeof BinanceImport === 'function' ? (BinanceImport as unknown as BinanceFactory) : BinanceImport.default;

export type Row = Record<string, unknown>;
/** The client's calls as the wire sees them. */
export interface Client {
  order(p: Row): Promise<Row>;
  getOrder(p: Row): Promise<Row>;
  openOrders(p: Row): Promise<Row[]>;
  allOrders(p: Row): Promise<Row[]>;
}

/** binance-api-node pointed at the harness's server, on the harness's clock. */
export function binanceClient(h: Harness): Client {
  const s = h.server;
  return Binance({ apiKey: API_KEY, apiSecret: API_SECRET, httpBase: s.httpBase, wsBase: s.wsBase, wsApi: s.wsApi, getTime: () => h.clock.now }) as unknown as Client;
}

/** The error the client throws, as {code, message}; code is NaN when the body was not Binance JSON. */
export async function refusal(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { code?: unknown };
    return { code: Number(err.code), message: err.message };
  }
  throw new Error('expected a refusal');
}

/** A plain JSON call to the admin endpoint. */
export async function admin(h: Harness, method: 'GET' | 'POST' | 'DELETE', body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${h.server.httpBase}/admin/faults`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Waits (yielding to the event loop) until `cond` holds; fails after `limitMs` rather than hanging the suite. */
export async function until(cond: () => boolean, limitMs = 2000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export const LIMIT_BUY = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '49000', timeInForce: 'GTC' } as const;
