import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { type TradeTick, format } from '../../../src/domain/index.js';
import { Sandbox, rig, trade } from './feed-harness.js';

/**
 * Issue 9, the other way round: a market socket can go silent while open (a half-open TCP connection, a frozen
 * server) and never close by itself. No frame at all, Binance's 20 s pings included, for the dead-socket limit means
 * the socket is cut and reopened; each staleness rule has its setting, 0 turning it off. All on fake timers.
 */
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A ws server whose connections do what the test scripts and nothing else: no pings, no closing. */
async function silentServer(onConnection: (socket: WebSocket, index: number) => void) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const sockets: WebSocket[] = [];
  wss.on('connection', (socket) => {
    sockets.push(socket);
    onConnection(socket, sockets.length);
  });
  cleanups.push(async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
  return { wsBase: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`, sockets };
}

function frame(t: TradeTick): string {
  const data = {
    e: 'trade',
    E: 1,
    s: t.symbol,
    t: t.tradeId,
    p: format(t.price, 8),
    q: format(t.quantity, 8),
    T: t.time,
    m: t.isBuyerMaker,
    M: true,
  };
  return JSON.stringify({ stream: `${t.symbol.toLowerCase()}@trade`, data });
}

/** Resolves with `promise`, or rejects once `ms` of real time pass: a missing event fails fast instead of hanging. */
function within<T>(promise: Promise<T>, what: string, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`never happened: ${what}`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function started(r: ReturnType<typeof rig>): ReturnType<typeof rig> {
  cleanups.push(() => r.feed.stop());
  void r.feed.start();
  return r;
}

describe('a market socket silent while open', () => {
  it('is cut after the dead-socket limit with no frame, announced as an outage, reopened, and resumes', async () => {
    const server = await silentServer((socket) => socket.send(frame(trade('BTCUSDT', '100'))));
    const { rec, timers } = started(rig(server.wsBase, ['BTCUSDT'], { staleAfterMs: 0, deadAfterMs: 60_000 }));
    await rec.count('TradeTicked', 1);
    timers.advance(59_999);
    expect(rec.of('MarketDataStale')).toEqual([]);
    timers.advance(1);
    expect(rec.of('MarketDataStale')).toEqual([
      {
        type: 'MarketDataStale',
        symbols: ['BTCUSDT'],
        reason: 'no frame for 60000 ms on an open connection; reconnecting',
        cause: 'outage',
        time: 60_000,
      },
    ]);
    await within(rec.closed(1), 'the silent socket closed');
    timers.advance(100); // the backoff
    await within(rec.count('TradeTicked', 2), 'a trade on the reopened socket');
    expect(server.sockets).toHaveLength(2);
    expect(rec.of('MarketDataResumed')).toMatchObject([{ symbols: ['BTCUSDT'], gapMs: 60_100 }]);
    expect(rec.of('MarketDataStale')).toHaveLength(1);
  });

  it('counts pings as life: a quiet market whose server pings keeps its socket', async () => {
    const server = await silentServer((socket) => socket.send(frame(trade('BTCUSDT', '100'))));
    const { rec, timers } = started(rig(server.wsBase, ['BTCUSDT'], { staleAfterMs: 0, deadAfterMs: 60_000 }));
    await rec.count('TradeTicked', 1);
    timers.advance(50_000);
    const [socket] = server.sockets as [WebSocket];
    const ponged = new Promise<void>((resolve) => socket.once('pong', () => resolve()));
    socket.ping();
    await within(ponged, 'the client answered the ping'); // so the ping has reached it
    timers.advance(59_999);
    expect(rec.connections.map((c) => c.state)).toEqual(['open']);
    timers.advance(1);
    await within(rec.closed(1), 'the socket silent since the ping closed');
    expect(rec.of('MarketDataStale')[0]).toMatchObject({ reason: 'no frame for 60000 ms on an open connection; reconnecting' });
  });

  it("reopens a sandbox market socket frozen by the sandbox's freezeSockets fault", async () => {
    const box = await Sandbox.start();
    cleanups.push(() => box.close());
    const { rec, timers, feed } = started(rig(box.wsBase, ['BTCUSDT'], { staleAfterMs: 0, deadAfterMs: 60_000 }));
    await rec.opened(1);
    box.hub.trade(trade('BTCUSDT', '100'));
    await rec.count('TradeTicked', 1);
    // Reaching into the sandbox's fault plan (what POST /admin/faults arms).
    const faults = (box as unknown as { server: { faults: { arm(f: object): { ok: boolean } } } }).server.faults;
    expect(faults.arm({ kind: 'freezeSockets', target: 'market', ms: 600_000 }).ok).toBe(true);
    box.hub.trade(trade('BTCUSDT', '101')); // lost in the frozen socket
    timers.advance(60_000);
    await within(rec.closed(1), 'the frozen socket closed');
    timers.advance(100);
    await within(rec.opened(2), 'a new socket opened');
    const after = trade('BTCUSDT', '102');
    box.hub.trade(after);
    await within(rec.count('MarketDataResumed', 1), 'trades flowing on the new socket');
    expect(rec.ticks().at(-1)).toEqual(after);
    expect(feed.isStale('BTCUSDT')).toBe(false);
  });

  it('announces a quiet stream (cause quiet), then the outage once it is found dead', async () => {
    const server = await silentServer((socket) => socket.send(frame(trade('BTCUSDT', '100'))));
    const { rec, timers } = started(rig(server.wsBase, ['BTCUSDT'], { staleAfterMs: 45_000, deadAfterMs: 60_000 }));
    await rec.count('TradeTicked', 1);
    timers.advance(60_000);
    expect(rec.of('MarketDataStale').map((m) => [m.cause, m.time])).toEqual([
      ['quiet', 45_000],
      ['outage', 60_000],
    ]);
  });
});

describe('every feed staleness rule reads its setting: 0 turns it off', () => {
  it('staleAfterMs 0: an open stream quiet for an hour is not announced stale', async () => {
    const box = await Sandbox.start();
    cleanups.push(() => box.close());
    const { rec, timers, feed } = started(rig(box.wsBase, ['BTCUSDT'], { staleAfterMs: 0 }));
    await rec.opened(1);
    box.hub.trade(trade('BTCUSDT', '100'));
    await rec.count('TradeTicked', 1);
    timers.advance(3_600_000);
    expect(rec.of('MarketDataStale')).toEqual([]);
    expect(feed.isStale('BTCUSDT')).toBe(false);
  });

  it('deadAfterMs 0: a socket silent for an hour is kept', async () => {
    const server = await silentServer((socket) => socket.send(frame(trade('BTCUSDT', '100'))));
    const { rec, timers } = started(rig(server.wsBase, ['BTCUSDT'], { staleAfterMs: 0, deadAfterMs: 0 }));
    await rec.count('TradeTicked', 1);
    timers.advance(3_600_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(rec.connections.map((c) => c.state)).toEqual(['open']);
    expect(rec.of('MarketDataStale')).toEqual([]);
  });
});
