import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type RunningSandbox, parseSandboxFlags, runSandbox } from '../../src/app/sandbox-command.js';
import { type TradingApp, startTradingApp } from '../../src/app/trading-app.js';
import type { Message } from '../../src/domain/index.js';
import { deleteKeys, uniquePrefix } from '../kit/redis.js';
import { StepTimers } from '../kit/step-timers.js';
import { until } from '../kit/until.js';

/**
 * Issue 9: a replayed day must trade with default settings, both with the sandbox embedded (MARKET_DATA=replay:…) and
 * with a separately started `telegrid sandbox --data … --speed N` the bot is pointed at. The bot's clock is wall time
 * (as in `telegrid start`), years after the tape's trades, and the tape runs at its speed on that same fake wall time,
 * which moves only between loopback deliveries, so nothing depends on how fast this machine is.
 */
const TAPE = fileURLToPath(new URL('../../../shared/data/BTCUSDT-1m-2020-01-01.csv', import.meta.url));
const WALL_START = Date.UTC(2026, 5, 1);
/** A 1m kline replays as trades at +0, +15 s, +30 s and +59.999 s: the one after +30 s is the tape's longest gap. */
const MINUTE = 60_000;
const LONG_GAP_STARTS_AT = 30_000;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Route = 'embedded' | 'external';

async function botOnTape(route: Route, speed: number, env: Record<string, string> = {}) {
  const prefix = uniquePrefix();
  cleanups.push(() => deleteKeys(prefix));
  const timers = new StepTimers(WALL_START);
  const clock = { now: () => timers.now() };
  let settings: Record<string, string> = { KEY_PREFIX: prefix, MARKET_SPEED: String(speed), MARKET_SYMBOLS: 'BTCUSDT', ...env };
  let sandbox: RunningSandbox | undefined;
  if (route === 'external') {
    const base = loadConfig(settings);
    if (!base.ok) throw new Error(base.message);
    const flags = parseSandboxFlags(['--port', '0', '--data', TAPE, '--speed', String(speed)], base.config);
    if (!flags.ok) throw new Error(flags.error.message);
    const run = await runSandbox(flags.value, base.config, clock.now, timers);
    if (!run.ok) throw new Error(run.error.message);
    sandbox = run.value;
    cleanups.push(() => run.value.stop());
    const { httpBase, wsBase, wsApi } = sandbox.server;
    settings = { ...settings, BINANCE_HTTP_BASE: httpBase, BINANCE_WS_BASE: wsBase, BINANCE_WS_API: wsApi };
  } else {
    settings = { ...settings, MARKET_DATA: `replay:${TAPE}` };
  }
  const config = loadConfig(settings);
  if (!config.ok) throw new Error(config.message);
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
  const started = await startTradingApp(config.config, {
    input,
    output,
    clock,
    log: pino({ level: 'silent' }),
    terminal: false,
    timers,
    realtime: { timers },
  });
  if (!started.ok) throw new Error(started.error.message);
  const app: TradingApp = started.value;
  cleanups.push(() => app.shutdown());
  const { hub, server } = sandbox ?? app.exchange.embedded!;

  const bus = app.kernel.host.bus;
  const denials: string[] = [];
  const stale: Message[] = [];
  let fills = 0;
  bus.on('OrderDenied', (m) => denials.push(`${m.code}: ${m.message}`));
  bus.on('MarketDataStale', (m) => stale.push(m));
  bus.on('OrderFilled', (m) => void (m.owner.kind === 'grid' && fills++));

  // Trades the sandbox sent once the bot's market socket was subscribed, against what reached the bot (tape ids rise),
  // and the order events it sent against those the bot heard: fake time moves on only once both have landed and the
  // order pipeline is idle, as a real clock would barely have moved meanwhile (a request signed before a jump of fake
  // time would arrive outside Binance's recvWindow).
  await until(() => server.faults.status().sockets.market > 0);
  let lastSent = -1;
  let lastGot = -1;
  let sentEvents = 0;
  let gotEvents = 0;
  hub.onTrade((t) => (lastSent = t.tradeId));
  bus.on('TradeTicked', (m) => (lastGot = Math.max(lastGot, m.tick.tradeId)));
  hub.onVenueEvent(() => sentEvents++);
  app.kernel.gateway.subscribe({ onExecution: () => gotEvents++, onBalances: () => gotEvents++ });
  const landed = async () => {
    await until(() => lastGot >= lastSent && gotEvents >= sentEvents);
    await app.kernel.executor.settled();
    await until(() => gotEvents >= sentEvents);
  };

  /** Runs the next due timer (a tape trade, a feed check) and lets what it sent land. */
  async function step(): Promise<void> {
    if (!timers.runNext(Number.POSITIVE_INFINITY)) throw new Error('nothing left to run');
    await landed();
  }

  /** Runs `ms` of wall time, one timer at a time. */
  async function runFor(ms: number): Promise<void> {
    const end = Math.floor(timers.now() + ms);
    while (timers.runNext(end)) await landed();
    timers.moveTo(end);
  }

  async function type(line: string, expected: RegExp): Promise<void> {
    const mark = screen.length;
    input.write(`${line}\n`);
    await until(() => expected.test(screen.slice(mark)));
    await landed();
  }

  /** Steps until the last trade received opens the tape's longest gap, then waits out all but a second of it. */
  async function intoLongestGap(): Promise<void> {
    while ((app.kernel.market.lastSeen('BTCUSDT')?.time ?? -1) % MINUTE !== LONG_GAP_STARTS_AT) await step();
    await runFor((LONG_GAP_STARTS_AT - 1_000) / speed);
  }

  return { app, timers, step, runFor, type, intoLongestGap, denials, stale, fills: () => fills, screen: () => screen };
}

/** Starts a 10-level grid, 0.1 % apart, late in the tape's longest gap, then replays `minutes` of the tape. */
async function gridOnTape(route: Route, speed: number, minutes: number, env: Record<string, string> = {}) {
  const bot = await botOnTape(route, speed, env);
  await bot.intoLongestGap();
  await bot.type('/grid BTCUSDT 10 0.1', /Type confirm or cancel\./);
  // Refused whole when every opening order is denied: the denials say why.
  await bot.type('confirm', /Grid G1 started|Grid not started/);
  await until(() => bot.app.kernel.tracker.openCount('BTCUSDT') === 20 || bot.denials.length > 0);
  await bot.runFor((minutes * MINUTE) / speed);
  await until(() => bot.app.kernel.tracker.openCount('BTCUSDT') === 20 || bot.denials.length > 0);
  await bot.app.kernel.executor.settled();
  return bot;
}

describe('a replayed 1m day with default settings (issue 9)', () => {
  for (const route of ['embedded', 'external'] as const) {
    for (const speed of [1, 60]) {
      it(`${route} sandbox at ${speed}×: the grid places every order and no stale alarm fires`, async () => {
        const bot = await gridOnTape(route, speed, speed === 1 ? 10 : 120);
        expect(bot.denials).toEqual([]);
        expect(bot.stale).toEqual([]);
        expect(bot.app.kernel.tracker.openCount('BTCUSDT')).toBe(20);
        expect(bot.screen()).not.toContain('Market data stale');
        // The grid traded the tape: its fills were re-armed (20 open again), every re-arm approved.
        expect(bot.fills()).toBeGreaterThan(1);
      }, 60_000);
    }
  }

  it('RISK_STALE_AFTER_SECONDS=0 turns off every quiet-time rule: a grid started 29 s into a gap is placed whole', async () => {
    const bot = await gridOnTape('embedded', 1, 2, { RISK_STALE_AFTER_SECONDS: '0' });
    expect(bot.denials).toEqual([]);
    expect(bot.stale).toEqual([]);
    expect(bot.app.kernel.tracker.openCount('BTCUSDT')).toBe(20);
  }, 60_000);
});
