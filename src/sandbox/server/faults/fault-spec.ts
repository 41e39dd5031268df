import { type Result, failure, ok } from '../../../domain/index.js';

/**
 * Which requests a fault applies to: `"POST /api/v3/order"`, `"* /api/v3/order"`, `"DELETE *"`, or `"*"` / `"any"`
 * (every request except the admin endpoint). Method and path compare exactly; the query string is ignored.
 */
export type RequestMatch = string;

/** How many matching requests a request fault takes, and which of them. */
interface RequestScope {
  /** Default `"*"`, except `unknownAfterPlace`, which defaults to `"POST /api/v3/order"`. */
  readonly match?: RequestMatch;
  /** The next N requests it fires on (default 1); `"all"` until cleared. */
  readonly count?: number | 'all';
  /** Fires on every k-th matching request only (default 1: each one), so "1 in 3" stays deterministic. */
  readonly every?: number;
}

/** Faults that take over the next matching REST requests. */
export type RequestFaultSpec =
  /** 500/502/503 (default 503) with Binance's -1000 body; `execute: true` performs the request first (outcome unknown). */
  | (RequestScope & { readonly kind: 'http5xx'; readonly status?: number; readonly execute?: boolean })
  /** Performs the request, then answers -1007 (status default 503, a 5xx: "execution status unknown"). */
  | (RequestScope & { readonly kind: 'unknownAfterPlace'; readonly status?: number })
  /** Performs the request normally after `ms`. */
  | (RequestScope & { readonly kind: 'delay'; readonly ms: number })
  /** Never answers; `execute: true` performs the request first. Clearing the plan or closing the server drops it. */
  | (RequestScope & { readonly kind: 'hang'; readonly execute?: boolean })
  /** 429 -1003 with Retry-After (seconds, default 1) without performing the request; `code: -1015` for the ORDERS text. */
  | (RequestScope & { readonly kind: 'rateLimit'; readonly retryAfter?: number; readonly code?: -1003 | -1015 });

/** Which WebSocket connections a socket fault touches: market streams (spot's, USD-M's), user streams (/ws-api/v3, USD-M's), or both. */
export type SocketTarget = 'market' | 'user' | 'all';

/** Faults that act on WebSocket connections at once, when armed. */
export type SocketFaultSpec =
  /** Terminates the open connections now (no close frame, as a network drop looks). */
  | { readonly kind: 'dropSockets'; readonly target?: SocketTarget }
  /** The connections open now send nothing for `ms` (messages meanwhile are lost); they stay open. */
  | { readonly kind: 'freezeSockets'; readonly target?: SocketTarget; readonly ms: number }
  /** User data events are held for `ms`, then delivered in order. */
  | { readonly kind: 'pauseUserStream'; readonly ms: number };

export type FaultSpec = RequestFaultSpec | SocketFaultSpec;
export type FaultKind = FaultSpec['kind'];

const REQUEST_KINDS = ['http5xx', 'unknownAfterPlace', 'delay', 'hang', 'rateLimit'] as const;
const SOCKET_KINDS = ['dropSockets', 'freezeSockets', 'pauseUserStream'] as const;
/** Long enough for any rehearsal; a typo of minutes for milliseconds should not freeze a sandbox for a day. */
const MAX_MS = 600_000;

export function isRequestFault(spec: FaultSpec): spec is RequestFaultSpec {
  return (REQUEST_KINDS as readonly string[]).includes(spec.kind);
}

/** A parsed match: undefined means "any". */
export interface Matcher {
  readonly method: string | undefined;
  readonly path: string | undefined;
}

export function parseMatch(match: RequestMatch): Result<Matcher> {
  const m = match.trim();
  if (m === '*' || m.toLowerCase() === 'any') return ok({ method: undefined, path: undefined });
  const parts = m.split(/\s+/);
  const [method, path] = parts;
  if (parts.length !== 2 || method === undefined || path === undefined || !(path === '*' || path.startsWith('/'))) {
    return failure('fault.bad-match', `match must be "METHOD /path", "* /path", "METHOD *" or "*"; got "${match}"`);
  }
  return ok({ method: method === '*' ? undefined : method.toUpperCase(), path: path === '*' ? undefined : path });
}

/** Checks an untrusted spec (the admin endpoint's JSON body) field by field; the failure says which field is wrong. */
export function parseFaultSpec(raw: unknown): Result<FaultSpec> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('a fault is a JSON object with a "kind"');
  const o = raw as Record<string, unknown>;
  const kind = o.kind;
  if (!isKind(kind)) return bad(`kind must be one of ${[...REQUEST_KINDS, ...SOCKET_KINDS].join(', ')}`);
  const known = new Set(['kind', ...allowedFields(kind)]);
  const extra = Object.keys(o).find((k) => !known.has(k));
  if (extra !== undefined) return bad(`"${extra}" is not a field of ${kind}`);
  if (o.match !== undefined) {
    if (typeof o.match !== 'string') return bad('match must be a string');
    const m = parseMatch(o.match);
    if (!m.ok) return m;
  }
  if (o.count !== undefined && o.count !== 'all' && !positiveInt(o.count)) return bad('count must be a positive integer or "all"');
  if (o.every !== undefined && !positiveInt(o.every)) return bad('every must be a positive integer');
  if (o.ms !== undefined && !(positiveInt(o.ms) && (o.ms as number) <= MAX_MS)) return bad(`ms must be an integer from 1 to ${MAX_MS}`);
  if (o.execute !== undefined && typeof o.execute !== 'boolean') return bad('execute must be a boolean');
  if (o.target !== undefined && o.target !== 'market' && o.target !== 'user' && o.target !== 'all')
    return bad('target must be market, user or all');
  if (o.retryAfter !== undefined && !positiveInt(o.retryAfter)) return bad('retryAfter must be a positive integer (seconds)');
  if (o.code !== undefined && o.code !== -1003 && o.code !== -1015) return bad('code must be -1003 or -1015');
  switch (kind) {
    case 'http5xx':
      if (o.status !== undefined && o.status !== 500 && o.status !== 502 && o.status !== 503) return bad('status must be 500, 502 or 503');
      break;
    case 'unknownAfterPlace':
      if (o.status !== undefined && !(positiveInt(o.status) && (o.status as number) >= 400 && (o.status as number) <= 599)) {
        return bad('status must be an HTTP error status (400-599)');
      }
      break;
    case 'delay':
    case 'freezeSockets':
    case 'pauseUserStream':
      if (o.ms === undefined) return bad(`${kind} needs ms`);
      break;
    case 'hang':
    case 'rateLimit':
    case 'dropSockets':
      break;
  }
  return ok(o as unknown as FaultSpec);
}

function allowedFields(kind: FaultKind): readonly string[] {
  const scope = ['match', 'count', 'every'];
  switch (kind) {
    case 'http5xx':
      return [...scope, 'status', 'execute'];
    case 'unknownAfterPlace':
      return [...scope, 'status'];
    case 'delay':
      return [...scope, 'ms'];
    case 'hang':
      return [...scope, 'execute'];
    case 'rateLimit':
      return [...scope, 'retryAfter', 'code'];
    case 'dropSockets':
      return ['target'];
    case 'freezeSockets':
      return ['target', 'ms'];
    case 'pauseUserStream':
      return ['ms'];
  }
}

function isKind(k: unknown): k is FaultKind {
  return typeof k === 'string' && ([...REQUEST_KINDS, ...SOCKET_KINDS] as readonly string[]).includes(k);
}

function positiveInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function bad(message: string): { readonly ok: false; readonly error: { code: string; message: string } } {
  return failure('fault.bad-spec', message);
}
