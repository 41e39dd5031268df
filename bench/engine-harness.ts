/**
 * The engine benchmark's harness: 100 symbols, each running a 2×50-level grid, fed a pre-built synthetic tape through
 * feed pump → bus → grids → risk → paper venue (fills, re-arms and round trips included), against a floor that routes
 * the same ticks by symbol to a binary search over each symbol's level prices and does nothing else.
 * Reports throughput, per-tick latency p50/p99 (µs), the process's peak RSS and how much trading the tape caused.
 */
import { buildPaperKernel } from '../src/app/paper-kernel.js';
import { type Fixed, type Instrument, type TradeTick, catalogInstrument, fx } from '../src/domain/index.js';
import { ManualClock, SequentialIds } from '../src/engine/index.js';
import { ArrayTape, syntheticTape } from '../src/sandbox/index.js';
import type { RiskLimits } from '../src/risk/index.js';
import { buildGridPreview } from '../src/strategy/index.js';
import { peakRssMb, percentile, report } from './stats.js';

const SYMBOLS = 100;
const LEVELS = 50;
/** 100 s of market per symbol; held for the whole run, so its size shows in peak RSS (passes replay it instead). */
const TAPE_TICKS = 100_000;
const BATCH = 5_000;
const START_PRICE = '100';
const SPACING_PCT = '0.1';
/** Timed passes over the tape (1.6M ticks); one more, untimed, samples per-tick latency. */
const PASSES = 16;
/** Ticks published to give every symbol a last price before the grids start. */
const PRIMING_TICKS = SYMBOLS * 20;

export interface EngineBenchOptions {
  readonly bench: string;
  /** The tape's one-minute volatility of the log price, percent. */
  readonly volatilityPerMinutePct: number;
  /** Replaces some of the default limits. */
  readonly limits?: RiskLimits;
}

/** The default limits (README), with the open-order caps raised to fit 100 grids of 100 orders. */
const DEFAULT_LIMITS: RiskLimits = {
  maxOrderNotional: fx('5000'),
  maxOpenOrdersPerSymbol: 200,
  maxOpenOrdersTotal: 20_000,
  maxPositionNotional: fx('10000'),
  priceBandPct: fx('10'),
  staleAfterMs: 30_000,
  maxDailyLoss: fx('500'),
};

const template = catalogInstrument('SOLUSDT') as Instrument;
const instruments: Instrument[] = Array.from({ length: SYMBOLS }, (_, i) => ({
  ...template,
  symbol: `S${String(i).padStart(3, '0')}USDT`,
  baseAsset: `S${String(i).padStart(3, '0')}`,
}));

/**
 * The tape, built once. Equal prices and quantities share one bigint: a live feed's ticks die young, but this tape is
 * held for the whole run, and ~50 bytes of boxed bigints per tick would otherwise count in the engine's peak RSS.
 */
function buildTape(volatilityPerMinutePct: number): TradeTick[] {
  const source = syntheticTape({
    symbols: instruments.map((instrument) => ({ instrument, startPrice: fx(START_PRICE) })),
    seed: 7,
    volatilityPerMinutePct,
  });
  const interned = new Map<bigint, bigint>();
  const intern = (v: bigint): bigint => {
    const seen = interned.get(v);
    if (seen !== undefined) return seen;
    interned.set(v, v);
    return v;
  };
  const ticks = new Array<TradeTick>(TAPE_TICKS);
  for (let i = 0; i < TAPE_TICKS; i++) {
    const t = source.next();
    // A fresh literal (not a spread) keeps `time` a double field, so shifting it between passes writes in place.
    ticks[i] = {
      symbol: t.symbol,
      price: intern(t.price),
      quantity: intern(t.quantity),
      time: t.time,
      tradeId: t.tradeId,
      isBuyerMaker: t.isBuyerMaker,
    };
  }
  return ticks;
}

/**
 * Moves the whole tape on in time (and trade ids on in number) so the next pass continues the market rather than
 * rewinding it: the engine's clock and last-trade times only ever move forward, as on a live feed. Runs untimed.
 */
function shiftTape(ticks: TradeTick[], ms: number, ids: number): void {
  const mutable = ticks as unknown as Array<{ time: number; tradeId: number }>;
  for (let i = 0; i < mutable.length; i++) {
    const t = mutable[i] as { time: number; tradeId: number };
    t.time += ms;
    t.tradeId += ids;
  }
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function engineRun(ticks: TradeTick[], limits: RiskLimits) {
  const first = ticks[0] as TradeTick;
  const last = ticks[ticks.length - 1] as TradeTick;
  const clock = new ManualClock(first.time);
  const balances: Record<string, Fixed> = { USDT: fx('1000000000') };
  for (const inst of instruments) balances[inst.baseAsset] = fx('1000000');
  const tape = new ArrayTape(
    instruments.map((i) => i.symbol),
    ticks,
  );
  const engine = buildPaperKernel({
    instruments,
    balances,
    fees: { maker: fx('0.001'), taker: fx('0.001') },
    limits,
    source: tape,
    clock,
    ids: new SequentialIds(),
    log: { warn: () => undefined, error: () => undefined },
  });
  await engine.start();
  // Prime each symbol's last price, then start one grid per symbol around it.
  engine.pump.pump(PRIMING_TICKS);
  for (const instrument of instruments) {
    const referencePrice = engine.market.lastPrice(instrument.symbol) as Fixed;
    const params = {
      symbol: instrument.symbol,
      levels: LEVELS,
      spacingPct: fx(SPACING_PCT),
      amountQuote: fx('20'),
      spacing: 'arithmetic' as const,
    };
    const preview = buildGridPreview({
      params,
      instrument,
      referencePrice,
      baseFree: fx('1000000'),
      quoteFree: fx('1000000000'),
      makerFee: fx('0.001'),
      takerFee: fx('0.001'),
    });
    if (!preview.ok) throw new Error(preview.error.message);
    const started = engine.grids.startGrid(preview.value);
    if (!started.ok) throw new Error(started.error.message);
  }
  await yieldToLoop();
  const ordersAtStart = engine.tracker.openCount();

  const bus = engine.host.bus;
  const pump = engine.pump;
  const latencies = new Float64Array(ticks.length);
  let fills = 0;
  bus.on('OrderFilled', () => fills++);
  let roundTrips = 0;
  bus.on('GridRoundTrip', () => roundTrips++);
  let denied = 0;
  bus.on('OrderDenied', () => denied++);

  // Each pass continues the previous one's market in time: the tape runs on from where the last pass ended.
  const passMs = last.time - first.time + 1;
  const nextPass = (): void => {
    shiftTape(ticks, passMs, ticks.length);
    tape.rewind();
  };

  // Timed passes publish in batches; the per-tick clock reads of the latency pass would slow what they measure.
  let elapsedNs = 0n;
  for (let pass = 0; pass < PASSES; pass++) {
    nextPass();
    const t0 = process.hrtime.bigint();
    for (let done = 0; done < ticks.length;) {
      done += pump.pump(BATCH);
      // Venue answers resolve as promises: let them land between batches, as the event loop would.
      await yieldToLoop();
    }
    elapsedNs += process.hrtime.bigint() - t0;
  }
  const published = PASSES * ticks.length;
  const timedFills = fills;
  const timedRoundTrips = roundTrips;
  const timedDenied = denied;

  // One more pass, untimed as a whole, times each tick on its own.
  nextPass();
  for (let done = 0; done < ticks.length;) {
    const end = Math.min(done + BATCH, ticks.length);
    for (; done < end; done++) {
      const s = process.hrtime.bigint();
      pump.pump(1);
      latencies[done] = Number(process.hrtime.bigint() - s) / 1000;
    }
    await yieldToLoop();
  }
  const seconds = Number(elapsedNs) / 1e9;
  const openAtEnd = engine.tracker.openCount();
  await engine.stop();
  latencies.sort();
  return {
    tps: published / seconds,
    published,
    fills: timedFills,
    roundTrips: timedRoundTrips,
    denied: timedDenied,
    tradingState: engine.tradingState.state(),
    ordersAtStart,
    openAtEnd,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** The same ticks, routed by symbol to a binary search over that symbol's level prices; nothing else. */
function floorRun(ticks: readonly TradeTick[]): number {
  const step = (fx(START_PRICE) * fx(SPACING_PCT)) / fx('100');
  const levels = new Map<string, Fixed[]>();
  for (const inst of instruments) {
    const ladder: Fixed[] = [];
    for (let i = -LEVELS; i <= LEVELS; i++) ladder.push(fx(START_PRICE) + BigInt(i) * step);
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

/** Builds the tape, measures the floor and the engine on it, and prints the one JSON line. */
export async function runEngineBench(options: EngineBenchOptions): Promise<void> {
  const ticks = buildTape(options.volatilityPerMinutePct);
  // The tape's construction garbage is not the engine's: collect it before measuring (run-all passes --expose-gc).
  globalThis.gc?.();
  floorRun(ticks); // warm-up of the floor's code path
  const floor = floorRun(ticks);
  const run = await engineRun(ticks, { ...DEFAULT_LIMITS, ...options.limits });
  report({
    bench: options.bench,
    value: Math.round(run.tps),
    unit: 'ticks/s',
    floor: Math.round(floor),
    p50_us: run.p50,
    p99_us: run.p99,
    peak_rss_mb: Math.round(peakRssMb()),
    ticks: run.published,
    symbols: SYMBOLS,
    volatility_per_minute_pct: options.volatilityPerMinutePct,
    spacing_pct: Number(SPACING_PCT),
    grid_orders_at_start: run.ordersAtStart,
    open_orders_at_end: run.openAtEnd,
    fills: run.fills,
    fills_per_1000_ticks: (run.fills * 1000) / run.published,
    round_trips: run.roundTrips,
    denied: run.denied,
    trading_state_at_end: run.tradingState,
  });
}
