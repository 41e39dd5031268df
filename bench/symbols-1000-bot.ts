/**
 * The symbols_1000 bench's bot: `startTradingApp` as `telegrid start` builds it (the console front end, paper mode at
 * the sandbox the BINANCE_* settings name), in a process of its own so its RSS is its own. The bench drives it over
 * IPC: the settings, grids typed into the console, counter readings. It counts on the bot's bus: trades ingested,
 * stale announcements, denials by code, grid fills and the re-arms they caused.
 */
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../src/app/config.js';
import { type TradingApp, startTradingApp } from '../src/app/trading-app.js';
import { systemTime } from '../src/execution/index.js';

/** What the bench asks the bot, and the bot's answers (one `reply` per ask, with the ask's id). */
type BotAsk =
  | { readonly id: number; readonly ask: 'start'; readonly env: Record<string, string> }
  | { readonly id: number; readonly ask: 'grids'; readonly symbols: readonly string[]; readonly levels: number; readonly spacing: string }
  | { readonly id: number; readonly ask: 'count' }
  | { readonly id: number; readonly ask: 'final' }
  | { readonly id: number; readonly ask: 'stop' };

export interface BotCount {
  readonly trades: number;
  readonly at: number;
  /** CPU time the process has used, user and system, ms. */
  readonly cpuMs: number;
}

export interface BotStarted {
  /** Wall time (ms) the process began, start-up began and ended, and every connection carried a trade. */
  readonly processAt: number;
  readonly appStartAt: number;
  readonly appReadyAt: number;
  readonly liveAt: number;
  readonly instruments: number;
  readonly connections: number;
  readonly streamsPerConnection: readonly number[];
}

export interface GridsStarted {
  readonly started: number;
  readonly failed: readonly string[];
  readonly ms: number;
}

export interface BotFinal {
  readonly trades: number;
  readonly staleAnnounced: number;
  readonly resumed: number;
  readonly denied: Record<string, number>;
  /** Grid LIMIT orders completely filled; those with a first fill; the re-arms their fills sent. */
  readonly gridFills: number;
  readonly filledOrders: number;
  readonly rearmsSent: number;
  /** Filled ladder orders whose re-arm (the opposite side, one level over) has not been sent (held, or lost). */
  readonly notRearmed: number;
  /** The open orders of (at most two) grids holding more than their ladder (a part-filled order re-arms in parts). */
  readonly overLadder: readonly string[];
  /** Re-arms the venue accepted, filled or still on their way (sent, no answer yet). */
  readonly rearmsAccepted: number;
  readonly rearmsInFlight: number;
  /** Levels a grid holds back until a passing refusal clears (held levels), and refusals told. */
  readonly levelsRefused: number;
  /** How many grids have n open LIMIT orders in the bot's tracker, by n. */
  readonly openPerGrid: Record<string, number>;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly peakRssMb: number;
}

/** `tg_G1_7_B-3` → `G1 B-3`, or with `flip` the level its fill re-arms: `G1 S-2`. */
function levelKey(gridId: string, clientOrderId: string, flip: 0 | 1): string {
  const m = /_([BS])(-?\d+)$/.exec(clientOrderId);
  if (m === null) return `${gridId} ${clientOrderId}`;
  const level = Number(m[2]);
  if (flip === 0) return `${gridId} ${m[1]}${level}`;
  return m[1] === 'B' ? `${gridId} S${level + 1}` : `${gridId} B${level - 1}`;
}

const now = (): number => performance.timeOrigin + performance.now();
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runBot(): Promise<void> {
  const processAt = performance.timeOrigin;
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
  let app: TradingApp | undefined;
  let levels = 0;

  const counters = {
    trades: 0,
    staleAnnounced: 0,
    resumed: 0,
    denied: {} as Record<string, number>,
    gridFills: 0,
    filledOrders: 0,
    levelsRefused: 0,
  };
  /**
   * Re-arms owed: a filled ladder order `tg_G1_7_B-3` owes a SELL at level -2 of G1 from its first fill on (a partly
   * filled order re-arms each part big enough to place, grid-strategy.ts `rearm`; the first such order pays the debt).
   */
  const owed = new Map<string, number>();
  const rearms = new Set<string>();
  const gridIds = new Set<string>();
  const rearmAnswered = new Set<string>();
  const limitIds = new Set<string>();

  const type = async (line: string, expected: RegExp, boundMs = 30_000): Promise<string> => {
    const mark = screen.length;
    input.write(`${line}\n`);
    const end = now() + boundMs;
    while (!expected.test(screen.slice(mark))) {
      if (now() > end) throw new Error(`no answer to ${line}:\n${screen.slice(mark).slice(-800)}`);
      await sleep(2);
    }
    return screen.slice(mark);
  };

  async function start(env: Record<string, string>): Promise<BotStarted> {
    const config = loadConfig(env);
    if (!config.ok) throw new Error(config.message);
    const appStartAt = now();
    const started = await startTradingApp(config.config, {
      input,
      output,
      clock: systemTime,
      pipelineTime: systemTime,
      log: pino({ level: 'warn' }, process.stderr),
      terminal: false,
    });
    if (!started.ok) throw new Error(started.error.message);
    const appReadyAt = now();
    const a = (app = started.value);
    const bus = a.kernel.host.bus;
    bus.on('TradeTicked', () => counters.trades++);
    bus.on('MarketDataStale', () => counters.staleAnnounced++);
    bus.on('MarketDataResumed', () => counters.resumed++);
    bus.on('OrderDenied', (m) => (counters.denied[m.code] = (counters.denied[m.code] ?? 0) + 1));
    bus.on('GridLevelRefused', () => counters.levelsRefused++);
    bus.on('OrderSent', (m) => {
      if (m.owner.kind !== 'grid' || m.intent.type !== 'LIMIT') return;
      limitIds.add(m.clientOrderId);
      gridIds.add(m.owner.gridId);
      const key = levelKey(m.owner.gridId, m.clientOrderId, 0);
      const due = owed.get(key) ?? 0;
      if (due === 0) return;
      rearms.add(m.clientOrderId);
      owed.set(key, due - 1);
    });
    const answered = (m: { clientOrderId: string }) => {
      if (rearms.has(m.clientOrderId)) rearmAnswered.add(m.clientOrderId);
    };
    bus.on('OrderAccepted', answered);
    bus.on('OrderFilled', (m) => {
      answered(m);
      if (!limitIds.has(m.clientOrderId) || m.owner.kind !== 'grid') return;
      if (m.complete) counters.gridFills++;
      if (m.cumQty !== m.quantity) return; // not the order's first fill
      counters.filledOrders++;
      const key = levelKey(m.owner.gridId, m.clientOrderId, 1);
      owed.set(key, (owed.get(key) ?? 0) + 1);
    });
    // Subscribed once every connection has carried a trade (the subscription is the URL; a trade proves it flows).
    const symbols = a.feed.symbols;
    while (symbols.some((s) => a.feed.isStale(s))) await sleep(5);
    const urls = a.feed.urls;
    return {
      processAt,
      appStartAt,
      appReadyAt,
      liveAt: now(),
      instruments: a.venue.instruments.length,
      connections: urls.length,
      streamsPerConnection: urls.map((u) => u.split('/').length - 3),
    };
  }

  async function grids(symbols: readonly string[], n: number, spacing: string): Promise<GridsStarted> {
    levels = n;
    const t0 = now();
    const failed: string[] = [];
    let started = 0;
    const a = app as TradingApp;
    for (const symbol of symbols) {
      // A grid is priced from the last trade: wait for the symbol's first (its stream flows; this one may be slow).
      while (a.kernel.market.lastPrice(symbol) === undefined) await sleep(5);
      let ok = false;
      // A price that moved between preview and confirm is refused: ask again.
      for (let attempt = 0; !ok && attempt < 3; attempt++) {
        const preview = await type(`/grid ${symbol} ${n} ${spacing}`, /Type confirm or cancel\.|✗|usage/);
        const answer = /Type confirm or cancel\./.test(preview)
          ? await type('confirm', /Grid (G\w+) started|Grid not started|✗|Nothing to confirm/)
          : preview;
        ok = /Grid (G\w+) started/.test(answer);
        if (!ok && attempt === 2) failed.push(`${symbol}: ${answer.trim().slice(0, 300)}`);
      }
      if (ok) started++;
    }
    return { started, failed, ms: now() - t0 };
  }

  function final(): BotFinal {
    const a = app as TradingApp;
    const openPerGrid = new Map<string, number>();
    for (const id of gridIds) openPerGrid.set(id, 0);
    let inFlight = 0;
    for (const o of a.kernel.tracker.open()) {
      if (o.intent.owner.kind !== 'grid' || o.intent.type !== 'LIMIT') continue;
      const id = o.intent.owner.gridId;
      openPerGrid.set(id, (openPerGrid.get(id) ?? 0) + 1);
      if (rearms.has(o.intent.clientOrderId) && !rearmAnswered.has(o.intent.clientOrderId)) inFlight++;
    }
    const histogram: Record<string, number> = {};
    for (const n of openPerGrid.values()) histogram[n] = (histogram[n] ?? 0) + 1;
    const over = [...openPerGrid].filter(([, n]) => n > 2 * levels).map(([id]) => id);
    const overOrders = a.kernel.tracker
      .open()
      .filter((o) => o.intent.owner.kind === 'grid' && over.slice(0, 2).includes(o.intent.owner.gridId))
      .map((o) => `${o.intent.clientOrderId} ${o.intent.type} ${o.status} ${o.intent.price ?? ''}`);
    const mem = process.memoryUsage();
    return {
      ...counters,
      rearmsSent: rearms.size,
      notRearmed: [...owed.values()].reduce((x, y) => x + y, 0),
      overLadder: overOrders,
      rearmsAccepted: rearmAnswered.size,
      rearmsInFlight: inFlight,
      openPerGrid: histogram,
      rssMb: mem.rss / 1_048_576,
      heapUsedMb: mem.heapUsed / 1_048_576,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  }

  process.on('message', (raw) => {
    const m = raw as BotAsk;
    const answer = async (): Promise<unknown> => {
      switch (m.ask) {
        case 'start':
          return start(m.env);
        case 'grids':
          return grids(m.symbols, m.levels, m.spacing);
        case 'count':
          return { trades: counters.trades, at: now(), cpuMs: cpuMs() } satisfies BotCount;
        case 'final':
          // Let the last minute's garbage go, so the figure is what the bot holds, not what it has yet to free.
          (globalThis as { gc?: () => void }).gc?.();
          return final();
        case 'stop':
          await app?.shutdown();
          return {};
      }
    };
    answer().then(
      (value) => process.send?.({ id: m.id, value }),
      (error: unknown) => process.send?.({ id: m.id, error: (error as Error).stack ?? String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
