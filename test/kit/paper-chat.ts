/** The terminal chat on the embedded paper sandbox, typed into and read back as text, for end-to-end chat tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type TradingAppIO, startTradingApp } from '../../src/app/trading-app.js';
import { ManualClock } from '../../src/engine/index.js';
import type { PipelineTime } from '../../src/execution/index.js';
import { signPayload } from '../../src/sandbox/index.js';
import { deleteKeys, uniquePrefix } from './redis.js';
import { until } from './until.js';

export { until } from './until.js';

/**
 * The terminal chat exactly as `npm start` builds it (with `env` as the only settings), typed into and read back as
 * text, over the embedded sandbox whose tape the test pumps. Without a KEY_PREFIX in `env` the paper account gets a
 * fresh Redis prefix of its own, deleted (after shutdown) when the test finishes; with one, the caller cleans up.
 */
export async function paperChat(
  env: Record<string, string> = {},
  startTime = Date.UTC(2025, 0, 1),
  /** The order pipeline's clock: a long replay passes `scaledTime(…)` so the rate budget's windows pass with the market. */
  pipelineTime?: PipelineTime,
  /** More of the app's IO: how long /backtest waits before it answers with a progress line (0: at once). */
  extra: Pick<TradingAppIO, 'backtestAnswerWithinMs'> = {},
) {
  const ownPrefix = env.KEY_PREFIX === undefined ? uniquePrefix() : undefined;
  // Pictures the console saves go to a folder of the test's own, never into the working directory (the repository).
  const chartDir = env.CHART_DIR === undefined ? mkdtempSync(join(tmpdir(), 'telegrid-chat-charts-')) : undefined;
  const withDirs = { ...env, ...(chartDir !== undefined ? { CHART_DIR: chartDir } : {}) };
  if (chartDir !== undefined) onTestFinished(() => rmSync(chartDir, { recursive: true, force: true }));
  const config = loadConfig(ownPrefix === undefined ? withDirs : { ...withDirs, KEY_PREFIX: ownPrefix });
  if (!config.ok) throw new Error(config.message);
  const clock = new ManualClock(startTime);
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
    ...(pipelineTime !== undefined ? { pipelineTime } : {}),
    ...extra,
  });
  if (!started.ok) throw new Error(started.error.message);
  const app = started.value;
  if (ownPrefix !== undefined) {
    onTestFinished(async () => {
      await app.shutdown(); // the last save happens on shutdown, so only then are the keys gone for good
      await deleteKeys(ownPrefix);
    });
  }
  const sandbox = app.exchange.embedded!;
  const tape = sandbox.tape!; // synthetic or replayed: the test drives it

  // What the sandbox sent and what reached the bot, so the test knows when the loopback traffic has landed.
  let sentTrades = 0;
  let gotTrades = 0;
  let sentEvents = 0;
  let gotEvents = 0;
  sandbox.hub.onTrade(() => sentTrades++);
  app.kernel.host.bus.on('TradeTicked', () => gotTrades++);
  sandbox.hub.onVenueEvent(() => sentEvents++);
  app.kernel.gateway.subscribe({ onExecution: () => gotEvents++, onBalances: () => gotEvents++ });
  await until(() => sandbox.server.faults.status().sockets.market > 0); // the market feed is subscribed
  const landed = () => gotTrades === sentTrades && gotEvents === sentEvents;

  /** Types a line and returns what the chat printed in answer, once `expected` shows up in it. */
  async function type(line: string, expected: string | RegExp): Promise<string> {
    const mark = screen.length;
    input.write(`${line}\n`);
    const seen = () => screen.slice(mark);
    await until(() => (typeof expected === 'string' ? seen().includes(expected) : expected.test(seen())));
    await settled();
    return seen();
  }

  async function settled(): Promise<void> {
    await until(landed);
    await app.kernel.executor.settled();
    await until(landed);
  }

  /** Runs `seconds` of the sandbox's market, letting every trade and order event land after each slice of it. */
  async function market(seconds: number, sliceMs = 100): Promise<void> {
    const end = clock.now() + seconds * 1000;
    while (clock.now() < end) {
      const step = Math.min(end, clock.now() + sliceMs);
      tape.pumpUntil(step);
      clock.set(step); // market time passes even when no trade happens in a slice
      await settled();
    }
  }

  /** The sandbox's open orders as any HTTP client sees them on its REST port. */
  async function restOpenOrders(): Promise<string[]> {
    const query = `timestamp=${clock.now()}`;
    const url =
      `${sandbox.server.httpBase}/api/v3/openOrders?${query}` +
      `&signature=${signPayload(config.ok ? config.config.SANDBOX_API_SECRET : '', query)}`;
    const res = await fetch(url, { headers: { 'X-MBX-APIKEY': 'telegrid-sandbox-key' } });
    const orders = (await res.json()) as { clientOrderId: string }[];
    return orders.map((o) => o.clientOrderId).sort();
  }
  return { app, clock, type, market, input, restOpenOrders, screen: () => screen };
}
