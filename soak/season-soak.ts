/**
 * `npm run soak:season`: a season replayed through a running bot (issue 11). Two tapes, each through its own bot and
 * sandbox: the 12 months of hourly spot BTCUSDT (2023-04 … 2024-03, 25k → 73k) and the 14 days of 1-minute USD-M
 * BTCUSDT candles used as a spot-like tape. Each runs an arithmetic and a geometric grid, restarts the bot every
 * simulated week, and checks the invariants at every restart and at the end (test/kit/season-checks.ts). One summary
 * line per grid; exit 1 on any problem.
 *
 * Each tape runs a third grid that trails up (SEASON_TRAILING_GRID and SEASON_FUTURES_TRAILING_GRID replace their
 * commands). SEASON_MONTHS / SEASON_DAYS shorten the tapes (a quick look before the full run).
 */
import { fixed } from '../src/domain/index.js';
import { SEASON_RETENTION, type SeasonResult, formatGridLine, runSeason } from '../test/kit/season-run.js';
import { futuresMinuteDays, klineTrades, spotHourlyYear } from '../test/kit/season-tape.js';

const months = Number(process.env.SEASON_MONTHS ?? 12);
const days = Number(process.env.SEASON_DAYS ?? 14);
// Its top line starts near 40.6k from the April 2023 price: it trails through the late-2023 rally toward 73k.
const trailing = process.env.SEASON_TRAILING_GRID ?? '/grid BTCUSDT 30 1.5 200 trail';
// Near the fortnight's ~94k start, 5 levels a side 0.5 % apart: a top line about 2.5 % up, which the tape leaves behind.
const futuresTrailing = process.env.SEASON_FUTURES_TRAILING_GRID ?? '/grid BTCUSDT 5 0.5 200 trail';
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

const runs: { readonly name: string; readonly run: () => Promise<SeasonResult> }[] = [
  {
    name: `spot-1h-${months}mo`,
    run: () =>
      runSeason({
        name: `spot-1h-${months}mo`,
        trades: klineTrades(spotHourlyYear(months)),
        // Wide enough to trade for months of a bull run: 30 levels a side, 1.5 % apart, 200 USDT a level.
        grids: [
          { label: 'arithmetic', command: '/grid BTCUSDT 30 1.5 200' },
          { label: 'geometric', command: '/grid BTCUSDT 30 1.5 200 geometric' },
          { label: 'trailing', command: trailing },
        ],
        env: { RISK_MAX_OPEN_ORDERS_PER_SYMBOL: '400', ...SEASON_RETENTION },
        progress: (line) => console.log(`  ${line}`),
      }),
  },
  {
    name: `futures-1m-${days}d`,
    run: () =>
      runSeason({
        name: `futures-1m-${days}d`,
        trades: klineTrades(futuresMinuteDays(days)),
        grids: [
          { label: 'arithmetic', command: '/grid BTCUSDT 20 0.5 200' },
          { label: 'geometric', command: '/grid BTCUSDT 20 0.5 200 geometric' },
          { label: 'trailing', command: futuresTrailing },
        ],
        env: { RISK_MAX_OPEN_ORDERS_PER_SYMBOL: '400', ...SEASON_RETENTION },
        progress: (line) => console.log(`  ${line}`),
      }),
  },
];

let failed = 0;
const started = Date.now();
for (const { name, run } of runs) {
  console.log(`${name}: replaying…`);
  const r = await run();
  for (const line of r.grids) console.log(formatGridLine(r.name, line));
  const m = r.memory;
  const flat = m.rss.growthPct < 10 && m.redis.growthPct < 10;
  console.log(
    `${r.name}: ${r.trades} trades, ${r.fills} fills, ${r.days.toFixed(1)} simulated days, ${r.restarts} restarts, ` +
      `${Math.round(r.wallMs / 1000)} s; bot unrealized (account) ${fixed.format(r.botUnrealized)} USDT; ` +
      `RSS ${mb(m.rss.base)} → ${mb(m.rss.last)} (${m.rss.growthPct.toFixed(1)} %), ` +
      `heap after GC ${mb(m.heap.base)} → ${mb(m.heap.last)} (${m.heap.growthPct.toFixed(1)} %), ` +
      `Redis ${mb(m.redis.base)} → ${mb(m.redis.last)} (${m.redis.growthPct.toFixed(1)} %), highest of the first 3 days → of the last 3`,
  );
  const grew = m.redisGrowers.map((g) => `${g.key} +${mb(g.growth)}`).join(', ');
  const memory = flat
    ? []
    : [`memory not flat from the first simulated days to the last (growth under 10 % expected); Redis keys that grew: ${grew}`];
  // A problem is usually found again at every later checkpoint: show where problems first appeared, and the end.
  const firstBad = r.checkpoints.find((c) => c.problems.length > 0);
  const end = r.checkpoints.at(-1);
  const shown = [...(firstBad && firstBad !== end ? [firstBad] : []), ...(end ? [end] : [])].flatMap((c) =>
    c.problems.map((p) => `${c.label}: ${p}`),
  );
  if (r.problems.length + memory.length > 0) {
    failed++;
    console.log(
      `FAIL ${r.name}: ${r.problems.length} problem(s) over ${r.checkpoints.length} checkpoints\n  ${[...shown, ...memory].join('\n  ')}`,
    );
  } else console.log(`ok   ${r.name}: every invariant held at ${r.checkpoints.length} checkpoints`);
}
console.log(`soak:season: ${runs.length - failed} of ${runs.length} replays passed in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(failed === 0 ? 0 : 1);
