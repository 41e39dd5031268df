import { createRequire } from 'node:module';
import { type Server, type Socket, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import '../../../src/exchange/binance/binance-client.js';

/** reconnecting-websocket as binance-api-node loads it. */
type Rws = { close(): void; addEventListener(type: 'error', listener: (e: { message: string }) => void): void };
const library = createRequire(createRequire(import.meta.url).resolve('binance-api-node'));
const loaded = library('reconnecting-websocket') as { default?: new (...args: unknown[]) => Rws };
const ReconnectingWebSocket = (loaded.default ?? loaded) as unknown as new (url: string, protocols: string[], options: object) => Rws;

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('a stream connection that does not open in time', () => {
  it('is given up and retried by the library, without an unheard error that would end the process', async () => {
    // Accepts the TCP connection and never answers the WebSocket handshake.
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const timeouts: string[] = [];
    const rws = new ReconnectingWebSocket(`ws://127.0.0.1:${port}/ws`, [], {
      WebSocket,
      connectionTimeout: 50,
      minReconnectionDelay: 10,
      maxReconnectionDelay: 20,
      maxRetries: 2,
    });
    rws.addEventListener('error', (e) => timeouts.push(e.message));
    // An unheard 'error' would surface as an uncaught exception and fail this run.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (timeouts.length >= 2) (clearInterval(check), resolve());
      }, 10);
    });
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
    rws.close();
    expect(timeouts.every((m) => m === 'TIMEOUT')).toBe(true);
  });
});
