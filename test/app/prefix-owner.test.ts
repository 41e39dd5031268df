import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintKey, leaseKey } from '../../src/app/prefix-lease.js';
import { catalogInstrument, fx } from '../../src/domain/index.js';
import { SandboxHub, startSandboxServer } from '../../src/sandbox/index.js';
import { REDIS_URL, deleteKeys, uniquePrefix } from '../kit/redis.js';
import { spawnTelegrid } from '../kit/telegrid-process.js';

/**
 * Issue 9 with real processes: `telegrid start` and `telegrid worker` run as children on one Redis and KEY_PREFIX,
 * against sandboxes this test owns. Node runs the CLI with tsx as a loader (not tsx's wrapper process), so the child's
 * pid is the bot's own and a signal reaches the bot itself.
 */

const KEY = 'prefix-key-0123456789';
const SECRET = 'prefix-secret-0123456789';
/** Generous: every child compiles the app with tsx on a shared, sometimes slow machine. */
const START_BOUND_MS = 60_000;

interface Proc {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number;
  out(): string;
  readonly exit: Promise<number | null>;
}

const procs: Proc[] = [];
const dirs: string[] = [];
const prefixes: string[] = [];
const closers: Array<() => Promise<void>> = [];
let redis: Redis | undefined;

afterEach(async () => {
  for (const p of procs.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGKILL');
      await p.exit;
    }
  }
  for (const close of closers.splice(0)) await close();
  await redis?.quit();
  redis = undefined;
  for (const p of prefixes.splice(0)) await deleteKeys(p);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function db(): Redis {
  redis ??= new Redis(REDIS_URL);
  return redis;
}

function telegrid(command: 'start' | 'worker', env: Record<string, string>): Proc {
  const cwd = mkdtempSync(join(tmpdir(), 'telegrid-prefix-'));
  dirs.push(cwd);
  const child = spawnTelegrid([command], { REDIS_URL, LOG_LEVEL: 'warn', ...env }, cwd);
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const proc = { child, pid: child.pid!, out: () => out, exit };
  procs.push(proc);
  return proc;
}

async function waitFor(done: () => boolean | Promise<boolean>, boundMs: number, what: string, proc?: Proc): Promise<void> {
  const end = Date.now() + boundMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${proc ? `; the process said:\n${proc.out().slice(-3000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The exit code, or a failure naming what the process said if it does not exit within the bound. */
async function exitOf(proc: Proc, boundMs: number, what: string): Promise<number | null> {
  const state: { code: number | null | 'running' } = { code: 'running' };
  void proc.exit.then((c) => (state.code = c));
  await waitFor(() => state.code !== 'running', boundMs, what, proc);
  return state.code === 'running' ? null : state.code;
}

/** A sandbox exchange with one BTCUSDT trade at a steady price every 100 ms, recording the orders it accepts. */
async function sandbox() {
  const btc = catalogInstrument('BTCUSDT')!;
  const hub = new SandboxHub({
    instruments: [btc],
    balances: { USDT: fx('10000'), BTC: fx('1') },
    account: { apiKey: KEY, apiSecret: SECRET },
    now: () => Date.now(),
  });
  const server = await startSandboxServer({ hub });
  const accepted: string[] = [];
  hub.onVenueEvent((e) => {
    if (e.type === 'execution' && e.report.status === 'NEW' && e.report.trade === undefined) accepted.push(e.report.clientOrderId);
  });
  let tradeId = 1;
  const ticker = setInterval(
    () =>
      hub.trade({ symbol: 'BTCUSDT', price: fx('95000'), quantity: fx('0.01'), time: Date.now(), tradeId: tradeId++, isBuyerMaker: false }),
    100,
  );
  closers.push(async () => {
    clearInterval(ticker);
    await server.close();
  });
  return { hub, server, accepted };
}

function onSandbox(s: Awaited<ReturnType<typeof sandbox>>, prefix: string): Record<string, string> {
  return {
    TRADING_MODE: 'paper',
    BINANCE_HTTP_BASE: s.server.httpBase,
    BINANCE_WS_BASE: s.server.wsBase,
    BINANCE_WS_API: s.server.wsApi,
    BINANCE_API_KEY: KEY,
    BINANCE_API_SECRET: SECRET,
    KEY_PREFIX: prefix,
    MARKET_SYMBOLS: 'BTCUSDT',
  };
}

function freshPrefix(): string {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  return prefix;
}

const holderPid = async (prefix: string) => {
  const text = await db().get(leaseKey(prefix));
  return text === null ? undefined : (JSON.parse(text) as { pid: number }).pid;
};

describe('one bot per KEY_PREFIX', () => {
  it(
    'a second bot on the same Redis and prefix refuses to start, naming the holder; ' +
      'the first trades on; after it stops, the second starts',
    async () => {
      const prefix = freshPrefix();
      const s = await sandbox();
      // Bot A: paper against the test's sandbox (the issue's replaying bot).
      const a = telegrid('start', onSandbox(s, prefix));
      await waitFor(() => a.out().includes('send /help'), START_BOUND_MS, 'bot A to start', a);
      expect(await holderPid(prefix)).toBe(a.pid);

      // Bot B: the issue's demo bot (its own sandbox, synthetic market) on the same prefix by mistake.
      const demo = { TRADING_MODE: 'paper', KEY_PREFIX: prefix, MARKET_SYMBOLS: 'BTCUSDT', MARKET_DATA: 'synthetic' };
      const b = telegrid('start', demo);
      expect(await exitOf(b, START_BOUND_MS, 'bot B to refuse')).toBe(2);
      const said = b.out();
      expect(said).toContain(`another telegrid bot owns KEY_PREFIX "${prefix}"`);
      expect(said).toContain(`host ${hostname()}, pid ${a.pid}, paper on ${s.server.httpBase}`);
      expect(said).toMatch(/last heartbeat \d+ s ago/);
      expect(said).toMatch(/Fix: give this bot a KEY_PREFIX of its own \(or another Redis database.*\), or stop that bot first/);
      expect(said).not.toContain('send /help');
      // B wrote nothing under A's prefix: no paper account of its own there, and the lease is still A's.
      expect(await db().exists(`${prefix}:v1:sandbox:account`)).toBe(0);
      expect(await holderPid(prefix)).toBe(a.pid);

      // A keeps running and answering.
      const mark = a.out().length;
      a.child.stdin.write('/status\n');
      await waitFor(() => a.out().slice(mark).includes('Trading: ACTIVE'), 30_000, 'bot A to answer /status', a);
      expect(a.child.exitCode).toBeNull();

      // A stops cleanly and gives the prefix back; now B starts on it.
      a.child.kill('SIGTERM');
      expect(await exitOf(a, 30_000, 'bot A to stop')).toBe(0);
      expect(await db().get(leaseKey(prefix))).toBeNull();
      const b2 = telegrid('start', demo);
      await waitFor(() => b2.out().includes('send /help'), START_BOUND_MS, 'bot B to start once A stopped', b2);
      expect(await holderPid(prefix)).toBe(b2.pid);
      // Its chat answers, so the CLI has its signal handlers in place (they come right after the banner).
      b2.child.stdin.write('/status\n');
      await waitFor(() => b2.out().includes('Trading: ACTIVE'), 30_000, 'bot B to answer /status', b2);
      b2.child.kill('SIGTERM');
      expect(await exitOf(b2, 30_000, 'bot B to stop')).toBe(0);
      expect(await db().get(leaseKey(prefix))).toBeNull();
    },
    240_000,
  );

  it('a bot whose prefix is taken from under it (its lease lapsed) says so, stops and exits 3, leaving the new holder alone', async () => {
    const prefix = freshPrefix();
    const s = await sandbox();
    const a = telegrid('start', { ...onSandbox(s, prefix), PREFIX_LEASE_SECONDS: '4' });
    await waitFor(() => a.out().includes('send /help'), START_BOUND_MS, 'bot A to start', a);
    // Another process's record, as if it had taken the prefix after A stalled past its lease.
    const intruder = JSON.stringify({
      version: 1,
      token: 'intruder',
      host: 'box-2',
      pid: 4242,
      mode: 'live',
      exchange: 'https://api.binance.com',
      startedAt: Date.now(),
      heartbeatAt: Date.now(),
      leaseMs: 60_000,
    });
    await db().set(leaseKey(prefix), intruder, 'PX', 60_000);
    expect(await exitOf(a, 30_000, 'bot A to stop on losing its prefix')).toBe(3);
    expect(a.out()).toMatch(/⛔ another telegrid process took KEY_PREFIX .*host box-2, pid 4242/);
    expect(await db().get(leaseKey(prefix))).toBe(intruder);
  }, 120_000);
});

describe('telegrid worker joins only its own bot', () => {
  it('waits for a bot, refuses one on another exchange or key (exit 2), and the matching worker does the bot’s placements', async () => {
    const prefix = freshPrefix();
    const mine = await sandbox();
    const other = await sandbox();

    // Started before the bot: it waits, taking nothing.
    const w1 = telegrid('worker', onSandbox(mine, prefix));
    await waitFor(() => w1.out().includes(`no bot owns KEY_PREFIX "${prefix}"`), START_BOUND_MS, 'worker 1 to wait for a bot', w1);
    expect(w1.out()).not.toContain('working the order queues');

    const bot = telegrid('start', { ...onSandbox(mine, prefix), ORDER_WORKERS_IN_PROCESS: 'false' });
    await waitFor(() => bot.out().includes('send /help'), START_BOUND_MS, 'the bot to start', bot);
    const fingerprint = (await db().get(fingerprintKey(prefix)))!;
    expect(fingerprint).toContain(mine.server.httpBase);
    expect(fingerprint).not.toContain(KEY);
    await waitFor(() => w1.out().includes('working the order queues'), 30_000, 'worker 1 to join the bot', w1);
    expect(w1.out()).toContain(`for the bot on host ${hostname()}, pid ${bot.pid}`);

    // Another exchange: refused, both named.
    const w2 = telegrid('worker', onSandbox(other, prefix));
    expect(await exitOf(w2, START_BOUND_MS, 'worker 2 to refuse')).toBe(2);
    expect(w2.out()).toContain(`refusing to work the order queues of KEY_PREFIX "${prefix}"`);
    expect(w2.out()).toContain(`the bot trades on ${mine.server.httpBase}, this worker on ${other.server.httpBase}`);
    expect(w2.out()).not.toContain('working the order queues');

    // The bot's exchange with another account's key: refused too, and no key is printed.
    const otherKey = 'someone-elses-key-0123456789';
    const w3 = telegrid('worker', {
      ...onSandbox(mine, prefix),
      BINANCE_API_KEY: otherKey,
      BINANCE_API_SECRET: 'someone-elses-secret-0123',
    });
    expect(await exitOf(w3, START_BOUND_MS, 'worker 3 to refuse')).toBe(2);
    expect(w3.out()).toMatch(/the bot's API key is sha256:[0-9a-f]{16}, this worker's sha256:[0-9a-f]{16}/);
    expect(w3.out()).not.toContain(otherKey);
    expect(w3.out()).not.toContain(KEY);

    // The bot has no workers of its own: its grid's orders reach its exchange through worker 1, and nothing the other.
    let mark = bot.out().length;
    bot.child.stdin.write('/grid BTCUSDT 2 0.5 50\n');
    await waitFor(() => bot.out().slice(mark).includes('Type confirm or cancel.'), 30_000, 'the grid preview', bot);
    mark = bot.out().length;
    bot.child.stdin.write('confirm\n');
    await waitFor(() => bot.out().slice(mark).includes('Grid G1 started'), 30_000, 'the grid to start', bot);
    await waitFor(() => mine.accepted.length >= 2, 30_000, 'worker 1 to place the grid on the bot’s exchange', w1);
    expect(other.accepted).toEqual([]);

    // The bot stops: the worker takes nothing more and says so; it stops cleanly when told.
    bot.child.kill('SIGTERM');
    expect(await exitOf(bot, 30_000, 'the bot to stop')).toBe(0);
    await waitFor(() => w1.out().includes('is gone'), 30_000, 'worker 1 to notice the bot is gone', w1);
    w1.child.kill('SIGTERM');
    expect(await exitOf(w1, 30_000, 'worker 1 to stop')).toBe(0);
    expect(w1.out()).toContain('telegrid worker: stopped');
  }, 300_000);
});
