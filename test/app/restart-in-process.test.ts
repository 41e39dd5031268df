/**
 * A bot stopped and started again in one process (a replay's weekly restarts, an embedding harness) must leave nothing
 * behind: no socket on the exchange, no collector of Node's metrics started again, no listener on the process, and
 * nothing that keeps the stopped bot's memory alive. Found by the season soak: ≈1.8 MB of heap kept per restart.
 */
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { startTradingApp } from '../../src/app/trading-app.js';
import { type Instrument, catalogInstrument, fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { SandboxHub, startSandboxServer } from '../../src/sandbox/index.js';
import { deleteKeys, uniquePrefix } from '../kit/redis.js';
import { paperOnSandbox } from '../kit/sandbox-env.js';
import { untilAsync } from '../kit/until.js';

const ACCOUNT = { apiKey: 'restarts-key-0123456789', apiSecret: 'restarts-secret-0123456789' };
const RESTARTS = 3;
const PROCESS_EVENTS = ['exit', 'SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection', 'warning', 'beforeExit'] as const;

/** A full collection, so a WeakRef tells whether anything still holds what it points to. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// prom-client reaches Node's collectors through the CommonJS module object: counted there.
const perfHooks = createRequire(import.meta.url)('node:perf_hooks') as typeof import('node:perf_hooks');

const prefix = uniquePrefix();
afterAll(async () => {
  vi.restoreAllMocks();
  await deleteKeys(prefix);
});

describe('the app stopped and started again in one process', () => {
  it(`leaves no socket, collector, listener or reference to a stopped bot behind, over ${RESTARTS} restarts`, async () => {
    const btc = catalogInstrument('BTCUSDT') as Instrument;
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const hub = new SandboxHub({ instruments: [btc], balances: { USDT: fx('10000') }, account: ACCOUNT, now: () => clock.now() });
    const server = await startSandboxServer({ hub });
    const config = loadConfig({
      ...paperOnSandbox(server, ACCOUNT, prefix),
      MARKET_SYMBOLS: 'BTCUSDT',
      LOG_LEVEL: 'silent',
      METRICS_PORT: '0',
      RISK_STALE_AFTER_SECONDS: '0',
    });
    if (!config.ok) throw new Error(config.message);
    let tradeId = 0;
    const trade = () => {
      clock.advance(1_000);
      hub.trade({
        symbol: 'BTCUSDT',
        price: fx('40000'),
        quantity: fx('0.01'),
        time: clock.now(),
        tradeId: ++tradeId,
        isBuyerMaker: false,
      });
    };
    const sockets = async () => {
      const res = await fetch(`${server.httpBase}/admin/faults`);
      return ((await res.json()) as { sockets: { market: number; user: number } }).sockets;
    };
    const eventLoopMonitors = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
    const listeners = () => PROCESS_EVENTS.map((e) => process.listenerCount(e));
    let afterFirst: number[] = [];
    const stopped: WeakRef<object>[] = [];
    /** One bot's life, in a frame of its own: the test's frame keeps no reference to the stopped bot. */
    const startAndStop = async (): Promise<WeakRef<object>> => {
      // The bot waits for a first trade before it reconciles: the market runs while it starts.
      const market = setInterval(trade, 10);
      const started = await startTradingApp(config.config, {
        input: new PassThrough(),
        output: new PassThrough().resume(),
        clock,
        log: pino({ level: 'silent' }),
        terminal: false,
      });
      clearInterval(market);
      if (!started.ok) throw new Error(started.error.message);
      const app = started.value;
      // Something outside the bot listens to its exchange too (a harness, a monitor): the bot's stop still closes it.
      app.kernel.gateway.subscribe({ onExecution: () => undefined, onBalances: () => undefined });
      expect((await sockets()).user).toBe(1);
      await app.shutdown();
      return new WeakRef(app);
    };
    try {
      for (let i = 0; i < RESTARTS; i++) {
        stopped.push(await startAndStop());
        // The exchange sees the bot's market and user data sockets go.
        await untilAsync(async () => {
          const s = await sockets();
          return s.market === 0 && s.user === 0;
        });
        // A library may hook the process once (an exit flush); a start must not add another.
        if (i === 0) afterFirst = listeners();
      }
      // Node's event-loop and GC collectors cannot be stopped: started once for the process at most, never per start.
      expect(eventLoopMonitors.mock.calls.length).toBeLessThanOrEqual(1);
      expect(listeners()).toEqual(afterFirst);
      // Nothing holds a stopped bot: each is collected (a WeakRef clears after a collection in a later task).
      await untilAsync(async () => {
        await new Promise((r) => setImmediate(r));
        gc();
        return stopped.every((ref) => ref.deref() === undefined);
      });
    } finally {
      await server.close();
    }
  });
});
