/**
 * 1,000 symbols in one bot (issue 14): `telegrid sandbox --universe 1000` in one process (the catalog's pairs and
 * generated ones, prices 0.0001 to 50,000 with ticks and steps to match), the bot in paper mode at it in another
 * (`startTradingApp` as `telegrid start` builds it, console front end), its feed on every symbol's trade stream in
 * MARKET_STREAMS_PER_CONNECTION-sized connections, a 2×LEVELS grid typed into the console on every fifth symbol.
 * Both children are this bundle run by bare node (no TypeScript loader in the measured process). Three lines:
 * - `symbols_1000_startup`: ms from launching the bot's process until exchangeInfo is loaded and every connection
 *   has carried a trade. Floor: this process fetching and parsing the same exchangeInfo, then opening bare `ws`
 *   connections to the same stream URLs until each has carried a trade.
 * - `symbols_1000_ingest`: trades/s the bot's feed published on its bus (TradeTicked) over the run, beside the floor:
 *   those bare `ws` connections, open on the same streams all along, counting frames parsed with JSON.parse.
 * - `symbols_1000_rss`: the bot's RSS after the run (after a GC), with the duration, stale announcements and stale
 *   denials (false alarms: the sandbox never stops), denials by code, grid fills and re-arms, and the open orders per
 *   grid in the bot's tracker and on the venue.
 * Settings: SYMBOLS_1000_MINUTES (default 10; fractions for a quick look), SYMBOLS_1000_TRADE_RATE (mean trades per
 * second per symbol, default 2: 2,000 trades/s over the universe), SYMBOLS_1000_STREAMS (streams per connection,
 * default the bot's 200). Targets: start-up < 10 s, ingest ≥ 0.6 of the floor, RSS < 400 MB after 10 minutes, no
 * stale false alarm, every fill re-armed.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { planTradeConnections } from '../src/market/binance/index.js';
import { report } from './stats.js';
import { type BotCount, type BotFinal, type BotStarted, type GridsStarted, runBot } from './symbols-1000-bot.js';
import { type SandboxReady, type SandboxSeen, runBenchSandbox } from './symbols-1000-sandbox.js';
import { REDIS_URL, deleteKeys } from './redis-cleanup.js';

const SYMBOLS = 1_000;
const GRIDS = 200;
const LEVELS = 5;
const SPACING = '0.5';
const MINUTES = Number(process.env.SYMBOLS_1000_MINUTES ?? 10);
const TRADE_RATE = Number(process.env.SYMBOLS_1000_TRADE_RATE ?? 2);
const STREAMS = Number(process.env.SYMBOLS_1000_STREAMS ?? 200);

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const role = process.argv[2];
if (role === 'bot') await runBot();
else if (role === 'sandbox') await runBenchSandbox();
else await measure();

/** A child of this bundle in `role`, asked questions over IPC (one answer per question, by id). */
function child(name: 'bot' | 'sandbox') {
  const proc: ChildProcess = fork(fileURLToPath(import.meta.url), [name], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  proc.on('message', (raw) => {
    const m = raw as { id: number; value?: unknown; error?: string };
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error !== undefined) w?.reject(new Error(`${name}: ${m.error}`));
    else w?.resolve(m.value);
  });
  proc.once('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`${name} exited with ${code}`));
    waiting.clear();
  });
  /** Lets the child exit on its own (a --cpu-prof profile is written then), killing it if it has not within 5 s. */
  const end = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    if (proc.connected) proc.disconnect();
    const timer = setTimeout(() => proc.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const ask = <T>(question: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      proc.send({ ...question, id });
    });
  return { proc, ask, end };
}

/** Bare `ws` clients on the stream URLs, counting every frame they JSON.parse. */
function bareClients(urls: readonly string[]) {
  let frames = 0;
  let sink = 0;
  const firsts = new Set<WebSocket>();
  const sockets = urls.map((url) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.on('message', (data) => {
      sink += (JSON.parse(String(data)) as { data: { t: number } }).data.t;
      frames++;
      firsts.add(socket);
    });
    socket.on('error', (e) => process.stderr.write(`floor socket: ${e.message}\n`));
    return socket;
  });
  return {
    allFlowing: () => firsts.size === sockets.length,
    frames: () => (sink >= 0 ? frames : 0),
    close: () => sockets.forEach((s) => s.terminate()),
  };
}

async function measure(): Promise<void> {
  const prefix = `bench-sym:${process.pid}:${randomBytes(4).toString('hex')}`;
  const sandbox = child('sandbox');
  let bot: ReturnType<typeof child> | undefined;
  let floor: ReturnType<typeof bareClients> | undefined;
  try {
    const flags = ['--port', '0', '--universe', String(SYMBOLS), '--trade-rate', String(TRADE_RATE), '--balances', 'USDT=10000000'];
    const venue = await sandbox.ask<SandboxReady>({ ask: 'start', flags });

    // The floor of start-up: what any client must do to trade these markets, exchangeInfo read and every stream flowing.
    const floorStart = now();
    const info = (await (await fetch(`${venue.httpBase}/api/v3/exchangeInfo`)).json()) as { symbols: unknown[] };
    if (info.symbols.length !== SYMBOLS) throw new Error(`exchangeInfo lists ${info.symbols.length} symbols`);
    const plans = planTradeConnections(venue.wsBase, venue.symbols, STREAMS);
    floor = bareClients(plans.map((p) => p.url));
    while (!floor.allFlowing()) await sleep(1);
    const floorStartupMs = now() - floorStart;

    const launchedAt = now();
    const b = (bot = child('bot'));
    const env: Record<string, string> = {
      TRADING_MODE: 'paper',
      BINANCE_HTTP_BASE: venue.httpBase,
      BINANCE_WS_BASE: venue.wsBase,
      BINANCE_WS_API: venue.wsApi,
      KEY_PREFIX: prefix,
      REDIS_URL,
      MARKET_SYMBOLS: venue.symbols.join(','),
      MARKET_STREAMS_PER_CONNECTION: String(STREAMS),
      METRICS_PORT: '0',
      GRID_DEFAULT_AMOUNT: '50',
      RISK_MAX_OPEN_ORDERS_TOTAL: '5000',
      RISK_MAX_POSITION_NOTIONAL: '100000',
      RISK_MAX_DAILY_LOSS: '1000000',
    };
    const started = await b.ask<BotStarted>({ ask: 'start', env });
    const startupMs = started.liveAt - launchedAt;

    // The run: from the moment every stream flows, for MINUTES; the grids are typed in at its start.
    const runStart = await b.ask<BotCount>({ ask: 'count' });
    const floorAtStart = floor.frames();
    const gridSymbols = venue.symbols.filter((_, i) => i % (SYMBOLS / GRIDS) === 0).slice(0, GRIDS);
    const grids = await b.ask<GridsStarted>({ ask: 'grids', symbols: gridSymbols, levels: LEVELS, spacing: SPACING });
    const endAt = runStart.at + MINUTES * 60_000;
    while (now() < endAt) await sleep(Math.min(1_000, endAt - now()));
    const runEnd = await b.ask<BotCount>({ ask: 'count' });
    const floorAtEnd = floor.frames();
    const seconds = (runEnd.at - runStart.at) / 1000;
    const ingest = (runEnd.trades - runStart.trades) / seconds;
    const floorIngest = (floorAtEnd - floorAtStart) / seconds;

    const final = await b.ask<BotFinal>({ ask: 'final' });
    const seen = await sandbox.ask<SandboxSeen>({ ask: 'seen' });
    const common = { minutes: MINUTES, symbols: SYMBOLS, connections: started.connections, streams_per_connection: STREAMS };
    const staleDenied = (final.denied.STALE_MARKET_DATA ?? 0) + (final.denied.NO_MARKET_DATA ?? 0);
    report({
      bench: 'symbols_1000_startup',
      value: startupMs,
      unit: 'ms',
      floor: floorStartupMs,
      ...common,
      instruments: started.instruments,
      process_boot_ms: started.appStartAt - launchedAt,
      start_trading_app_ms: started.appReadyAt - started.appStartAt,
      first_trade_every_connection_ms: started.liveAt - started.appReadyAt,
      target_ms: 10_000,
    });
    report({
      bench: 'symbols_1000_ingest',
      value: ingest,
      unit: 'trades/s',
      floor: floorIngest,
      ...common,
      trade_rate_per_symbol: TRADE_RATE,
      bot_trades: runEnd.trades - runStart.trades,
      floor_trades: floorAtEnd - floorAtStart,
      sandbox_trades: seen.trades,
      // The bot's CPU over the run, in % of one core: everything it did, grids and orders included.
      bot_cpu_pct: ((runEnd.cpuMs - runStart.cpuMs) / (runEnd.at - runStart.at)) * 100,
      target_ratio: 0.6,
    });
    report({
      bench: 'symbols_1000_rss',
      value: final.rssMb,
      unit: 'MB',
      // The same process's heap in use: what the rest of the RSS sits beside.
      floor: final.heapUsedMb,
      ...common,
      peak_rss_mb: final.peakRssMb,
      target_mb: 400,
      stale_announced: final.staleAnnounced,
      stale_denied: staleDenied,
      denied: final.denied,
      grids_started: grids.started,
      grids_failed: grids.failed.length,
      grids_typed_ms: grids.ms,
      grid_fills: final.gridFills,
      grid_orders_filled: final.filledOrders,
      venue_grid_fills: seen.gridFills,
      rearms_sent: final.rearmsSent,
      not_rearmed: final.notRearmed,
      rearms_answered: final.rearmsAccepted,
      rearms_in_flight: final.rearmsInFlight,
      levels_refused: final.levelsRefused,
      open_per_grid: final.openPerGrid,
      venue_open_per_grid: seen.openPerGrid,
    });
    if (final.overLadder.length > 0) process.stderr.write(`symbols_1000: grids over their ladder:\n${final.overLadder.join('\n')}\n`);
    if (grids.failed.length > 0) process.stderr.write(`symbols_1000: grids not started:\n${grids.failed.slice(0, 5).join('\n')}\n`);
    await b.ask({ ask: 'stop' });
  } finally {
    floor?.close();
    await bot?.end();
    await sandbox.ask({ ask: 'stop' }).catch(() => undefined);
    await sandbox.end();
    await deleteKeys(prefix);
  }
}
