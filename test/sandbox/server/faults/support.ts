import type { Harness } from '../rest/harness.js';

export { type Client, binanceClient, refusal } from '../rest/rest-client.js';

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
