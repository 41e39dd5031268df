import { createRequire } from 'node:module';

/**
 * binance-api-node throws Binance's JSON error bodies as plain Errors (code, message and the request URL) and drops the
 * HTTP headers, so a 429's Retry-After — the wait Binance itself asks for — would be lost. The library reads node-fetch
 * once, when it loads; installing a wrapper in node-fetch's module record before that lets us note the header per
 * request URL, which the thrown error carries. A bundle with its own copy of node-fetch (the benchmarks keep it external) falls back
 * to the window named in Binance's message.
 */
const require = createRequire(import.meta.url);
const MARK = Symbol.for('telegrid.retryAfterCapture');
/** Retry-After in ms by request URL; a URL is signed with a timestamp, so each entry is one request's. */
const waits = new Map<string, number>();
const MAX_ENTRIES = 1_000;

type Fetch = ((url: unknown, init?: unknown) => Promise<{ status: number; url: string; headers: { get(name: string): string | null } }>) &
  Record<PropertyKey, unknown>;

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
