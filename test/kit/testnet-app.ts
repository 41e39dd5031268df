/**
 * The bot in TRADING_MODE=testnet against a sandbox the test owns: Binance's testnet cannot be reached from here, so a
 * sandbox stands in for it at the BINANCE_* overrides, and the bot runs no sandbox of its own.
 */
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type TradingApp, startTradingApp } from '../../src/app/trading-app.js';
import { type Instrument, catalogInstrument, fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { SandboxHub, startSandboxServer } from '../../src/sandbox/index.js';
import { deleteKeys, uniquePrefix } from './redis.js';
import { paperOnSandbox } from './sandbox-env.js';

export interface TestnetSandboxOptions {
  /** The key the sandbox's one account answers to; the bot is given the same. */
  readonly account: { readonly apiKey: string; readonly apiSecret: string };
  /** What the sandbox lists (default BTCUSDT); the bot asks for the same unless its MARKET_SYMBOLS says otherwise. */
  readonly symbols?: readonly string[];
  /** The sandbox server's options other than its hub, e.g. what the API key may do. */
  readonly server?: Omit<Parameters<typeof startSandboxServer>[0], 'hub'>;
  readonly startTime?: number;
}

/**
 * A sandbox holding 5 000 USDT for `account`, served over REST and WebSockets, and a Redis prefix of its own, ready for
 * the test to seed or watch before it calls `start`. When the test finishes the bot is shut down, the sandbox closed and
 * the prefix's keys deleted, in that order: the bot's last save happens at shutdown.
 */
export async function testnetSandbox(options: TestnetSandboxOptions) {
  const symbols = options.symbols ?? ['BTCUSDT'];
  const clock = new ManualClock(options.startTime ?? 1_741_046_400_000);
  const hub = new SandboxHub({
    instruments: symbols.map((s) => catalogInstrument(s) as Instrument),
    balances: { USDT: fx('5000') },
    account: options.account,
    now: () => clock.now(),
  });
  const server = await startSandboxServer({ ...options.server, hub });
  const prefix = uniquePrefix();
  let app: TradingApp | undefined;
  onTestFinished(async () => {
    await app?.shutdown();
    await server.close();
    await deleteKeys(prefix);
  });

  /**
   * Starts the bot on the sandbox with the terminal chat on in-memory streams; `env` adds settings or overrides them
   * (e.g. a BINANCE_HTTP_BASE that puts a proxy in front of the sandbox's REST). A refused start is returned, not thrown.
   */
  async function start(env: Record<string, string> = {}) {
    const config = loadConfig({
      // The paper settings for a sandbox, but in testnet mode: the bot trades on this sandbox, not on one it embeds.
      ...paperOnSandbox(server, options.account, prefix),
      TRADING_MODE: 'testnet',
      MARKET_SYMBOLS: symbols.join(','),
      ...env,
    });
    if (!config.ok) throw new Error(config.message);
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (c: Buffer) => (screen += c.toString('utf8')));
    const started = await startTradingApp(config.config, { input, output, clock, log: pino({ level: 'silent' }), terminal: false });
    if (started.ok) app = started.value;
    return { started, input, screen: () => screen };
  }

  return { clock, hub, server, prefix, start };
}
