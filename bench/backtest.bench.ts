/**
 * Backtest speed: runBacktest (the paper kernel: bus, grid strategy, risk gate, portfolio, the sandbox's matching core
 * behind the paper gateway, on a manual clock) over real candles, against a floor that sends the same candles' trades
 * (expandKline, the path the backtest uses) through the sandbox's MatchingEngine alone, with the same grid's ladder
 * resting and each fill re-armed one line over by hand: the matching any replay must do, and nothing else.
 *
 * - backtest_1m_month: 43,200 one-minute candles. The 14 USD-M days 2025-05-05…18 (94k → 106k), then the same days
 *   mirrored back in time (last to first, open and close swapped) so the path returns to where it began, then forward
 *   again, re-timed minute after minute: a continuous price path a month long. Grid: 30 levels, 0.5 %, 100 USDT.
 * - backtest_1h_year: the 12 hourly spot files 2023-04…2024-03 (8,784 candles, 28k → 71k). Grid: 25,000–75,000 in
 *   100 grids, 100 USDT each (the range form).
 *
 * Each line: candles/s (value), the floor's candles/s, ratio, and the backtest's wall ms (targets: < 3 s for the month,
 * < 2 s for the year), with what the replay traded. Each side runs once untimed, then RUNS times alternately; medians.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBacktest } from '../src/app/backtest/index.js';
import { type Candle, type Fixed, type Instrument, type TradeTick, catalogInstrument, fx } from '../src/domain/index.js';
import { loadCandles } from '../src/history/index.js';
import type { RiskLimits } from '../src/risk/index.js';
import { MatchingEngine, expandKline } from '../src/sandbox/index.js';
import type { GridParams, GridPreview } from '../src/strategy/index.js';
import { peakRssMb, report } from './stats.js';

const RUNS = 3;
const MONTH_CANDLES = 43_200;
const MINUTE = 60_000;
const FEES = { maker: fx('0.001'), taker: fx('0.001') };
const BALANCES = { USDT: fx('100000') };
/**
 * The default limits, with room for the grids' opening market buys (a year's ladder buys ~9,000 USDT of base at once),
 * their inventory, and a ladder reaching 2.6× the price (the year's top line): the replay measures speed, not limits.
 */
const LIMITS: RiskLimits = {
  maxOrderNotional: fx('100000'),
  maxOpenOrdersPerSymbol: 200,
  maxOpenOrdersTotal: 400,
  maxPositionNotional: fx('10000000'),
  priceBandPct: fx('200'),
  maxDailyLoss: fx('10000000'),
};
const btc = catalogInstrument('BTCUSDT') as Instrument;

/** ../shared/data beside the repository: found from this file, bundled (bench/.bundles-…/) or not. */
function sharedData(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('backtest bench: no package.json above this file');
    dir = up;
  }
  return resolve(dir, '../shared/data');
}

function load(dir: string, pattern: RegExp, count: number): Candle[] {
  const files = readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort();
  if (files.length !== count) throw new Error(`expected ${count} files like ${pattern} in ${dir}, found ${files.length}`);
  return files.flatMap((f) => {
    const loaded = loadCandles(join(dir, f));
    if (!loaded.ok) throw new Error(loaded.error.message);
    return loaded.value.candles;
  });
}

/** The fortnight forward, mirrored back, forward again…, re-timed minute by minute from the first open, to `n`. */
function minuteMonth(days: readonly Candle[], n: number): Candle[] {
  const back = [...days].reverse().map((c) => ({ ...c, open: c.close, close: c.open }));
  const start = (days[0] as Candle).openTime;
  const out: Candle[] = [];
  for (let lap = 0; out.length < n; lap++) {
    for (const c of lap % 2 === 0 ? days : back) {
      if (out.length === n) break;
      const openTime = start + out.length * MINUTE;
      out.push({ ...c, openTime, closeTime: openTime + MINUTE - 1 });
    }
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function backtestOnce(candles: readonly Candle[], params: GridParams, interval: string) {
  const t0 = performance.now();
  const ran = await runBacktest({ params, instrument: btc, candles, interval, fees: FEES, limits: LIMITS, balances: BALANCES });
  const wallMs = performance.now() - t0;
  if (!ran.ok) throw new Error(ran.error.message);
  return { wallMs, report: ran.value };
}

/**
 * The floor: the backtest's ladder resting on a MatchingEngine, each candle's trades matched against it, and each fill
 * answered at once by the order a grid would place one line over (a buy's sell above, a sell's buy below).
 */
function floorOnce(candles: readonly Candle[], preview: GridPreview): { wallMs: number; fills: number } {
  const engine = new MatchingEngine({ instruments: [btc], startingBalances: { USDT: fx('100000000'), BTC: fx('1000') }, fees: FEES });
  // The ladder's lines from the lowest up; the reference price's line (index 0) carries no order until a re-arm.
  const ladder = [...preview.levels].sort((a, b) => a.index - b.index);
  const lineOf = new Map<Fixed, number>(ladder.map((l, i) => [l.price, i]));
  let ids = 0;
  const place = (side: 'BUY' | 'SELL', line: number, quantity: Fixed, time: number) => {
    const price = (ladder[line] as (typeof ladder)[number]).price;
    const placed = engine.placeOrder(
      { clientOrderId: `f${ids++}`, symbol: btc.symbol, side, type: 'LIMIT', price, quantity, timeInForce: 'GTC' },
      time,
    );
    if (!placed.ok) throw new Error(`floor: ${placed.error.message}`);
  };
  const state = { price: undefined as Fixed | undefined, isBuyerMaker: false };
  const trades: TradeTick[] = [];
  const path = { pathSteps: 0, tickSize: btc.filters.priceFilter.tickSize };
  const t0 = performance.now();
  const opened = (candles[0] as Candle).openTime;
  ladder.forEach((l, i) => l.index !== 0 && place(l.side, i, l.quantity, opened));
  let fills = 0;
  for (const candle of candles) {
    trades.length = 0;
    expandKline(candle, btc.symbol, path, state, trades);
    for (const t of trades) {
      for (const e of engine.onTrade(t)) {
        if (e.type !== 'execution' || e.report.status !== 'FILLED') continue;
        fills++;
        const line = (lineOf.get(e.report.price as Fixed) as number) + (e.report.side === 'BUY' ? 1 : -1);
        if (line >= 0 && line < ladder.length) place(e.report.side === 'BUY' ? 'SELL' : 'BUY', line, e.report.origQty, t.time);
      }
    }
  }
  return { wallMs: performance.now() - t0, fills };
}

async function bench(name: string, candles: readonly Candle[], params: GridParams, interval: string): Promise<void> {
  // Untimed first runs warm both up; then the two alternate, so a machine's drift in load hits both alike.
  const warm = await backtestOnce(candles, params, interval);
  floorOnce(candles, warm.report.preview);
  const runs = [];
  const floors = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await backtestOnce(candles, params, interval));
    floors.push(floorOnce(candles, warm.report.preview));
  }
  const wallMs = median(runs.map((x) => x.wallMs));
  const floorMs = median(floors.map((f) => f.wallMs));
  const r = warm.report;
  report({
    bench: name,
    value: candles.length / (wallMs / 1000),
    unit: 'candles/s',
    floor: candles.length / (floorMs / 1000),
    wall_ms: Math.round(wallMs),
    floor_wall_ms: Math.round(floorMs),
    candles: candles.length,
    trades: candles.length * 4,
    fills: r.fills,
    floor_fills: (floors[0] as { fills: number }).fills,
    round_trips: r.roundTrips,
    denied: Object.values(r.denied).reduce((a, b) => a + b, 0),
    peak_rss_mb: Math.round(peakRssMb()),
  });
}

const data = sharedData();
const fortnight = load(join(data, 'futures/um/klines'), /^BTCUSDT-1m-2025-05-\d\d\.csv$/, 14);
await bench('backtest_1m_month', minuteMonth(fortnight, MONTH_CANDLES), grid({ levels: 30, spacingPct: fx('0.5') }), '1m');
const year = load(join(data, 'spot/klines'), /^BTCUSDT-1h-(2023-(0[4-9]|1[0-2])|2024-0[1-3])\.csv$/, 12);
await bench(
  'backtest_1h_year',
  year,
  grid({ levels: 100, spacingPct: fx('0'), range: { lower: fx('25000'), upper: fx('75000'), grids: 100 } }),
  '1h',
);

function grid(p: Pick<GridParams, 'levels' | 'spacingPct' | 'range'>): GridParams {
  return { symbol: btc.symbol, amountQuote: fx('100'), spacing: 'arithmetic', ...p };
}
