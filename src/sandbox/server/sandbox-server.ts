import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan, withFaultAdmin } from './faults/index.js';
import { type RestApiOptions, type RestLimits, createRestApi } from './rest/index.js';
import type { SandboxHub } from './sandbox-hub.js';
import { type WebSocketOptions, attachWebSockets } from './ws/index.js';

export interface SandboxServerOptions {
  readonly hub: SandboxHub;
  /** Default 127.0.0.1: the sandbox is a loopback service. */
  readonly host?: string;
  /** Default 0: a free port, reported back. */
  readonly port?: number;
  /** Overrides of Binance's rate limits (tests use small ones); exchangeInfo reports what is enforced. */
  readonly limits?: Partial<RestLimits>;
  /** What the account's API key may do, as /sapi/v1/account/apiRestrictions reports it (default: read and trade spot). */
  readonly apiRestrictions?: RestApiOptions['apiRestrictions'];
  /** USD-M's /fapi limits over Binance's (tests use small ones). */
  readonly futuresLimits?: RestApiOptions['futuresLimits'];
  /** USD-M streams' settings (ping, pulse, the account's event source); tests on a manual clock turn the timers off. */
  readonly futuresStreams?: WebSocketOptions['futures'];
}

/** A running sandbox: the URLs to hand a Binance client (httpBase, wsBase with its /ws suffix, wsApi, wsFutures). */
export interface SandboxServer {
  readonly httpBase: string;
  readonly wsBase: string;
  readonly wsApi: string;
  /** USD-M's legacy stream root (binance-api-node's `wsFutures`): market streams and `/<listenKey>` under it. */
  readonly wsFutures: string;
  readonly port: number;
  /** Fault injection for this server, also served to loopback clients at /admin/faults. */
  readonly faults: FaultPlan;
  /** Hears every REST answer as it is sent (tests count 429s; an operator could log them). */
  onResponse(listener: (r: RestResponseRecord) => void): () => void;
  close(): Promise<void>;
}

export interface RestResponseRecord {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly status: number;
  /** Hub time when the answer went out. */
  readonly time: number;
}

/** Serves the REST API, market streams and WebSocket API of one hub on one HTTP port. */
export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const host = options.host ?? '127.0.0.1';
  const faults = new FaultPlan({ now: options.hub.now });
  const rest = createRestApi({
    hub: options.hub,
    limits: options.limits,
    faults,
    apiRestrictions: options.apiRestrictions,
    futuresLimits: options.futuresLimits,
  });
  const listeners = new Set<(r: RestResponseRecord) => void>();
  const handle = withFaultAdmin(faults, rest.handle);
  const server = createServer((req, res) => {
    if (listeners.size > 0) {
      res.once('finish', () => {
        const record = {
          method: req.method ?? '',
          path: (req.url ?? '').split('?')[0] ?? '',
          status: res.statusCode,
          time: options.hub.now(),
        };
        for (const l of listeners) l(record);
      });
    }
    return handle(req, res);
  });
  const sockets = attachWebSockets(server, options.hub, { faults, futures: options.futuresStreams });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return {
    httpBase: `http://${authority}`,
    wsBase: `ws://${authority}/ws`,
    wsApi: `ws://${authority}/ws-api/v3`,
    wsFutures: `ws://${authority}/fstream/ws`,
    port,
    faults,
    onResponse: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      faults.close();
      rest.close();
      await sockets.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
