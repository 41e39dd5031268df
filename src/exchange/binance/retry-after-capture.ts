import { createRequire } from 'node:module';

/**
 * binance-api-node throws Binance's JSON error bodies as plain Errors (code, message and the request URL) and drops the
 * HTTP headers, so a 429's Retry-After (the wait Binance itself asks for) would be lost, and so would the usage counts
 * every answer carries (X-MBX-USED-WEIGHT-*, X-MBX-ORDER-COUNT-*) that `/limits` and the metrics show. The library
 * reads node-fetch once, when it loads; installing a wrapper in node-fetch's module record before that lets us note
 * the headers, a Retry-After per request URL, which the thrown error carries. A bundle with its own copy of node-fetch
 * (the benchmarks keep it external) falls back to the window named in Binance's message.
 */
const require = createRequire(import.meta.url);
const MARK = Symbol.for('telegrid.retryAfterCapture');
/** Retry-After in ms by request URL; a URL is signed with a timestamp, so each entry is one request's. */
const waits = new Map<string, number>();
const MAX_ENTRIES = 1_000;

interface FetchHeaders {
  get(name: string): string | null;
  forEach?(callback: (value: string, name: string) => void): void;
}

type Fetch = ((url: unknown, init?: unknown) => Promise<{ status: number; url: string; headers: FetchHeaders }>) &
  Record<PropertyKey, unknown>;

/**
 * The exchange's own count of what this IP and account used, from the last answer that carried it
 * (X-MBX-USED-WEIGHT-1M, X-MBX-ORDER-COUNT-10S, …), keyed like the rate governor's rules (`weight:1m`, `orders:10s`).
 */
const usage: { at?: number; counts: Record<string, number> } = { counts: {} };
const USAGE_HEADER = /^x-mbx-(used-weight|order-count)-(\d+[smhd])$/;

function noteUsage(headers: FetchHeaders): void {
  headers.forEach?.((value, name) => {
    const m = USAGE_HEADER.exec(name.toLowerCase());
    const n = Number(value);
    if (!m || !Number.isFinite(n)) return;
    usage.counts[`${m[1] === 'used-weight' ? 'weight' : 'orders'}:${m[2]}`] = n;
    usage.at = Date.now();
  });
}

function install(): void {
  let id: string;
  try {
    id = require.resolve('node-fetch');
  } catch {
    return; // no node-fetch: binance-api-node uses the platform's fetch, and the message's window is the fallback
  }
  const record = require.cache[id] ?? (require(id), require.cache[id]);
  if (!record) return;
  const real = ((record.exports as { default?: Fetch }).default ?? record.exports) as Fetch;
  if (real[MARK]) return;
  const wrapped = (async (url: unknown, init?: unknown) => {
    const res = await real(url, init);
    noteUsage(res.headers);
    if (res.status === 429 || res.status === 418) {
      const seconds = Number(res.headers.get('retry-after'));
      if (res.url && Number.isFinite(seconds) && seconds >= 0) {
        if (waits.size >= MAX_ENTRIES) waits.delete(waits.keys().next().value as string);
        waits.set(res.url, Math.max(1_000, seconds * 1_000));
      }
    }
    return res;
  }) as Fetch;
  for (const key of Reflect.ownKeys(real)) if (!(key in wrapped)) (wrapped as Record<PropertyKey, unknown>)[key] = real[key];
  wrapped.default = wrapped;
  wrapped[MARK] = true;
  record.exports = wrapped;
}

install();

/** The Retry-After Binance sent with the 429/418 for this request, once. */
export function takeRetryAfter(url: unknown): number | undefined {
  if (typeof url !== 'string') return undefined;
  const ms = waits.get(url);
  waits.delete(url);
  return ms;
}

/** What the exchange last said this process had used of each limit, and when (wall time); empty before any answer. */
export function exchangeUsage(): { readonly at?: number; readonly counts: Readonly<Record<string, number>> } {
  return { ...usage, counts: { ...usage.counts } };
}
