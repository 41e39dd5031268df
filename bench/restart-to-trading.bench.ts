/**
 * `restart_to_trading` (issue 14): a bot with 10 grids (the ten catalog symbols, `/grid SYM 10 0.5 20`: ten buys and
 * ten sells each, 200 open orders) and some trading history, run by `telegrid start` as a child process in paper mode
 * against a sandbox this process owns, is killed with SIGKILL; while it is down the tape fills one grid's level-1 buy;
 * a new child is started on the same prefix. Measured from the spawn until the bot is **reconciled and re-arming**:
 * the later of (a) its console saying `♻️ Restored from Redis` (printed once `bringUp` has restored, caught up with
 * the exchange, merged, re-queued, settled orphans and saved) and (b) the sandbox accepting the re-arm of the fill it
 * missed (the first order of that grid the venue accepts after the spawn).
 *
 * Floor, in the same run, between the kill and the restart of each cycle: the same bot's cold start on an empty prefix
 * against a twin sandbox with no orders (process start with tsx, imports, exchangeInfo, Redis, lease, queues, user
 * stream, feed; nothing to restore, no exchange reads for orders, no price wait), from the spawn to `send /help`.
 *
 * The child runs the CLI compiled (bundled once by esbuild, run by bare node: production runs compiled JavaScript);
 * BENCH_RESTART_RUNNER=tsx runs it through tsx's loader instead (`npm start`), which adds its transpiling to every start.
 *
 * Two lines: the restart with a small history, then again after the history grew to BENCH_RESTART_HISTORY finished
 * orders (default 10,000, FINISHED_ORDERS_KEEP_MAX's default) by trading, so the restart's reads with the history at
 * its cap are beside the small one. Each line carries the history's size and the restart's stages (`bringUp`'s own
 * wall times from its `start-up recovery done` log line, and when in the process's life it finished).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { REDIS_KEYS, type Fixed } from '../src/domain/index.js';
import { sleep, until } from './notification-latency-rig.js';
import { REDIS_URL, deleteKeys } from './redis-cleanup.js';
import { type Bot, ENTRIES, type Runner, type Venue, botEnv, launcher, openVenue, recoveryLog, startBot } from './restart-rig.js';
import { percentile, report } from './stats.js';

const SAMPLES = Number(process.env.BENCH_RESTART_SAMPLES ?? 6);
const LARGE_SAMPLES = Number(process.env.BENCH_RESTART_LARGE_SAMPLES ?? 3);
const LARGE_HISTORY = Number(process.env.BENCH_RESTART_HISTORY ?? 10_000);
const LEVELS = 10;
/** Percent between levels, and its basis-point form for the price arithmetic below. */
const SPACING = '0.5';
const SPACING_BP = 50n;
const AMOUNT = '20';
const RUNNER: Runner = process.env.BENCH_RESTART_RUNNER === 'tsx' ? 'tsx' : 'compiled';

const base = `bench-rt:${process.pid}:${randomBytes(4).toString('hex')}`;
const prefix = `${base}:bot`;
const floorPrefix = (i: number) => `${base}:floor${i}`;

/** `r` moved by `halfSteps` half spacings (negative: down), to the nearest 10⁻⁸ (the trade's price, not an order's). */
const away = (r: Fixed, halfSteps: bigint): Fixed => r + (r * halfSteps * SPACING_BP) / 20_000n;
/** Each symbol's reference price: where the tape rests, and so every grid's level 0. */
const refs = new Map<string, Fixed>();

interface Sample {
  readonly restartMs: number;
  readonly readyMs: number;
  readonly rearmMs: number;
  readonly floorMs: number;
  readonly stagesMs: Record<string, number>;
  readonly recoveredAtMs: number;
  readonly restoredOpenOrders: number;
  readonly fillsBooked: number;
}

const run = await launcher(RUNNER);
const venue: Venue = await openVenue(true);
const twin: Venue = await openVenue(false);
const redis = new Redis(REDIS_URL);
const gridOf = new Map<string, string>();
let bot: Bot | undefined;
let floorsRun = 0;

/** Waits until the venue's bot orders and fills have not changed for 1.5 s (every fill re-armed, nothing in flight). */
async function quiet(): Promise<void> {
  let last = '';
  let still = 0;
  const end = Date.now() + 120_000;
  while (still < 15) {
    if (Date.now() > end) throw new Error('the venue never settled');
    await sleep(100);
    const now = `${venue.botOpen()}/${venue.fills()}`;
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

/** Swings every symbol 2.5 spacings down and back, then up and back: about eight fills and their re-arms per symbol. */
async function swing(dwellMs: number): Promise<void> {
  for (const halfSteps of [-5n, 0n, 5n, 0n]) {
    for (const [symbol, r] of refs) venue.price.set(symbol, away(r, halfSteps));
    await sleep(dwellMs);
  }
}

async function history(): Promise<{ orders: number; finished: number; fills: number; audit: number }> {
  const [orders, fills, audit] = await Promise.all([
    redis.hlen(REDIS_KEYS.stateOrders.key(prefix)),
    redis.llen(REDIS_KEYS.stateFills.key(prefix)),
    redis.xlen(REDIS_KEYS.auditLog.key(prefix)).catch(() => 0),
  ]);
  return { orders, finished: orders - venue.botOpen(), fills, audit };
}

/** Trades until the bot's saved finished orders reach `finished` (swings of 150 ms dwell), then lets it settle. */
async function grow(finished: number): Promise<void> {
  while ((await history()).finished < finished) await swing(150);
  await quiet();
}

/** One cycle: SIGKILL, a floor sample on the twin, a fill while down, the restart measured. */
async function sample(i: number): Promise<Sample> {
  await quiet();
  await bot!.kill();

  const floorBot = startBot(run, botEnv(twin, floorPrefix(floorsRun++)));
  const floorMs = (await floorBot.printed('send /help', 60_000)) - floorBot.spawnedAt;
  await floorBot.kill();

  // The level-1 buy of one grid fills while nobody listens: the restart must find it and re-arm a sell.
  const symbol = ENTRIES[i % ENTRIES.length]!.instrument.symbol;
  const filled = venue.fills();
  venue.trade(symbol, away(refs.get(symbol)!, -3n));
  if (venue.fills() === filled) throw new Error(`no bot order on ${symbol} filled while the bot was down`);

  let rearmAt: number | undefined;
  const grid = `tg_${gridOf.get(symbol)!}_`;
  const off = venue.onAccepted((r, at) => {
    if (rearmAt === undefined && r.clientOrderId.startsWith(grid)) rearmAt = at;
  });
  const next = startBot(run, botEnv(venue, prefix));
  bot = next;
  try {
    const readyAt = await next.printed('send /help', 60_000);
    const restoredAt = await next.printed('♻️ Restored from Redis', 60_000);
    await until(() => rearmAt !== undefined, 30_000, `the re-arm on ${symbol}`);
    // pino writes the log file asynchronously: the line may land a moment after the console's.
    await until(() => recoveryLog(next.log()) !== undefined, 10_000, 'the start-up recovery log line');
    const log = recoveryLog(next.log())!;
    if (log.fillsBooked < 1) throw new Error(`the restart booked no fill: ${JSON.stringify(log)}`);
    return {
      restartMs: Math.max(restoredAt, rearmAt!) - next.spawnedAt,
      readyMs: readyAt - next.spawnedAt,
      rearmMs: rearmAt! - next.spawnedAt,
      floorMs,
      stagesMs: log.stagesMs,
      recoveredAtMs: log.atMs,
      restoredOpenOrders: log.restoredOpenOrders,
      fillsBooked: log.fillsBooked,
    };
  } finally {
    off();
  }
}

async function samples(n: number, from: number): Promise<Sample[]> {
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const s = await sample(from + i);
    process.stderr.write(`restart bench: sample ${from + i}: ${JSON.stringify(s)}\n`);
    out.push(s);
  }
  return out;
}

const median = (xs: readonly number[]): number => percentile(Float64Array.from(xs).sort(), 50);
const p99 = (xs: readonly number[]): number => percentile(Float64Array.from(xs).sort(), 99);

function line(bench: string, s: readonly Sample[], h: Awaited<ReturnType<typeof history>>): void {
  const stages: Record<string, number> = {};
  for (const k of Object.keys(s[0]!.stagesMs)) stages[k] = median(s.map((x) => x.stagesMs[k] ?? 0));
  report({
    bench,
    value: median(s.map((x) => x.restartMs)),
    unit: 'ms',
    floor: median(s.map((x) => x.floorMs)),
    p99: p99(s.map((x) => x.restartMs)),
    floor_p99: p99(s.map((x) => x.floorMs)),
    samples: s.length,
    runner: RUNNER,
    ready_p50: median(s.map((x) => x.readyMs)),
    rearm_p50: median(s.map((x) => x.rearmMs)),
    recovered_at_p50: median(s.map((x) => x.recoveredAtMs)),
    // From the process's start to bringUp's: node, tsx, imports, lease, exchangeInfo, Redis, queues (the floor's part).
    before_bringup_p50: median(s.map((x) => x.recoveredAtMs - Object.values(x.stagesMs).reduce((a, b) => a + b, 0))),
    stages_p50: stages,
    open_orders: s[0]!.restoredOpenOrders,
    grids: gridOf.size,
    finished_orders: h.finished,
    fill_journal: h.fills,
    audit_entries: h.audit,
  });
}

try {
  for (const e of ENTRIES) refs.set(e.instrument.symbol, venue.price.get(e.instrument.symbol)!);
  const first = startBot(run, botEnv(venue, prefix));
  bot = first;
  await first.printed('send /help', 60_000);
  await sleep(300); // a price on the feed for every symbol
  for (const e of ENTRIES) {
    const symbol = e.instrument.symbol;
    for (let attempt = 0; !gridOf.has(symbol); attempt++) {
      if (attempt === 3) throw new Error(`the grid on ${symbol} never started:\n${first.out().slice(-2000)}`);
      const mark = first.out().length;
      first.type(`/grid ${symbol} ${LEVELS} ${SPACING} ${AMOUNT}`);
      await first.printed('Type confirm or cancel.', 30_000, mark);
      first.type('confirm');
      await until(() => /Grid G\d+ started|Grid not started/.test(first.out().slice(mark)), 30_000, `the grid on ${symbol}`);
      const started = /Grid (G\d+) started/.exec(first.out().slice(mark));
      if (started) gridOf.set(symbol, started[1]!);
    }
  }
  await until(() => venue.botOpen() >= ENTRIES.length * 2 * LEVELS, 120_000, 'every grid on the book');
  // Some history: a few swings, every grid a few round trips.
  for (let i = 0; i < 3; i++) await swing(250);
  await quiet();
  const small = await samples(SAMPLES, 0);
  line('restart_to_trading', small, await history());

  await grow(LARGE_HISTORY);
  const large = await samples(LARGE_SAMPLES, SAMPLES);
  line('restart_to_trading_large_history', large, await history());
} finally {
  if (bot) await bot.kill().catch(() => undefined);
  await venue.close();
  await twin.close();
  await redis.quit();
  await deleteKeys(base);
  run.close();
}
process.exit(0);
