import { type Harness, signed } from './harness.js';

type Value = string | number | boolean;

/**
 * A signed /fapi request as binance-api-node sends it (PROTOCOLS-FUTURES C): every parameter in the query string, POST
 * and DELETE included, each value encodeURIComponent'd, then `timestamp` (the harness's clock) and `signature`.
 */
export function fapi(
  h: Harness,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: Readonly<Record<string, Value>> = {},
): ReturnType<typeof signed> {
  const pairs = Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  pairs.push(`timestamp=${h.clock.now}`);
  return signed(h, method, path, pairs.join('&'));
}

/** A LIMIT GTC order's parameters on BTCUSDT (the harness's instruments: tick 0.01, step 0.00001). */
export function limitOrder(
  side: 'BUY' | 'SELL',
  price: string,
  quantity: string,
  extra: Readonly<Record<string, Value>> = {},
): Record<string, Value> {
  return { symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'GTC', price, quantity, ...extra };
}
