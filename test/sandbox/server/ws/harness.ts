import { createHmac } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { type Instrument, type TradeTick, catalogInstrument, fx } from '../../../../src/domain/index.js';
import { SandboxHub } from '../../../../src/sandbox/server/sandbox-hub.js';
import { type WebSocketEndpoints, type WebSocketOptions, attachWebSockets } from '../../../../src/sandbox/server/ws/index.js';

export const API_KEY = 'sandbox-key';
export const API_SECRET = 'sandbox-secret';
/** The sandbox's (frozen) server time in these tests. */
export const NOW = 1_700_000_000_000;

export interface Sandbox {
  readonly hub: SandboxHub;
  readonly port: number;
  readonly clock: { now: number };
  /** Resolves when the next WebSocket connection whose path starts with `prefix` is served. */
  connected(prefix: string): Promise<string>;
  close(): Promise<void>;
}

/** A hub with BTCUSDT and a plain HTTP server (404 for every request) with the WebSockets attached. */
export async function startSandbox(options: WebSocketOptions = { pingIntervalMs: 0 }): Promise<Sandbox> {
  const waiting: Array<{ prefix: string; resolve: (path: string) => void }> = [];
  const onConnect = (path: string): void => {
    const i = waiting.findIndex((w) => path.startsWith(w.prefix));
    if (i >= 0) waiting.splice(i, 1)[0]?.resolve(path);
  };
  const clock = { now: NOW };
  const hub = new SandboxHub({
    instruments: [catalogInstrument('BTCUSDT') as Instrument],
    balances: { USDT: fx('10000'), BTC: fx('1') },
    account: { apiKey: API_KEY, apiSecret: API_SECRET },
    now: () => clock.now,
  });
  const server: Server = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const ws: WebSocketEndpoints = attachWebSockets(server, hub, { ...options, onConnect });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    hub,
    port,
    clock,
    connected: (prefix) => new Promise((resolve) => waiting.push({ prefix, resolve })),
    close: async () => {
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let tradeId = 1000;

export function tick(price: string, quantity = '0.5', time = NOW, isBuyerMaker = false): TradeTick {
  return { symbol: 'BTCUSDT', price: fx(price), quantity: fx(quantity), time, tradeId: ++tradeId, isBuyerMaker };
}

/** A raw `ws` client that queues what it receives, so a test can await messages in order. */
export class Inbox {
  readonly socket: WebSocket;
  private readonly queue: unknown[] = [];
  private readonly waiters: Array<(m: unknown) => void> = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.socket.once('close', (code) => resolve(code)));
    this.socket.on('message', (data) => {
      const m: unknown = JSON.parse(String(data));
      const w = this.waiters.shift();
      if (w) w(m);
      else this.queue.push(m);
    });
  }

  next(): Promise<any> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift());
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Messages received and not yet taken by `next`. */
  pending(): number {
    return this.queue.length;
  }

  send(body: unknown): void {
    this.socket.send(JSON.stringify(body));
  }

  /** Sends a control message and awaits the next message (its answer). */
  async ask(body: unknown): Promise<any> {
    this.send(body);
    return this.next();
  }

  close(): void {
    this.socket.terminate();
  }
}

/** Opens an inbox and waits until it is connected. */
export async function connect(url: string): Promise<Inbox> {
  const inbox = new Inbox(url);
  await inbox.opened;
  return inbox;
}

/** What binance-api-node signs for `userDataStream.subscribe.signature`. */
export function sign(payload: string, secret = API_SECRET): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}
