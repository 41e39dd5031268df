import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type WatchdogEvent, heartbeatKey, parseHeartbeat, runWatchdog } from '../../src/app/deadman/index.js';
import { REDIS_KEYS, catalogInstrument, fx, isBotOrder } from '../../src/domain/index.js';
import { SandboxHub, startSandboxServer } from '../../src/sandbox/index.js';
import { type FakeTelegram, startFakeTelegram } from '../kit/fake-telegram/index.js';
import { REDIS_URL, deleteKeys, uniquePrefix } from '../kit/redis.js';
import { spawnTelegrid } from '../kit/telegrid-process.js';

/**
 * Issue 10's dead-man's switch with real processes: `telegrid start` runs as a child on a sandbox this test owns; the
 * watchdog runs here (the CLI's own runWatchdog) on the same Redis, sandbox and key, telling a chat on the fake Bot API.
 * Bounds are short through the settings (a heartbeat a second, a bound of a few seconds); every wait is on a state: a
 * line the bot printed, an order on the sandbox, a look of the watchdog.
 */

const KEY = 'deadman-key-0123456789';
const SECRET = 'deadman-secret-0123456789';
const TOKEN = '123456:TESTTOKENabcdefghijklmnopqrstuvwxyz';
const owner = { id: 1001, first_name: 'Owner' };
const ownerDm = { id: 1001, type: 'private' as const };
/** Generous: every child compiles the app with tsx on a shared, sometimes slow machine. */
const START_BOUND_MS = 60_000;
/** The dead-man bound: eight heartbeats (PREFIX_LEASE_SECONDS=4 beats every second). */
const BOUND_SECONDS = 8;

interface Proc {
  readonly child: ChildProcessWithoutNullStreams;
  out(): string;
  readonly exit: Promise<number | null>;
}

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function bot(env: Record<string, string>): Proc {
  const cwd = mkdtempSync(join(tmpdir(), 'telegrid-deadman-'));
  const child = spawnTelegrid(['start'], { REDIS_URL, LOG_LEVEL: 'warn', ...env }, cwd);
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanup.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exit;
    }
    rmSync(cwd, { recursive: true, force: true });
  });
  return { child, out: () => out, exit };
}

async function waitFor(done: () => boolean | Promise<boolean>, boundMs: number, what: string, said?: () => string): Promise<void> {
  const end = Date.now() + boundMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${said ? `; output:\n${said().slice(-3000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A sandbox with one BTCUSDT trade at a steady price every 100 ms: the grid's orders rest and none fills. */
async function sandbox() {
  const hub = new SandboxHub({
    instruments: [catalogInstrument('BTCUSDT')!],
    balances: { USDT: fx('10000'), BTC: fx('1') },
    account: { apiKey: KEY, apiSecret: SECRET },
    now: () => Date.now(),
  });
  const server = await startSandboxServer({ hub });
  let tradeId = 1;
  const ticker = setInterval(
    () =>
      hub.trade({ symbol: 'BTCUSDT', price: fx('95000'), quantity: fx('0.01'), time: Date.now(), tradeId: tradeId++, isBuyerMaker: false }),
    100,
  );
  cleanup.push(async () => {
    clearInterval(ticker);
    await server.close();
  });
  const open = () => {
    const listed = hub.engine.openOrders();
    return listed.ok ? listed.value.map((r) => r.clientOrderId).sort() : [];
  };
  return { hub, server, open };
}

/** The watchdog as `telegrid watchdog` runs it, with every event recorded. */
async function watchdog(env: Record<string, string>) {
  const config = loadConfig(env);
  if (!config.ok) throw new Error(config.message);
  const events: WatchdogEvent[] = [];
  const lines: string[] = [];
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const code = runWatchdog(
    config.config,
    pino({ level: 'silent' }),
    stopped,
    (l) => lines.push(l),
    (e) => events.push(e),
  );
  cleanup.push(async () => (stop(), await code));
  return { events, lines, said: () => lines.join('\n'), code };
}

/** Settings for the bot and the watchdog alike: the test's sandbox, a heartbeat a second, the bound. */
function settings(s: Awaited<ReturnType<typeof sandbox>>, prefix: string): Record<string, string> {
  return {
    REDIS_URL,
    TRADING_MODE: 'paper',
    BINANCE_HTTP_BASE: s.server.httpBase,
    BINANCE_WS_BASE: s.server.wsBase,
    BINANCE_WS_API: s.server.wsApi,
    BINANCE_API_KEY: KEY,
    BINANCE_API_SECRET: SECRET,
    KEY_PREFIX: prefix,
    MARKET_SYMBOLS: 'BTCUSDT',
    PREFIX_LEASE_SECONDS: '4',
    DEADMAN_AFTER_SECONDS: String(BOUND_SECONDS),
  };
}

/** Starts a grid of two levels a side from the bot's console and waits for its four orders to rest on the sandbox. */
async function startGrid(a: Proc, s: Awaited<ReturnType<typeof sandbox>>): Promise<void> {
  await waitFor(() => a.out().includes('send /help'), START_BOUND_MS, 'the bot to start', a.out);
  // The feed's first trade may land after the banner: ask again until the preview comes.
  let mark = a.out().length;
  for (let attempt = 0; !a.out().slice(mark).includes('Type confirm or cancel.'); attempt++) {
    if (attempt === 10) throw new Error(`no grid preview:\n${a.out().slice(-2000)}`);
    mark = a.out().length;
    a.child.stdin.write('/grid BTCUSDT 2 0.5 50\n');
    await waitFor(() => /Type confirm or cancel\.|✗/.test(a.out().slice(mark)), 30_000, 'the grid preview', a.out);
  }
  mark = a.out().length;
  a.child.stdin.write('confirm\n');
  await waitFor(() => a.out().slice(mark).includes('Grid G1 started'), 30_000, 'the grid to start', a.out);
  await waitFor(() => s.open().filter(isBotOrder).length === 4, 30_000, "the grid's four orders to rest", a.out);
}

describe("telegrid watchdog, the dead-man's switch", () => {
  it(
    'does nothing while the bot beats; once the bot is SIGKILLed it halts trading, cancels every bot order and not the ' +
      'manual one, tells the chat once, and stands down when a bot beats again (which starts HALTED)',
    async () => {
      const prefix = uniquePrefix();
      cleanup.push(() => deleteKeys(prefix));
      const redis = new Redis(REDIS_URL);
      cleanup.push(() => redis.quit());
      const s = await sandbox();
      const fake: FakeTelegram = await startFakeTelegram();
      cleanup.push(() => fake.close());
      fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
      fake.addChat(ownerDm, TOKEN, owner);

      const env = settings(s, prefix);
      const a = bot(env);
      await startGrid(a, s);
      // The owner's own order on the same symbol, placed by hand on the exchange.
      expect(
        s.hub.placeOrder({
          clientOrderId: 'manual-1',
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT',
          price: fx('90000'),
          quantity: fx('0.001'),
        }).ok,
      ).toBe(true);
      const gridOrders = s.open().filter(isBotOrder);

      // The bot is alive: the watchdog looks at least BOUND_SECONDS + 2 times, a poll (1 s) apart at the least, so it
      // has watched the bot for longer than the bound, and does nothing.
      const w = await watchdog({
        ...env,
        WATCHDOG_POLL_SECONDS: '1',
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: fake.url,
        TELEGRAM_ALLOWED_CHAT_IDS: String(ownerDm.id),
      });
      const alive = () => w.events.filter((e) => e.kind === 'look' && e.phase === 'alive').length;
      await waitFor(() => alive() >= BOUND_SECONDS + 2, 60_000, 'the watchdog to watch the live bot', w.said);
      expect(w.events.filter((e) => e.kind !== 'look')).toEqual([]);
      expect(s.open()).toEqual([...gridOrders, 'manual-1'].sort());
      expect(await redis.get(REDIS_KEYS.tradingState.key(prefix))).toBe('ACTIVE');
      expect(fake.messages(ownerDm.id, TOKEN)).toEqual([]);
      expect(w.said()).toContain(`after ${BOUND_SECONDS} s without a heartbeat, every bot order is cancelled and trading halted`);
      const lastBeat = parseHeartbeat(await redis.get(heartbeatKey(prefix)))!;
      expect(lastBeat).toMatchObject({ pid: a.child.pid, mode: 'paper', exchange: s.server.httpBase, everyMs: 1_000 });
      expect(lastBeat.account).toMatch(/^sha256:[0-9a-f]{16}$/);

      // Killed: no clean stop, no heartbeat.
      a.child.kill('SIGKILL');
      await a.exit;
      await waitFor(() => w.events.some((e) => e.kind === 'acted'), 60_000, 'the watchdog to act', w.said);
      const acted = w.events.find((e) => e.kind === 'acted')!;
      if (acted.kind !== 'acted') throw new Error('unreachable');
      expect(s.open()).toEqual(['manual-1']);
      expect(acted.cancels.canceled.map((o) => o.clientOrderId).sort()).toEqual(gridOrders);
      expect(acted.cancels).toMatchObject({ left: [], unlisted: [], manualLeft: 1, manualCanceled: [] });
      expect(await redis.get(REDIS_KEYS.tradingState.key(prefix))).toBe('HALTED');
      const saved = JSON.parse((await redis.get(REDIS_KEYS.stateTrading.key(prefix)))!) as { state: string; reason: string };
      expect(saved.state).toBe('HALTED');
      expect(saved.reason).toContain(`dead-man's switch: no heartbeat from the bot on host`);
      expect(saved.reason).toContain(`pid ${a.child.pid}`);
      expect(acted.delivered).toEqual([String(ownerDm.id)]);
      const told = fake.messages(ownerDm.id, TOKEN).map((m) => m.text ?? '');
      expect(told).toHaveLength(1);
      expect(told[0]).toMatch(/^🛑 Dead-man's switch: no heartbeat from the bot on host .* for .* \(bound 8 s, DEADMAN_AFTER_SECONDS\)/);
      expect(told[0]).toContain('Trading is now HALTED');
      expect(told[0]).toContain('Bot orders cancelled: 4');
      expect(told[0]).toContain("Orders not the bot's, left alone: 1. No order was placed.");

      // Once per death: later looks see the same silence and do nothing more.
      const actedLooks = () => w.events.filter((e) => e.kind === 'look' && e.phase === 'acted').length;
      await waitFor(() => actedLooks() >= 3, 30_000, 'three more looks', w.said);
      expect(w.events.filter((e) => e.kind === 'acted')).toHaveLength(1);
      expect(fake.messages(ownerDm.id, TOKEN)).toHaveLength(1);

      // A bot started again restores the halt with its reason, and the watchdog stands down and watches it.
      const b = bot(env);
      await waitFor(() => b.out().includes('send /help'), START_BOUND_MS, 'the bot to start again', b.out);
      await waitFor(() => w.events.some((e) => e.kind === 'back'), 30_000, 'the watchdog to stand down', w.said);
      const mark = b.out().length;
      b.child.stdin.write('/status\n');
      await waitFor(() => b.out().slice(mark).includes('Dead-man'), 30_000, 'the status', b.out);
      expect(b.out().slice(mark)).toContain('Trading: HALTED');
      expect(b.out().slice(mark)).toContain("Dead-man's switch: 8 s without a heartbeat (DEADMAN_AFTER_SECONDS)");
      expect(b.out().slice(mark)).toMatch(/Last heartbeat: [\d.]+ s ago · watchdog on host \S+ \(pid \d+\) looked [\d.]+ s ago/);
      expect(s.open()).toEqual(['manual-1']);
    },
    300_000,
  );

  it(
    'a bot that stalls past the bound (SIGSTOP) is declared dead; ' +
      'when it runs again, its next heartbeat halts it too, with the reason, and says so',
    async () => {
      const prefix = uniquePrefix();
      cleanup.push(() => deleteKeys(prefix));
      const redis = new Redis(REDIS_URL);
      cleanup.push(() => redis.quit());
      const s = await sandbox();
      const env = settings(s, prefix);
      const a = bot(env);
      await startGrid(a, s);
      const w = await watchdog({ ...env, WATCHDOG_POLL_SECONDS: '1' });
      await waitFor(() => w.events.some((e) => e.kind === 'look' && e.phase === 'alive'), 30_000, 'the watchdog to watch', w.said);
      expect(w.said()).toContain('no TELEGRAM_BOT_TOKEN or TELEGRAM_ALLOWED_CHAT_IDS');

      a.child.kill('SIGSTOP');
      cleanup.push(async () => a.child.kill('SIGCONT'));
      await waitFor(() => w.events.some((e) => e.kind === 'acted'), 60_000, 'the watchdog to act', w.said);
      expect(s.open().filter(isBotOrder)).toEqual([]);
      expect(w.said()).toContain("🛑 Dead-man's switch: no heartbeat from the bot on host");

      const mark = a.out().length;
      a.child.kill('SIGCONT');
      await waitFor(() => a.out().slice(mark).includes("Trading HALTED (was ACTIVE): dead-man's switch"), 30_000, 'the bot to halt', a.out);
      await waitFor(() => w.events.some((e) => e.kind === 'back'), 30_000, 'the watchdog to stand down', w.said);
      expect(await redis.get(REDIS_KEYS.tradingState.key(prefix))).toBe('HALTED');
      // It places nothing more: a halted bot's grid holds its re-arms.
      a.child.stdin.write('/status\n');
      await waitFor(() => a.out().slice(mark).includes('Trading: HALTED'), 30_000, 'the status', a.out);
      expect(s.open().filter(isBotOrder)).toEqual([]);
    },
    300_000,
  );
});
