/**
 * Memory over time (issue 14): a day of real one-minute spot BTCUSDT (2024-04-03, 64.5k–66.9k, back and forth)
 * replayed at full speed through the running bot in paper mode with 10 grids on BTCUSDT (the season kit: the real app,
 * the binance-api-node adapter on a sandbox over loopback, the real Redis, the BullMQ pipeline; test/kit/season-run.ts).
 * The sandbox keeps its account in Redis under the bot's prefix, as paper mode's own sandbox does.
 *
 * Every time-bounded history is kept an hour here instead of days (the fill journal, finished orders, the audit trail,
 * candles, the sandbox's finished orders and fills by count), as the season keeps a day: each bound is then reached
 * within the first hour, so growth after hour 1 is what a bot that runs for months would show once its bounds are full.
 * The caps themselves, at their defaults, are listed in docs/OPERATIONS.md ("What Redis holds").
 *
 * Samples at hour 1 and then every simulated hour, each after a full collection (`global.gc`): the process's RSS and
 * heap, and the bytes of the bot's own keys (MEMORY USAGE of every key under its prefix, by SCAN: Redis is shared).
 * The process also holds the sandbox and the harness (the tape, a ledger of every order and fill for the checks), so
 * the figures are the bot's plus theirs. What still grows after hour 1, each within a bound of its own (heap snapshots
 * of hours 1 and 24): the harness's ledger and round trips (~0.6 MB a day here), code V8 compiles as paths first run
 * (~2 MB), the sandbox's 24 h statistics (1,440 minute buckets a symbol, ~0.3 MB) and /chart's PnL history (a week of
 * minutes per series, 16 bytes a sample: ~0.25 MB a day for the account and 10 grids). The heap line shows them; RSS
 * moves by more than that with the allocator's slack from hour to hour.
 *
 * Lines: memory_24h_rss and memory_24h_redis, value = MB at the last hour, floor = MB at hour 1, ratio = growth
 * (target under 1.1), peak_growth_pct = the highest later sample against hour 1, with the hourly series;
 * memory_24h_heap (in use after the collection) beside them. MEMORY_HOURS (2–24) shortens the replay.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fx } from '../src/domain/index.js';
import { SEASON_RISK, type SeasonSample, runSeason } from '../test/kit/season-run.js';
import { klineTrades } from '../test/kit/season-tape.js';
import { report } from './stats.js';

const HOUR = 3_600_000;
const hours = Number(process.env.MEMORY_HOURS ?? 24);
if (!(hours >= 2 && hours <= 24)) throw new Error(`MEMORY_HOURS: expected 2 to 24, got ${process.env.MEMORY_HOURS}`);

/** Every time-bounded history kept an hour (days as fractions: 0.042 d ≈ 60 min), every count cap at its lowest. */
const HOUR_RETENTION = {
  FINISHED_ORDERS_KEEP_DAYS: '0.042',
  FILLS_KEEP_DAYS: '0.042',
  AUDIT_KEEP_DAYS: '0.042',
  QUEUE_EVENTS_MAX_LEN: '100',
  QUEUE_JOBS_KEEP: '10',
};
/** An hour of 1m candles, and the 1h/4h candles that hour spans. */
const HOUR_CANDLES = { '1m': 60, '1h': 1, '4h': 1 };
/** The sandbox's finished orders and fills, by count: fewer than the grids make in an hour. */
const VENUE_HISTORY = 200;

/**
 * Ten grids on BTCUSDT around the day's 65.5k open: spacings from 0.1 % to 1 %, 6 to 10 levels a side, 100 USDT a
 * level: 172 orders resting at the start, most lines crossed many times as the day swings 3.7 %.
 */
const GRIDS = [
  ['0.1', 10],
  ['0.15', 10],
  ['0.2', 10],
  ['0.25', 8],
  ['0.3', 8],
  ['0.4', 8],
  ['0.5', 8],
  ['0.6', 8],
  ['0.8', 8],
  ['1', 8],
].map(([spacing, levels], i) => ({
  label: `g${i + 1}-${spacing}%`,
  command: `/grid BTCUSDT ${levels} ${spacing} 100${i % 2 === 1 ? ' geometric' : ''}`,
}));

/** ../shared/data beside the repository: found from this file, bundled (bench/.bundles-…/) or not. */
function sharedData(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('memory bench: no package.json above this file');
    dir = up;
  }
  return resolve(dir, '../shared/data');
}

const day = klineTrades([join(sharedData(), 'spot/klines/BTCUSDT-1m-2024-04-03.csv')]);
const start = (day[0] as { time: number }).time;
const trades = day.filter((t) => t.time < start + hours * HOUR);
const mb = (bytes: number) => bytes / 1_048_576;
const log = (line: string) => process.stderr.write(`memory_24h: ${line}\n`);

const result = await runSeason({
  name: 'memory-24h',
  trades,
  grids: GRIDS,
  balances: { USDT: fx('1000000') },
  env: { ...SEASON_RISK, ...HOUR_RETENTION, RISK_MAX_OPEN_ORDERS_PER_SYMBOL: '400', RISK_MAX_OPEN_ORDERS_TOTAL: '400' },
  sampleEveryMs: HOUR,
  // Hour 1 against the last hour, each one sample: the caps here are sized to fill within the first hour.
  sampleWindow: 1,
  // No restart within the day: one bot's memory over time.
  restartEveryMs: 7 * 24 * HOUR,
  candlesKept: HOUR_CANDLES,
  venueHistoryLimit: VENUE_HISTORY,
  persistVenue: true,
  onSample: (s: SeasonSample) =>
    log(
      `hour ${((s.at - start) / HOUR).toFixed(1)}: RSS ${mb(s.rss).toFixed(1)} MB, heap ${mb(s.heap).toFixed(1)} MB, ` +
        `Redis ${(s.redis / 1024).toFixed(0)} KB`,
    ),
  progress: log,
});

if (result.problems.length > 0) throw new Error(`memory bench: the replay broke invariants:\n${result.problems.join('\n')}`);
const m = result.memory;
const series = (pick: (s: SeasonSample) => number) => m.samples.map((s) => Number(mb(pick(s)).toFixed(3)));
/** The highest sample after hour 1 against hour 1, in %: a bound that holds only at the last sample would show here. */
const peakPct = (pick: (s: SeasonSample) => number) => {
  const [base, ...rest] = m.samples.map(pick);
  return base === undefined || rest.length === 0 ? 0 : ((Math.max(...rest) - base) * 100) / base;
};
const common = { hours, grids: GRIDS.length, trades: result.trades, fills: result.fills, wall_s: Math.round(result.wallMs / 1000) };
const line = (bench: string, pick: (s: SeasonSample) => number, figures: { base: number; last: number; growthPct: number }) => ({
  bench,
  value: mb(figures.last),
  unit: 'MB',
  floor: mb(figures.base),
  growth_pct: figures.growthPct,
  peak_growth_pct: peakPct(pick),
  series_mb: series(pick),
});
report({ ...line('memory_24h_rss', (s) => s.rss, m.rss), ...common });
report({ ...line('memory_24h_heap', (s) => s.heap, m.heap), ...common });
report({
  ...line('memory_24h_redis', (s) => s.redis, m.redis),
  growers: m.redisGrowers.map((g) => `${g.key} ${g.growth >= 0 ? '+' : ''}${g.growth} B`),
  ...common,
});
process.exit(0);
