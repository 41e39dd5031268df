import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** One request as the fake /fapi server received it. */
export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string;
}

/** What a route answers: a status and a body written verbatim (so ids above 2^53 reach the client as JSON digits). */
export interface Answer {
  readonly status?: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

type Route = (req: Recorded) => Answer;

/**
 * A loopback HTTP + WebSocket server standing in for Binance USD-M: each test scripts the answers per "METHOD /path",
 * every request is recorded, and user-stream sockets on `/private/ws/<listenKey>` can be sent raw frames.
 */
export class FakeFapi {
  readonly requests: Recorded[] = [];
  private readonly routes = new Map<string, Route>();
  private readonly sockets = new Map<string, WebSocket[]>();
  private readonly socketWaiters: Array<{ key: string; resolve: () => void }> = [];
  private readonly requestWaiters: Array<{ match: (r: Recorded) => boolean; resolve: (r: Recorded) => void }> = [];
  private server!: Server;
  private wss!: WebSocketServer;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (socket, req) => {
      const key = (req.url ?? '').replace(/^\/private\/ws\//, '');
      this.sockets.set(key, [...(this.sockets.get(key) ?? []), socket]);
      for (const w of this.socketWaiters.filter((x) => x.key === key)) w.resolve();
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get endpoints() {
    const ws = `ws://127.0.0.1:${this.port}`;
    return {
      httpFutures: `http://127.0.0.1:${this.port}`,
      wsFuturesPublic: `${ws}/public/ws`,
      wsFuturesMarket: `${ws}/market/ws`,
      wsFuturesPrivate: `${ws}/private/ws`,
    };
  }

  on(methodAndPath: string, route: Route | Answer): void {
    this.routes.set(methodAndPath, typeof route === 'function' ? route : () => route);
  }

  /** Resolves with the first request (already received or to come) that matches. */
  request(match: (r: Recorded) => boolean): Promise<Recorded> {
    const seen = this.requests.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.requestWaiters.push({ match, resolve }));
  }

  /** Resolves once a user-stream socket on this listenKey is connected. */
  socketOn(key: string): Promise<void> {
    if ((this.sockets.get(key) ?? []).length > 0) return Promise.resolve();
    return new Promise((resolve) => this.socketWaiters.push({ key, resolve }));
  }

  /** Sends a frame, written verbatim, to every socket on the listenKey. */
  send(key: string, frame: string): void {
    for (const s of this.sockets.get(key) ?? []) s.send(frame);
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const recorded: Recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body };
      this.requests.push(recorded);
      const route = this.routes.get(`${recorded.method} ${recorded.path}`);
      const answer = route ? route(recorded) : { status: 404, body: '{"code":-1,"msg":"no route in the fake"}' };
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers }).end(answer.body);
      for (const w of this.requestWaiters.filter((x) => x.match(recorded))) {
        this.requestWaiters.splice(this.requestWaiters.indexOf(w), 1);
        w.resolve(recorded);
      }
    });
  }
}
