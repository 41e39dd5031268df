// Loaded first so that node-fetch is wrapped for this process whichever test file imports binance-api-node first.
import '../../../../src/exchange/binance/retry-after-capture.js';
import BinanceImport from 'binance-api-node';
import { API_KEY, API_SECRET, type Harness } from './harness.js';

// A CommonJS package with an ES-style default export: NodeNext types it as `.default`, vitest's interop hands over the function.
type BinanceFactory = typeof BinanceImport.default;
const Binance: BinanceFactory = typeof BinanceImport === 'function' ? (BinanceImport as unknown as BinanceFactory) : BinanceImport.default;

type Row = Record<string, unknown>;
/** The client's calls as the wire sees them: its .d.ts wants enum members where Binance takes plain strings. */
export interface Client {
  time(): Promise<number>;
  exchangeInfo(): Promise<{ rateLimits: unknown[]; symbols: Row[] }>;
  prices(p?: Row): Promise<Record<string, string>>;
  dailyStats(p?: Row): Promise<unknown>;
  order(p: Row): Promise<Row>;
  getOrder(p: Row): Promise<Row>;
  cancelOrder(p: Row): Promise<Row>;
  openOrders(p: Row): Promise<Row[]>;
  allOrders(p: Row): Promise<Row[]>;
  cancelOpenOrders(p: Row): Promise<Row[]>;
  accountInfo(): Promise<Row & { balances: Row[] }>;
  myTrades(p: Row): Promise<Row[]>;
}

/** binance-api-node pointed at the harness's server, on the harness's clock. */
export function binanceClient(h: Harness): Client {
  const s = h.server;
  return Binance({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    httpBase: s.httpBase,
    wsBase: s.wsBase,
    wsApi: s.wsApi,
    getTime: () => h.clock.now,
  }) as unknown as Client;
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
