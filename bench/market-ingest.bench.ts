/**
 * Market-data ingest: Binance combined-stream trade frames over loopback through BinanceTradeFeed (parse to exact
 * TradeTicks, publish on the bus) against the floor, a bare `ws` client doing JSON.parse on the same frames. The frames
 * are the sandbox's own: a child process pushes the tape through SandboxHub.trade, records what its /stream endpoint
 * sends, then replays those frames, pre-framed, as fast as loopback takes them to every client, so both sides read the
 * same bytes and the server is not what sets the pace. Targets: ≥ 100,000 messages/s and ≥ 0.4 of the floor.
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { type Instrument, type TradeTick, catalogInstrument, fx } from '../src/domain/index.js';
import { MessageBus } from '../src/engine/index.js';
import { BinanceTradeFeed } from '../src/market/index.js';
import { SandboxHub, startSandboxServer } from '../src/sandbox/index.js';
import { peakRssMb, report } from './stats.js';

const MESSAGES = 200_000;
const SYMBOLS = Array.from({ length: 20 }, (_, i) => `S${String(i).padStart(2, '0')}USDT`);
const REPEATS = 5;
const STREAM_PATH = `/stream?streams=${SYMBOLS.map((s) => `${s.toLowerCase()}@trade`).join('/')}`;

if (process.argv[2] === 'serve') await serve();
else await measure();

// ── child: record the sandbox's frames, then replay them ─────────────────────────────────────────────────────────

async function serve(): Promise<void> {
  const wire = frameAll(await recordSandboxFrames());
  // A hand-rolled upgrade that writes the pre-framed bytes in large chunks: the replay costs a memcpy per chunk, so
  // the clients, not the server, set the pace.
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    let at = 0;
    socket.on('error', () => socket.destroy());
    // Clients send nothing but their close frame here: answer it and stop replaying.
    socket.on('data', () => {
      at = wire.length;
      socket.end(Buffer.from([0x88, 0x00]));
    });
    const accept = createHash('sha1')
      .update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const pump = (): void => {
      while (at < wire.length && !socket.destroyed) {
        const end = Math.min(wire.length, at + 1_048_576);
        const more = socket.write(wire.subarray(at, end));
        at = end;
        if (!more) return void socket.once('drain', pump);
      }
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.send?.({ port: (server.address() as AddressInfo).port });
  process.on('disconnect', () => process.exit(0));
}

/** Every frame as an unmasked, final text frame (RFC 6455 §5.2), one buffer for the whole run. */
function frameAll(frames: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of frames) {
    const body = Buffer.from(f);
    if (body.length > 65_535) throw new Error('frame too long for the bench framing');
    const head = body.length < 126 ? Buffer.from([0x81, body.length]) : Buffer.from([0x81, 126, body.length >> 8, body.length & 0xff]);
    parts.push(head, body);
  }
  return Buffer.concat(parts);
}

async function recordSandboxFrames(): Promise<string[]> {
  const template = catalogInstrument('BTCUSDT') as Instrument;
  const hub = new SandboxHub({
    instruments: SYMBOLS.map((symbol) => ({ ...template, symbol })),
    account: { apiKey: 'bench', apiSecret: 'bench' },
    now: () => 1_700_000_000_000,
  });
  const server = await startSandboxServer({ hub });
  const frames: string[] = [];
  const socket = new WebSocket(server.wsBase.replace(/\/ws$/, STREAM_PATH), { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const all = new Promise<void>((resolve) => {
    socket.on('message', (data) => {
      frames.push(String(data));
      if (frames.length === MESSAGES) resolve();
    });
  });
  const tape = buildTape();
  for (let i = 0; i < tape.length; i += 5_000) {
    for (let j = i; j < Math.min(tape.length, i + 5_000); j++) hub.trade(tape[j] as TradeTick);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await all;
  socket.terminate();
  await server.close();
  return frames;
}

/** A seeded walk in whole cents around 100, round-robin over the symbols. */
function buildTape(): TradeTick[] {
  let seed = 7;
  const draw = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const cents = SYMBOLS.map(() => 10_000);
  const tape: TradeTick[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const s = i % SYMBOLS.length;
    cents[s] = Math.max(1, (cents[s] as number) + Math.round((draw() - 0.5) * 4));
    const c = cents[s] as number;
    tape.push({
      symbol: SYMBOLS[s] as string,
      price: fx(`${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`),
      quantity: fx(`0.${String(1 + Math.floor(draw() * 99_999)).padStart(5, '0')}`),
      time: 1_700_000_000_000 + i,
      tradeId: 1 + Math.floor(i / SYMBOLS.length),
      isBuyerMaker: draw() < 0.5,
    });
  }
  return tape;
}

// ── parent: the floor and the feed, alternating ──────────────────────────────────────────────────────────────────

async function measure(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { port: number }));
    child.once('exit', (code) => reject(new Error(`frame server exited with ${code}`)));
  });
  const floors: number[] = [];
  const feeds: number[] = [];
  try {
    for (let r = 0; r < REPEATS; r++) {
      floors.push(await floorRun(port));
      feeds.push(await feedRun(port));
    }
  } finally {
    child.disconnect();
    child.kill();
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  report({
    bench: 'market_ingest',
    value: median(feeds),
    unit: 'messages/s',
    floor: median(floors),
    messages_per_run: MESSAGES,
    symbols: SYMBOLS.length,
    runs: REPEATS,
    feed_min: Math.min(...feeds),
    feed_max: Math.max(...feeds),
    floor_min: Math.min(...floors),
    floor_max: Math.max(...floors),
    peak_rss_mb: peakRssMb(),
  });
}

/** Messages per second from the open to the last message, for a bare client that JSON.parses each frame. */
function floorRun(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${STREAM_PATH}`, { perMessageDeflate: false });
    let start = 0n;
    let n = 0;
    let sink = 0;
    socket.once('open', () => (start = process.hrtime.bigint()));
    socket.once('error', reject);
    socket.on('message', (data) => {
      sink += (JSON.parse(String(data)) as { data: { t: number } }).data.t;
      if (++n === MESSAGES) {
        const secs = Number(process.hrtime.bigint() - start) / 1e9;
        socket.terminate();
        resolve(sink > 0 ? MESSAGES / secs : 0);
      }
    });
  });
}

/** Messages per second from the open to the last TradeTicked on the bus. */
function feedRun(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const bus = new MessageBus();
    let start = 0n;
    let n = 0;
    const feed = new BinanceTradeFeed({
      wsBase: `ws://127.0.0.1:${port}/ws`,
      symbols: SYMBOLS,
      bus,
      onConnection: (e) => {
        if (e.state === 'open') start = process.hrtime.bigint();
        else reject(new Error(`feed connection closed: ${e.code}`));
      },
    });
    bus.on('TradeTicked', () => {
      if (++n === MESSAGES) {
        const secs = Number(process.hrtime.bigint() - start) / 1e9;
        feed.stop().then(() => resolve(MESSAGES / secs), reject);
      }
    });
    void feed.start();
  });
}
