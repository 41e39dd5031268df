/**
 * Engine throughput: trade ticks per second through feed → bus → 100 symbols each running a 2×50-level grid → risk
 * → paper venue (fills, re-arms, round trips included), from a pre-built tape. The floor, measured in the same run,
 * routes the same ticks by symbol to a binary search over each symbol's level prices and does nothing else.
 * Also reports per-tick latency p50/p99 (µs) and the process's peak RSS.
 */
import { buildPaperEngine } from '../src/app/paper-engine.js';
import { type Fixed, type Instrument, type TradeTick, catalogInstrument, fx } from '../src/domain/index.js';
import { ManualClock, SequentialIds } from '../src/engine/index.js';
import { ArrayTape, syntheticTape } from '../src/sandbox/index.js';
import { buildGridPreview } from '../src/strategy/index.js';
import { peakRssMb, percentile, report } from './stats.js';

const SYMBOLS = 100;
const LEVELS = 50;
const TAPE_TICKS = 200_000;
const PASSES = 8;
const BATCH = 5_000;

const template = catalogInstrument('SOLUSDT') as Instrument;
const instruments: Instrument[] = Array.from({ length: SYMBOLS }, (_, i) => ({
  ...template,
  symbol: `S${String(i).padStart(3, '0')}USDT`,
  baseAsset: `S${String(i).padStart(3, '0')}`,
}));

function buildTape(): TradeTick[] {
  const source = syntheticTape({ symbols: instruments.map((instrument) => ({ instrument, startPrice: fx('100') })), seed: 7 });
  const ticks: TradeTick[] = [];
  for (let i = 0; i < TAPE_TICKS; i++) ticks.push(source.next() as TradeTick);
  return ticks;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function engineRun(ticks: readonly TradeTick[]) {
  const clock = new ManualClock(ticks[0]?.time ?? 0);
  const balances: Record<string, Fixed> = { USDT: fx('1000000000') };
  for (const inst of instruments) balances[inst.baseAsset] = fx('1000000');
  const tape = new ArrayTape(instruments.map((i) => i.symbol), ticks);
  const engine = buildPaperEngine({
    instruments,
    balances,
    fees: { maker: fx('0.001'), taker: fx('0.001') },
    limits: { maxOpenOrdersPerSymbol: 200, priceBandPct: fx('10') },
    source: tape,
    clock,
    ids: new SequentialIds(),
    log: { warn: () => undefined },
  });
  await engine.start();
  // Prime each symbol's last price, then start one grid per symbol around it.
  engine.pump.pump(SYMBOLS * 20);
  for (const instrument of instruments) {
    const referencePrice = engine.market.lastPrice(instrument.symbol) as Fixed;
    const params = { symbol: instrument.symbol, levels: LEVELS, spacingPct: fx('0.1'), amountQuote: fx('20'), spacing: 'arithmetic' as const };
    const preview = buildGridPreview({ params, instrument, referencePrice, baseFree: fx('1000000'), quoteFree: fx('1000000000'), makerFee: fx('0.001'), takerFee: fx('0.001') });
    if (!preview.ok) throw new Error(preview.error.message);
    const started = engine.grids.startGrid(preview.value);
    if (!started.ok) throw new Error(started.error.message);
  }
  await yieldToLoop();
  const ordersAtStart = engine.tracker.openCount();

  const bus = engine.kernel.bus;
  const latencies = new Float64Array(ticks.length);
  let fills = 0;
  bus.on('OrderFilled', () => fills++);
  let roundTrips = 0;
  bus.on('GridRoundTrip', () => roundTrips++);

  let published = 0;
  const t0 = process.hrtime.bigint();
  for (let pass = 0; pass < PASSES; pass++) {
    const sample = pass === PASSES - 1;
    for (let i = 0; i < ticks.length; i++) {
      const tick = ticks[i] as TradeTick;
      if (sample) {
        const s = process.hrtime.bigint();
        bus.publish({ type: 'TradeTicked', tick });
        latencies[i] = Number(process.hrtime.bigint() - s) / 1000;
      } else {
        bus.publish({ type: 'TradeTicked', tick });
      }
      published++;
      // Venue answers resolve as promises: let them land between batches, as the event loop would.
      if (published % BATCH === 0) await yieldToLoop();
    }
  }
  await yieldToLoop();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const openAtEnd = engine.tracker.openCount();
  await engine.stop();
  latencies.sort();
  return { tps: published / seconds, published, fills, roundTrips, ordersAtStart, openAtEnd, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** The same ticks, routed by symbol to a binary search over that symbol's level prices; nothing else. */
function floorRun(ticks: readonly TradeTick[]): number {
  const levels = new Map<string, Fixed[]>();
  for (const inst of instruments) {
    const ladder: Fixed[] = [];
    for (let i = -LEVELS; i <= LEVELS; i++) ladder.push(fx('100') + BigInt(i) * fx('0.1'));
    levels.set(inst.symbol, ladder);
  }
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let pass = 0; pass < PASSES; pass++) {
    for (let i = 0; i < ticks.length; i++) {
      const tick = ticks[i] as TradeTick;
      const ladder = levels.get(tick.symbol) as Fixed[];
      let lo = 0;
      let hi = ladder.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((ladder[mid] as Fixed) < tick.price) lo = mid + 1;
        else hi = mid;
      }
      sink += lo;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (sink === -1) process.stdout.write('');
  return (ticks.length * PASSES) / seconds;
}

const ticks = buildTape();
floorRun(ticks); // warm-up of the floor's code path
const floor = floorRun(ticks);
const run = await engineRun(ticks);
report({
  bench: 'engine_throughput',
  value: Math.round(run.tps),
  unit: 'ticks/s',
  floor: Math.round(floor),
  p50_us: run.p50,
  p99_us: run.p99,
  peak_rss_mb: Math.round(peakRssMb()),
  ticks: run.published,
  symbols: SYMBOLS,
  grid_orders_at_start: run.ordersAtStart,
  open_orders_at_end: run.openAtEnd,
  fills: run.fills,
  round_trips: run.roundTrips,
});
