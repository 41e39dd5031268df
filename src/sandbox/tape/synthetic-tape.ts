import {
  type Fixed,
  type Instrument,
  type Result,
  type TradeTick,
  SPOT_CATALOG,
  fixed,
  fx,
  ok,
  unknownSymbol,
} from '../../domain/index.js';
import { IndexHeap } from './index-heap.js';
import { NormalSource, type Random, mulberry32, seedFor } from './seeded-random.js';
import type { TapeSource } from './tape-source.js';

/** One market of the synthetic tape: its filters (tick and lot step) and where its price starts and reverts to. */
export interface SyntheticSymbol {
  readonly instrument: Instrument;
  readonly startPrice: Fixed;
}

export interface SyntheticTapeOptions {
  readonly symbols: readonly SyntheticSymbol[];
  /** Seed for per-symbol mulberry32 streams; default 1. Ignored when `random` is given. */
  readonly seed?: number;
  /** One shared uniform source in [0, 1) instead of the seeded per-symbol streams. */
  readonly random?: Random;
  /** Market time of the tape's start, ms since the epoch; default 2025-01-01T00:00:00Z so runs repeat. */
  readonly startTime?: number;
  /** Standard deviation of the log price over one minute, in percent; default 0.7. */
  readonly volatilityPerMinutePct?: number;
  /** Half-life of the pull back toward the start price, minutes; default 10. 0 or Infinity gives a plain random walk. */
  readonly meanReversionHalfLifeMinutes?: number;
  /** Mean trades per second per symbol (Poisson arrivals); default 10. */
  readonly tradesPerSecond?: number;
  /** Median trade notional in quote units (log-normal sizes); default 500. */
  readonly medianTradeNotional?: number;
  /** Standard deviation of the log of the trade notional; default 1. */
  readonly tradeNotionalSigma?: number;
  /** The first trade id of every symbol; default 1. */
  readonly firstTradeId?: number;
}

/**
 * Defaults are tuned for the demo, not for realism: 0.7 % per minute (several times BTC's usual one-minute volatility)
 * with a 10-minute half-life keeps the price within roughly ±1.9 % (the stationary spread σ/√(2θ)) of where it
 * started. Measured over 400 seeds for BTCUSDT, a ±0.5 % level from the start is first hit within 60 s of market time
 * in 87 % of runs (78 % at 0.6 %/min), and hit-and-back (one grid round trip) within 60 s in 27 %, 2 min in 51 %,
 * 5 min in 77 %. Seed 1 does both inside the first minute.
 */
export const SYNTHETIC_DEFAULTS = {
  seed: 1,
  startTime: Date.UTC(2025, 0, 1),
  volatilityPerMinutePct: 0.7,
  meanReversionHalfLifeMinutes: 10,
  tradesPerSecond: 10,
  medianTradeNotional: 500,
  tradeNotionalSigma: 1,
  firstTradeId: 1,
} as const;

/** Per-symbol walk state, mutated in place so a tick allocates nothing beyond the tick itself. */
interface Walk {
  readonly symbol: string;
  readonly tickSize: Fixed;
  readonly stepSize: Fixed;
  readonly startTicks: number;
  readonly tickValue: number;
  readonly stepValue: number;
  readonly maxSteps: number;
  readonly random: Random;
  readonly normal: NormalSource;
  /** Log of price / start price. */
  logDeviation: number;
  ticks: number;
  lastMs: number;
  isBuyerMaker: boolean;
  nextTradeId: number;
}

const MS_PER_SECOND = 1000;

/** A never-ending seeded tape: every symbol's price walks in whole ticks (exact Fixed), trades merge in time order. */
export class SyntheticTape implements TapeSource {
  readonly symbols: readonly string[];
  private readonly walks: Walk[];
  private readonly heap: IndexHeap;
  private readonly startTime: number;
  /** Log-price volatility per √second. */
  private readonly sigma: number;
  /** Mean-reversion rate per second. */
  private readonly theta: number;
  private readonly meanGapMs: number;
  private readonly logMedianNotional: number;
  private readonly notionalSigma: number;

  constructor(options: SyntheticTapeOptions) {
    const o = { ...SYNTHETIC_DEFAULTS, ...definedOnly(options) };
    if (options.symbols.length === 0) throw new RangeError('a synthetic tape needs at least one symbol');
    if (!(o.tradesPerSecond > 0)) throw new RangeError(`tradesPerSecond must be positive: ${o.tradesPerSecond}`);
    if (!(o.volatilityPerMinutePct >= 0)) throw new RangeError(`volatilityPerMinutePct must be >= 0: ${o.volatilityPerMinutePct}`);
    if (!(o.medianTradeNotional > 0)) throw new RangeError(`medianTradeNotional must be positive: ${o.medianTradeNotional}`);
    this.startTime = o.startTime;
    this.sigma = o.volatilityPerMinutePct / 100 / Math.sqrt(60);
    const halfLife = o.meanReversionHalfLifeMinutes;
    this.theta = halfLife > 0 && Number.isFinite(halfLife) ? Math.LN2 / (halfLife * 60) : 0;
    this.meanGapMs = MS_PER_SECOND / o.tradesPerSecond;
    this.logMedianNotional = Math.log(o.medianTradeNotional);
    this.notionalSigma = o.tradeNotionalSigma;

    this.walks = options.symbols.map((s) => makeWalk(s, o.random ?? mulberry32(seedFor(o.seed, s.instrument.symbol)), o.firstTradeId));
    this.symbols = this.walks.map((w) => w.symbol);
    this.heap = new IndexHeap(this.walks.length);
    for (let i = 0; i < this.walks.length; i++) this.heap.push(i, this.gapMs(this.walks[i] as Walk));
  }

  next(): TradeTick {
    const heap = this.heap;
    const i = heap.top();
    const atMs = heap.topKey();
    const w = this.walks[i] as Walk;

    const dt = (atMs - w.lastMs) / MS_PER_SECOND;
    w.lastMs = atMs;
    w.logDeviation = this.step(w.logDeviation, dt, w.normal.next());
    const ticks = Math.max(1, Math.round(w.startTicks * Math.exp(w.logDeviation)));
    // The aggressor pushed the price: up means a buyer took the ask (buyer is taker); unchanged keeps the last side.
    if (ticks > w.ticks) w.isBuyerMaker = false;
    else if (ticks < w.ticks) w.isBuyerMaker = true;
    w.ticks = ticks;

    const notional = Math.exp(this.logMedianNotional + this.notionalSigma * w.normal.next());
    let steps = Math.floor(notional / (ticks * w.tickValue * w.stepValue));
    if (steps < 1) steps = 1;
    else if (steps > w.maxSteps) steps = w.maxSteps;

    heap.updateTop(atMs + this.gapMs(w));
    return {
      symbol: w.symbol,
      price: BigInt(ticks) * w.tickSize,
      quantity: BigInt(steps) * w.stepSize,
      time: this.startTime + Math.floor(atMs),
      tradeId: w.nextTradeId++,
      isBuyerMaker: w.isBuyerMaker,
    };
  }

  /** Ornstein–Uhlenbeck in log price, sampled exactly over dt (a plain random walk when theta is 0). */
  private step(x: number, dt: number, z: number): number {
    if (this.theta === 0) return x + this.sigma * Math.sqrt(dt) * z;
    const decay = Math.exp(-this.theta * dt);
    return x * decay + this.sigma * Math.sqrt((1 - decay * decay) / (2 * this.theta)) * z;
  }

  /** Exponential inter-arrival time, ms. */
  private gapMs(w: Walk): number {
    return -Math.log(1 - w.random()) * this.meanGapMs;
  }
}

function makeWalk(s: SyntheticSymbol, random: Random, firstTradeId: number): Walk {
  const { tickSize: rawTick } = s.instrument.filters.priceFilter;
  const { stepSize: rawStep, maxQty } = s.instrument.filters.lotSize;
  // A disabled filter (0) means any 8-decimal value is legal: move in units of 1e-8.
  const tickSize = rawTick > 0n ? rawTick : 1n;
  const stepSize = rawStep > 0n ? rawStep : 1n;
  if (s.startPrice <= 0n) throw new RangeError(`${s.instrument.symbol}: start price must be positive`);
  const startTicks = Number(fixed.divRound(s.startPrice, tickSize, 'halfEven')) || 1;
  return {
    symbol: s.instrument.symbol,
    tickSize,
    stepSize,
    startTicks,
    tickValue: Number(tickSize) / Number(fixed.SCALE),
    stepValue: Number(stepSize) / Number(fixed.SCALE),
    maxSteps: maxQty > 0n ? Number(maxQty / stepSize) : Number.MAX_SAFE_INTEGER,
    random,
    normal: new NormalSource(random),
    logDeviation: 0,
    ticks: startTicks,
    lastMs: 0,
    isBuyerMaker: false,
    nextTradeId: firstTradeId,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Builds a synthetic tape; a thin function form of `new SyntheticTape`. */
export function syntheticTape(options: SyntheticTapeOptions): SyntheticTape {
  return new SyntheticTape(options);
}

/** The catalog's instruments at their demo prices, for the given symbols (all of them when omitted). */
export function catalogSymbols(symbols?: readonly string[]): Result<SyntheticSymbol[]> {
  const wanted = symbols ?? SPOT_CATALOG.map((e) => e.instrument.symbol);
  const out: SyntheticSymbol[] = [];
  for (const name of wanted) {
    const entry = SPOT_CATALOG.find((e) => e.instrument.symbol === name);
    if (!entry) return unknownSymbol(name);
    out.push({ instrument: entry.instrument, startPrice: fx(entry.demoPrice) });
  }
  return ok(out);
}
