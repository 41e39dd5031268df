import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Instrument } from '../../../domain/index.js';
import type { RestFaultHook } from '../faults/index.js';
import type { SandboxHub } from '../sandbox-hub.js';
import { type SandboxApiRestrictions, sandboxApiRestrictions } from './api-restrictions.js';
import { DailyStats } from './daily-stats.js';
import { type FuturesRestLimits, futuresLimiter, futuresRestLimits } from './fapi-limits.js';
import { Params } from './params.js';
import { BINANCE_LIMITS, RateLimiter, type RestLimits } from './rate-limiter.js';
import type { RestContext } from './rest-context.js';
import { type RestError, UNKNOWN_ENDPOINT, isRestError, restError } from './rest-error.js';
import { ROUTES } from './routes.js';
import { readBody } from '../read-body.js';
import { apiKeyRefusal, checkSignedRequest, restSignedPayload } from '../signed-request.js';

export interface RestApiOptions {
  readonly hub: SandboxHub;
  /** The account's fee rates as `account` reports them; should match the hub's. Default 0.1 % / 0.1 %. */
  readonly limits?: Partial<RestLimits>;
  /** Fault injection: consulted before each request is answered (absent: no faults). */
  readonly faults?: RestFaultHook;
  /** What the API key may do, over the default of reading and spot trading only (no withdrawals, no IP restriction). */
  readonly apiRestrictions?: Partial<SandboxApiRestrictions>;
  /** USD-M's /fapi limits over Binance's (tests use small ones). */
  readonly futuresLimits?: Partial<FuturesRestLimits>;
}

/** The REST API as a node:http request listener, plus a way to detach it from the hub. */
export interface RestApi {
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  readonly close: () => void;
}

/** Builds the /api/v3 request listener over a hub. */
export function createRestApi(options: RestApiOptions): RestApi {
  const { hub } = options;
  // The hub keeps the history (fed by its own venue events) so it persists and is restored with the account.
  const history = hub.history;
  const instruments = new Map<string, Instrument>(hub.engine.instruments().map((i) => [i.symbol, i]));
  let clientSeq = 0;
  // Fed from the hub's trades from now on: a restored account starts its 24 h statistics afresh (they are not persisted).
  const dailyStats = new DailyStats();
  const offTrade = hub.onTrade(dailyStats.onTrade);
  const futuresLimits = futuresRestLimits(options.futuresLimits);
  const ctx: RestContext = {
    hub,
    instruments,
    history,
    dailyStats,
    limiter: new RateLimiter({ ...BINANCE_LIMITS, ...options.limits }),
    futures: hub.futuresMarket,
    futuresLimits,
    futuresLimiter: futuresLimiter(futuresLimits),
    fees: options.hub.fees,
    // The key "was created" when the API came up: deterministic on a manual clock.
    apiRestrictions: sandboxApiRestrictions(hub.now(), options.apiRestrictions),
    // Deterministic and in Binance's legal range; the prefix keeps them apart from a client's own ids.
    nextClientId: () => `sandbox${String(++clientSeq).padStart(10, '0')}`,
  };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    readBody(req, (body) => {
      if (body === undefined) send(res, 413, restError(-1000, 'Request body too large.', 413), {});
      // Fault hook: an armed fault may answer, delay or hang the request; `proceed` runs the normal path into `into`.
      else if (!options.faults?.intercept(req, res, (into) => respondSafely(ctx, req, body, into))) respondSafely(ctx, req, body, res);
    });
  };
  return {
    handle,
    close: () => {
      offTrade();
    },
  };
}

/** A throw is a sandbox bug: the client still gets Binance's answer for a server fault (5xx: outcome unknown). */
function respondSafely(ctx: RestContext, req: IncomingMessage, rawBody: string, res: ServerResponse): void {
  try {
    respond(ctx, req, rawBody, res);
  } catch (e) {
    if (!res.headersSent) send(res, 500, restError(-1000, `An unknown error occurred while processing the request. ${String(e)}`, 500), {});
  }
}

function respond(ctx: RestContext, req: IncomingMessage, rawBody: string, res: ServerResponse): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const ip = req.socket.remoteAddress ?? 'unknown';
  const now = ctx.hub.now();
  const params = new Params(rawQuery, rawBody);
  const route = ROUTES.get(`${req.method ?? 'GET'} ${path}`);
  // /fapi is USD-M's host on Binance, whose request weight is counted apart from spot's.
  const limiter = path.startsWith('/fapi/') ? ctx.futuresLimiter : ctx.limiter;
  const limited = limiter.admit(ip, route ? safeWeight(route.weight, params) : 1, now);
  const headers: Record<string, string> = { 'X-MBX-USED-WEIGHT-1M': String(limiter.usedWeight(ip, now)) };
  if (limited) return send(res, limited.status, limited, headers);
  if (!route) return send(res, 404, UNKNOWN_ENDPOINT, headers);
  if (params.duplicated !== undefined) return send(res, 400, restError(-1101, 'Duplicate values for a parameter detected.'), headers);

  if (route.signed) {
    const checked = checkSignedRequest(
      {
        apiKey: header(req, 'x-mbx-apikey'),
        timestamp: params.get('timestamp'),
        recvWindow: params.get('recvWindow'),
        signature: params.get('signature'),
        payload: restSignedPayload(rawQuery, rawBody),
      },
      ctx.hub.account,
      now,
    );
    if (!checked.ok) {
      const { status, code, msg } = checked.error;
      return send(res, status, restError(code, msg, status), headers);
    }
  }
  if (route.apiKeyOnly === true) {
    const refused = apiKeyRefusal(header(req, 'x-mbx-apikey'), ctx.hub.account);
    if (refused !== undefined) return send(res, refused.status, restError(refused.code, refused.msg, refused.status), headers);
  }
  const out = route.handle(ctx, params);
  const ordered = isRestError(out) ? req.method === 'POST' && ORDER_PATHS.has(path) : out.orderCounts === true;
  if (ordered) {
    // Each host reports its own ORDERS windows: spot 10 s and a day, USD-M 10 s and a minute.
    const c = limiter.orderCounts(now);
    headers['X-MBX-ORDER-COUNT-10S'] = String(c.tenSeconds);
    if (limiter === ctx.futuresLimiter) headers['X-MBX-ORDER-COUNT-1M'] = String(c.minute);
    else headers['X-MBX-ORDER-COUNT-1D'] = String(c.day);
  }
  if (isRestError(out)) return send(res, out.status, out, headers);
  sendJson(res, 200, out.body, headers);
}

/** Placements, whose refusals carry the ORDERS headers too. */
const ORDER_PATHS = new Set(['/api/v3/order', '/fapi/v1/order', '/fapi/v1/batchOrders']);

/**
 * A weight function reads parameters; a malformed one charges the base weight rather than failing here. 0 is a weight
 * (USD-M's new order, which pays ORDERS instead).
 */
function safeWeight(weight: (p: Params) => number, p: Params): number {
  const w = weight(p);
  return Number.isFinite(w) && w >= 0 ? w : 1;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, status: number, e: RestError, headers: Record<string, string>): void {
  const h = e.retryAfter === undefined ? headers : { ...headers, 'Retry-After': String(e.retryAfter) };
  sendJson(res, status, { code: e.code, msg: e.msg }, h);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
