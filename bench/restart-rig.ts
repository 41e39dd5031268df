/**
 * The restart bench's world: a sandbox with the ten catalog symbols and a tape this process plays (one trade per symbol
 * every 50 ms at a price the bench sets), and `telegrid start` as a child process (node with tsx's loader, so a SIGKILL
 * hits the bot itself) whose console output is watched for the moment a line appears.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ExecutionReport, type Fixed, SPOT_CATALOG, fx } from '../src/domain/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../src/sandbox/index.js';
import { paperOnSandbox } from '../test/kit/sandbox-env.js';
import { spawnTelegrid } from '../test/kit/telegrid-process.js';
import { now } from './notification-latency-rig.js';
import { BUNDLE_OPTIONS } from './bundle-options.js';

const API = { apiKey: 'bench-key-0123456789', apiSecret: 'bench-secret-0123456789' };
export const ENTRIES = SPOT_CATALOG;
const TICK_MS = 50;
/** Every trade is large enough to fill every order it crosses whole (the hub gives each side the trade's quantity). */
const TRADE_QTY = fx('10000000');

/** Plenty of quote and of each base, so no grid needs a market buy and no order is refused for balance. */
function balances(): Record<string, Fixed> {
  const out: Record<string, Fixed> = { USDT: fx('100000000') };
  for (const e of ENTRIES) out[e.instrument.baseAsset] = (fx('10000000') * 100_000_000n) / fx(e.demoPrice);
  return out;
}

export interface Venue {
  readonly hub: SandboxHub;
  readonly server: SandboxServer;
  /** The price each symbol's next trades print at; the bench moves it. */
  readonly price: Map<string, Fixed>;
  /** Bot orders resting on the venue. */
  botOpen(): number;
  /** Trades that filled a bot order so far. */
  fills(): number;
  /** Calls `listener` with each order the venue accepts (a NEW report without a trade), and when (now()). */
  onAccepted(listener: (report: ExecutionReport, at: number) => void): () => void;
  /** One trade at `price` on `symbol`, at once. */
  trade(symbol: string, price: Fixed): void;
  close(): Promise<void>;
}

/** A sandbox on loopback with Binance's filters; ORDERS limits raised so the history builds in seconds, not hours. */
export async function openVenue(tape: boolean): Promise<Venue> {
  const hub = new SandboxHub({ instruments: ENTRIES.map((e) => e.instrument), balances: balances(), account: API, now: () => Date.now() });
  const server = await startSandboxServer({ hub, limits: { ordersPer10s: 100_000, ordersPerDay: 100_000_000 } });
  const price = new Map(ENTRIES.map((e) => [e.instrument.symbol, fx(e.demoPrice)]));
  let tradeId = 1;
  let fills = 0;
  hub.onVenueEvent((e) => e.type === 'execution' && e.report.trade !== undefined && fills++);
  const trade = (symbol: string, p: Fixed) =>
    hub.trade({ symbol, price: p, quantity: TRADE_QTY, time: Date.now(), tradeId: tradeId++, isBuyerMaker: tradeId % 2 === 0 });
  const ticker = tape ? setInterval(() => price.forEach((p, s) => trade(s, p)), TICK_MS) : undefined;
  return {
    hub,
    server,
    price,
    botOpen: () => {
      const open = hub.engine.openOrders();
      return open.ok ? open.value.filter((o) => o.clientOrderId.startsWith('tg_')).length : -1;
    },
    fills: () => fills,
    onAccepted: (listener) =>
      hub.onVenueEvent((e) => {
        if (e.type === 'execution' && e.report.status === 'NEW' && e.report.trade === undefined) listener(e.report, now());
      }),
    trade,
    close: async () => {
      clearInterval(ticker);
      await server.close();
    },
  };
}

/** The settings of a bot on `venue` under `prefix`: paper mode, the ten symbols, limits that fit 200 orders. */
export function botEnv(venue: Venue, prefix: string): Record<string, string> {
  return {
    ...paperOnSandbox(venue.server, API, prefix),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    MARKET_SYMBOLS: ENTRIES.map((e) => e.instrument.symbol).join(','),
    RISK_MAX_POSITION_NOTIONAL: '100000000',
    RISK_MAX_DAILY_LOSS: '100000000',
    // The one line the bench reads from the log: `start-up recovery done`, with the restart's stages.
    LOG_LEVEL: 'info',
  };
}

export interface Bot {
  readonly child: ChildProcessWithoutNullStreams;
  /** now() at the spawn. */
  readonly spawnedAt: number;
  /** Console output so far (stdout and stderr). */
  out(): string;
  /** Its log file so far (LOG_FILE's default, telegrid.log in its working directory). */
  log(): string;
  /** now() when `text` first appeared after output offset `from` (resolves at once if it is already there). */
  printed(text: string, boundMs: number, from?: number): Promise<number>;
  /** Types one line on the bot's console. */
  type(line: string): void;
  /** SIGKILL, its exit, and its working directory (its log) removed. */
  kill(): Promise<void>;
}

/**
 * How the child runs the CLI. `compiled`: src/app/cli.ts bundled once by esbuild (run-all's options) and run by bare
 * node, as production runs compiled JavaScript (the Dockerfile's `node dist/app/cli.js`). `tsx`: node with tsx's
 * loader (test/kit/telegrid-process.ts, `npm start`), which transpiles every module at each start.
 */
export type Runner = 'compiled' | 'tsx';

interface Launcher {
  spawn(env: Record<string, string>, cwd: string): ChildProcessWithoutNullStreams;
  close(): void;
}

export async function launcher(runner: Runner): Promise<Launcher> {
  if (runner === 'tsx') return { spawn: (env, cwd) => spawnTelegrid(['start'], env, cwd), close: () => undefined };
  const root = repositoryRoot();
  // Under bench/ so the packages left outside the bundle resolve from the repository's node_modules.
  const dir = mkdtempSync(join(root, 'bench', '.bundles-restart-'));
  const cli = join(dir, 'cli.mjs');
  // Required at run time, not imported: run-all bundles this file, and esbuild cannot be bundled into itself.
  const { build } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  try {
    await build({
      entryPoints: [join(root, 'src', 'app', 'cli.ts')],
      outfile: cli,
      ...BUNDLE_OPTIONS,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    // node itself is the child: a SIGKILL reaches the bot.
    spawn: (env, cwd) => spawn(process.execPath, [cli, 'start'], { cwd, env: { PATH: process.env.PATH ?? '', ...env } }),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The checkout this file sits in, found upwards (run-all runs the bench from a bundle in a folder under bench/). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'src', 'app', 'cli.ts'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('the restart bench must run inside a telegrid checkout');
    dir = up;
  }
  return dir;
}

/** `telegrid start` as a child process, in a working directory of its own. */
export function startBot(run: Launcher, env: Record<string, string>): Bot {
  const cwd = mkdtempSync(join(tmpdir(), 'telegrid-restart-'));
  const spawnedAt = now();
  const child = run.spawn(env, cwd);
  let out = '';
  const waiters = new Set<{ text: string; from: number; resolve: (at: number) => void }>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    const at = now();
    for (const w of waiters)
      if (out.includes(w.text, w.from)) {
        waiters.delete(w);
        w.resolve(at);
      }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exit = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    child,
    spawnedAt,
    out: () => out,
    log: () => (existsSync(join(cwd, 'telegrid.log')) ? readFileSync(join(cwd, 'telegrid.log'), 'utf8') : ''),
    printed: (text, boundMs, from = 0) =>
      new Promise<number>((resolve, reject) => {
        if (out.includes(text, from)) return resolve(now());
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`timed out waiting for "${text}"; the bot said:\n${out.slice(-3000)}`));
        }, boundMs);
        const waiter = { text, from, resolve: (at: number) => (clearTimeout(timer), resolve(at)) };
        waiters.add(waiter);
      }),
    type: (line) => child.stdin.write(`${line}\n`),
    kill: async () => {
      child.kill('SIGKILL');
      await exit;
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** The `start-up recovery done` log line's fields, or undefined when the bot has not written it. */
export function recoveryLog(
  log: string,
): { stagesMs: Record<string, number>; atMs: number; restoredOpenOrders: number; fillsBooked: number } | undefined {
  const line = log.split('\n').find((l) => l.includes('"start-up recovery done"'));
  return line === undefined ? undefined : (JSON.parse(line) as ReturnType<typeof recoveryLog>);
}
