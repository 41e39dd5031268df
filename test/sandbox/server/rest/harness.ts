import { type Fixed, type Instrument, catalogInstrument, fx } from '../../../../src/domain/index.js';
import {
  SandboxHub,
  type SandboxHubOptions,
  type RestLimits,
  type SandboxServer,
  type SandboxServerOptions,
  signPayload,
  startSandboxServer,
} from '../../../../src/sandbox/index.js';

export const API_KEY = 'sandbox-key';
export const API_SECRET = 'sandbox-secret';
export const START = 1_700_000_000_000;

export interface Harness {
  readonly hub: SandboxHub;
  readonly server: SandboxServer;
  /** The hub's clock; tests move it. */
  readonly clock: { now: number };
  trade(price: string, quantity?: string, symbol?: string): void;
  close(): Promise<void>;
}

let tradeId = 0;

/** A hub with BTCUSDT and ETHUSDT served on a free loopback port, on a manual clock. */
export async function startHarness(
  opts: {
    balances?: Record<string, Fixed>;
    limits?: Partial<RestLimits>;
    futures?: SandboxHubOptions['futures'];
    futuresLimits?: SandboxServerOptions['futuresLimits'];
    start?: number;
  } = {},
): Promise<Harness> {
  const clock = { now: opts.start ?? START };
  const instruments = [catalogInstrument('BTCUSDT'), catalogInstrument('ETHUSDT')] as Instrument[];
  const hub = new SandboxHub({
    instruments,
    balances: opts.balances ?? { USDT: fx('10000'), BTC: fx('1') },
    account: { apiKey: API_KEY, apiSecret: API_SECRET },
    now: () => clock.now,
    futures: opts.futures,
  });
  const server = await startSandboxServer({ hub, limits: opts.limits, futuresLimits: opts.futuresLimits });
  return {
    hub,
    server,
    clock,
    trade: (price, quantity = '1', symbol = 'BTCUSDT') =>
      hub.trade({ symbol, price: fx(price), quantity: fx(quantity), time: clock.now, tradeId: ++tradeId, isBuyerMaker: false }),
    close: () => server.close(),
  };
}

/** A signed raw request: params in the query (and optionally some in the body), signed over query + body. */
export async function signed(
  h: Harness,
  method: string,
  path: string,
  query: string,
  opts: { body?: string; key?: string | null; secret?: string; signature?: string } = {},
): Promise<{ status: number; body: { code?: number; msg?: string } & Record<string, unknown>; headers: Headers }> {
  const body = opts.body ?? '';
  const signature = opts.signature ?? signPayload(opts.secret ?? API_SECRET, query + body);
  const headers: Record<string, string> = {};
  if (opts.key !== null) headers['X-MBX-APIKEY'] = opts.key ?? API_KEY;
  if (body !== '') headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const res = await fetch(`${h.server.httpBase}${path}?${query}&signature=${signature}`, {
    method,
    headers,
    body: body === '' ? undefined : body,
  });
  return { status: res.status, body: (await res.json()) as never, headers: res.headers };
}

export async function get(h: Harness, pathAndQuery: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${h.server.httpBase}${pathAndQuery}`);
  return { status: res.status, body: (await res.json()) as never, headers: res.headers };
}
