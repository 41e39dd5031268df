import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { SocketFaultHook } from '../faults/index.js';
import type { SandboxHub } from '../sandbox-hub.js';
import { FapiStreams, type FapiStreamOptions } from './fapi-streams.js';
import { Heartbeat } from './heartbeat.js';
import { MarketStreams } from './market-streams.js';
import { SpotMarketFeed, isSpotStream } from './spot-market-feed.js';
import { WsApi } from './ws-api.js';

/** Market streams (/ws, /stream) and the WebSocket API (/ws-api/v3) on the sandbox's HTTP server. */
export interface WebSocketEndpoints {
  close(): Promise<void>;
}

export interface WebSocketOptions {
  /** How often the server pings every connection; Binance: 20,000 ms. 0 turns pinging off. */
  readonly pingIntervalMs?: number;
  /** Incoming messages (control, ping, pong) a market-stream connection may send per second; Binance: 5. */
  readonly maxMessagesPerSecond?: number;
  /** Streams per market-stream connection; Binance: 1024. */
  readonly maxStreams?: number;
  /** Told the request path of each connection once it is served (subscribed to its URL's streams). */
  readonly onConnect?: (path: string) => void;
  /** Fault injection: told of every connection, and may hold user data events (absent: no faults). */
  readonly faults?: SocketFaultHook;
  /** USD-M streams' own settings (fapi-streams.ts); the fault hook above applies to them too. */
  readonly futures?: Omit<FapiStreamOptions, 'faults'>;
}

/**
 * Serves the sandbox's WebSockets on `server`'s upgrade requests: `/ws/<stream>[/<stream>…]` and `/ws` (raw events),
 * `/stream?streams=a/b` (the combined `{stream, data}` envelope) and `/ws-api/v3` (the user data stream); and USD-M's
 * streams at the paths fapi-routes.ts lists (`/public`, `/market`, `/private`, `/fstream/...`, and a live futures
 * listenKey on `/ws/<key>`). Any other upgrade path gets a 404.
 */
export function attachWebSockets(server: Server, hub: SandboxHub, options: WebSocketOptions = {}): WebSocketEndpoints {
  const wss = new WebSocketServer({ noServer: true });
  const heartbeat = new Heartbeat(options.pingIntervalMs ?? 20_000);
  const market = new MarketStreams(
    { maxMessagesPerSecond: options.maxMessagesPerSecond ?? 5, maxStreams: options.maxStreams ?? 1024, now: hub.now },
    isSpotStream,
  );
  const spotFeed = new SpotMarketFeed(hub.engine.instruments(), market);
  const api = new WsApi(hub.account, hub.now);
  const fapi = new FapiStreams(hub, { ...options.futures, faults: options.faults });
  const offTrade = hub.onTrade((t) => spotFeed.onTrade(t, hub.now()));
  const { faults } = options;
  const offVenue = hub.onVenueEvent((ev) => {
    // Fault hook: a paused user stream holds the event, stamped now, and delivers it when the pause ends.
    if (faults?.userStreamPaused() === true) {
      const eventTime = hub.now();
      faults.holdUserEvent(() => api.onVenueEvent(ev, eventTime));
    } else api.onVenueEvent(ev);
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const futures = fapi.route(req.url ?? '/');
    if (futures !== undefined) {
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        fapi.accept(ws, futures);
        options.onConnect?.(req.url ?? '/');
        options.futures?.onConnect?.(req.url ?? '/');
      });
      return;
    }
    const route = routeOf(req.url ?? '/');
    if (route === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      heartbeat.track(ws);
      // Fault hook: drop and freeze faults reach the connection through this.
      faults?.trackSocket(ws, route.kind === 'api' ? 'user' : 'market');
      if (route.kind === 'api') api.accept(ws);
      else market.accept(ws, route.streams, route.kind === 'combined');
      options.onConnect?.(req.url ?? '/');
    });
  };
  server.on('upgrade', onUpgrade);

  return {
    close: async () => {
      server.off('upgrade', onUpgrade);
      offTrade();
      offVenue();
      fapi.close();
      heartbeat.stop();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

type Route = { kind: 'api' } | { kind: 'raw' | 'combined'; streams: string[] };

function routeOf(url: string): Route | undefined {
  const parsed = new URL(url, 'http://sandbox');
  const path = parsed.pathname.replace(/\/+$/, '');
  if (path === '/ws-api/v3') return { kind: 'api' };
  if (path === '/ws') return { kind: 'raw', streams: [] };
  if (path.startsWith('/ws/')) return { kind: 'raw', streams: splitStreams(path.slice(4)) };
  if (path === '/stream') return { kind: 'combined', streams: splitStreams(parsed.searchParams.get('streams') ?? '') };
  return undefined;
}

function splitStreams(list: string): string[] {
  return list.split('/').filter((s) => s.length > 0);
}
