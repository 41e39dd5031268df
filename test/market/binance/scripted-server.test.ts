import { createHash } from 'node:crypto';
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { type TradeTick, format } from '../../../src/domain/index.js';
import { rig, trade } from './feed-harness.js';

/** A bare ws server whose connections the test scripts frame by frame: what the sandbox will not send. */
interface ScriptedServer {
  readonly wsBase: string;
  readonly paths: string[];
  close(): Promise<void>;
}

async function scriptedServer(onConnection: (socket: WebSocket, index: number) => void): Promise<ScriptedServer> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const paths: string[] = [];
  wss.on('connection', (socket, req) => {
    paths.push(req.url ?? '');
    onConnection(socket, paths.length);
  });
  return {
    wsBase: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`,
    paths,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function frame(t: TradeTick): string {
  const p = format(t.price, 8);
  const q = format(t.quantity, 8);
  const data = { e: 'trade', E: 1, s: t.symbol, t: t.tradeId, p, q, T: t.time, m: t.isBuyerMaker, M: true };
  return JSON.stringify({ stream: `${t.symbol.toLowerCase()}@trade`, data });
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('BinanceTradeFeed against a scripted server', () => {
  it('logs and skips malformed frames and keeps reading', async () => {
    const good = trade('BTCUSDT', '42000.5');
    const server = await scriptedServer((socket) => {
      socket.send('not json');
      socket.send('{"result":null,"id":1}');
      socket.send(frame({ ...good, symbol: 'XRPUSDT' }));
      socket.send(frame(good).replace('"42000.50000000"', '"42,000.5"'));
      socket.send(frame(good).replace('"m":false', '"m":"false"'));
      socket.send(frame(good));
    });
    cleanups.push(() => server.close());
    const r = rig(server.wsBase, ['BTCUSDT']);
    cleanups.push(() => r.feed.stop());
    await r.feed.start();
    await r.rec.count('TradeTicked', 1);
    expect(r.rec.ticks()).toEqual([good]);
    expect(server.paths).toEqual(['/stream?streams=btcusdt@trade']);
    expect(r.warnings.map((w) => (w.obj as { reason?: string; symbol?: string }).reason ?? (w.obj as { symbol: string }).symbol)).toEqual([
      'not JSON',
      'no data object',
      'XRPUSDT',
      'bad price',
      'bad buyer-maker flag',
    ]);
  });

  it('publishes trades carried by both sockets of a rotation once, in order', async () => {
    const [t1, t2, t3, t4] = ['1', '2', '3', '4'].map((p) => trade('BTCUSDT', p)) as [TradeTick, TradeTick, TradeTick, TradeTick];
    const sockets: WebSocket[] = [];
    const server = await scriptedServer((socket, index) => {
      sockets.push(socket);
      if (index === 1) socket.send(frame(t1));
      if (index === 2) {
        // The old socket is still open here (the client has not seen this one open yet): both carry t2 and t3.
        for (const t of [t2, t3]) sockets[0]?.send(frame(t));
        for (const t of [t2, t3, t4]) socket.send(frame(t));
      }
    });
    cleanups.push(() => server.close());
    const r = rig(server.wsBase, ['BTCUSDT'], { rotateAfterMs: 5_000, staleAfterMs: 60_000 });
    cleanups.push(() => r.feed.stop());
    await r.feed.start();
    await r.rec.count('TradeTicked', 1);
    r.timers.advance(5_000);
    await r.rec.until(() => r.rec.ticks().some((t) => t.tradeId === t4.tradeId));
    expect(r.rec.ticks()).toEqual([t1, t2, t3, t4]);
    expect(r.rec.of('MarketDataStale')).toEqual([]);
  });

  it('opens a replacement at once when the server announces a shutdown', async () => {
    const server = await scriptedServer((socket, index) => {
      if (index === 1) socket.send('{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1}}');
      if (index === 2) socket.send(frame(trade('BTCUSDT', '7')));
    });
    cleanups.push(() => server.close());
    const r = rig(server.wsBase, ['BTCUSDT']);
    cleanups.push(() => r.feed.stop());
    await r.feed.start();
    await r.rec.count('TradeTicked', 1);
    await r.rec.closed(1);
    expect(r.rec.connections.map((c) => c.state)).toEqual(['open', 'open', 'closed']);
    expect(r.warnings).toEqual([]);
  });
});

describe('BinanceTradeFeed stopping', () => {
  it('cuts a socket whose server never answers the close, after the grace period', async () => {
    // Completes the handshake and then ignores everything, close frames included.
    const http = createServer();
    const raw: Duplex[] = [];
    http.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
      raw.push(socket);
      const accept = createHash('sha1')
        .update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
        .digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const s of raw) s.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    });
    const r = rig(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`, ['BTCUSDT']);
    await r.feed.start();
    await r.rec.opened(1);
    let stopped = false;
    const stopping = r.feed.stop().then(() => (stopped = true));
    r.timers.advance(1_999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    r.timers.advance(1);
    await stopping;
    expect(r.rec.of('MarketDataStale')).toEqual([]);
  });
});
