import { describe, expect, it } from 'vitest';
import { type TradeTick, catalogInstrument, fx } from '../../../src/domain/index.js';
import {
  SYNTHETIC_DEFAULTS,
  type SyntheticSymbol,
  type SyntheticTapeOptions,
  catalogSymbols,
  mulberry32,
  syntheticTape,
} from '../../../src/sandbox/tape/index.js';

function symbols(...names: string[]): SyntheticSymbol[] {
  const r = catalogSymbols(names);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function take(options: SyntheticTapeOptions, n: number): TradeTick[] {
  const tape = syntheticTape(options);
  return Array.from({ length: n }, () => tape.next());
}

/** Every tick from the tape's start up to (not including) `ms` of market time. */
function during(options: SyntheticTapeOptions, ms: number): TradeTick[] {
  const tape = syntheticTape(options);
  const out: TradeTick[] = [];
  for (let t = tape.next(); t.time < SYNTHETIC_DEFAULTS.startTime + ms; t = tape.next()) out.push(t);
  return out;
}

const BTC = symbols('BTCUSDT');
const START = fx('95000');

describe('synthetic tape', () => {
  it('repeats exactly for a seed and differs for another', () => {
    const a = take({ symbols: BTC, seed: 7 }, 5000);
    expect(take({ symbols: BTC, seed: 7 }, 5000)).toEqual(a);
    const b = take({ symbols: BTC, seed: 8 }, 5000);
    expect(b.map((t) => t.price)).not.toEqual(a.map((t) => t.price));
  });

  it('repeats from an injected random function too', () => {
    expect(take({ symbols: BTC, random: mulberry32(3) }, 1000)).toEqual(take({ symbols: BTC, random: mulberry32(3) }, 1000));
  });

  it('moves in whole ticks and trades whole lot steps, never below one of each', () => {
    const all = symbols('BTCUSDT', 'DOGEUSDT', 'TRXUSDT', 'LINKUSDT');
    const ticks = take({ symbols: all, seed: 1 }, 40_000);
    const wrong = ticks.filter((t) => {
      const f = catalogInstrument(t.symbol)?.filters;
      if (!f) return true;
      const { tickSize } = f.priceFilter;
      const { stepSize } = f.lotSize;
      return !(t.price > 0n && t.price % tickSize === 0n && t.quantity >= stepSize && t.quantity % stepSize === 0n);
    });
    expect(wrong).toEqual([]);
  });

  it('merges symbols in time order with per-symbol trade ids counting from 1', () => {
    const ticks = take({ symbols: symbols('BTCUSDT', 'ETHUSDT', 'SOLUSDT'), seed: 2 }, 30_000);
    const ids = new Map<string, number>();
    let last = SYNTHETIC_DEFAULTS.startTime;
    let disorder = 0;
    for (const t of ticks) {
      const expected = (ids.get(t.symbol) ?? 0) + 1;
      if (t.time < last || t.tradeId !== expected) disorder++;
      last = t.time;
      ids.set(t.symbol, expected);
    }
    expect(disorder).toBe(0);
    expect([...ids.keys()].sort()).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
  });

  it("gives each symbol its own stream, so adding a symbol leaves another's path alone", () => {
    const alone = take({ symbols: BTC, seed: 4 }, 2000);
    const mixed = take({ symbols: symbols('ETHUSDT', 'BTCUSDT'), seed: 4 }, 6000).filter((t) => t.symbol === 'BTCUSDT');
    expect(mixed.slice(0, 1000)).toEqual(alone.slice(0, 1000));
  });

  it('arrives at about 10 trades a second per symbol, with a median notional near 500 USDT', () => {
    const ticks = during({ symbols: BTC, seed: 5 }, 10 * 60_000);
    expect(ticks.length).toBeGreaterThan(5700);
    expect(ticks.length).toBeLessThan(6300);
    const notionals = ticks.map((t) => Number(t.price * t.quantity) / 1e16).sort((a, b) => a - b);
    const median = notionals[notionals.length >> 1] as number;
    expect(median).toBeGreaterThan(450);
    expect(median).toBeLessThan(550);
  });

  it('has the configured one-minute volatility (no mean reversion)', () => {
    const ticks = during({ symbols: BTC, seed: 6, meanReversionHalfLifeMinutes: 0, tradesPerSecond: 2 }, 600 * 60_000);
    const closes: number[] = [];
    for (const t of ticks) closes[Math.floor((t.time - SYNTHETIC_DEFAULTS.startTime) / 60_000)] = Number(t.price);
    const returns = closes.slice(1).map((c, i) => Math.log(c / (closes[i] as number)));
    const sd = Math.sqrt(returns.reduce((s, r) => s + r * r, 0) / returns.length);
    expect(sd * 100).toBeGreaterThan(0.7 * 0.9);
    expect(sd * 100).toBeLessThan(0.7 * 1.1);
  });

  it('reverts toward the start price', () => {
    const ticks = during({ symbols: BTC, seed: 9 }, 6 * 60 * 60_000);
    const far = ticks.filter((t) => t.price > (START * 110n) / 100n || t.price < (START * 90n) / 100n);
    expect(far).toEqual([]);
  });

  it('tags rises as buyer-taker and falls as buyer-maker', () => {
    const ticks = take({ symbols: BTC, seed: 1 }, 2000);
    const wrong = ticks.filter((t, i) => {
      const prev = ticks[i - 1];
      return prev !== undefined && ((t.price > prev.price && t.isBuyerMaker) || (t.price < prev.price && !t.isBuyerMaker));
    });
    expect(wrong).toEqual([]);
  });

  it('with the defaults (BTCUSDT at 95000, seed 1) fills a 0.5 % grid level and comes back inside the first minute', () => {
    const ticks = during({ symbols: BTC, seed: 1 }, 60_000);
    expect(ticks.length).toBeGreaterThan(550);
    const pct = (p: bigint): number => (Number(p - START) / Number(START)) * 100;
    const lows = ticks.map((t) => pct(t.price));
    const minAt = lows.indexOf(Math.min(...lows));
    // Measured: the low is −0.579 % (a buy one level down fills), the high +0.157 %, and the price is back above the
    // start afterwards (the buy's sell one level up fills: a round trip).
    expect(Math.min(...lows)).toBeCloseTo(-0.579, 2);
    expect(Math.max(...lows)).toBeCloseTo(0.157, 2);
    expect(lows.slice(minAt).some((p) => p >= 0)).toBe(true);
  });

  it('refuses impossible settings as the bugs they are', () => {
    expect(() => syntheticTape({ symbols: [] })).toThrow(RangeError);
    expect(() => syntheticTape({ symbols: BTC, tradesPerSecond: 0 })).toThrow(RangeError);
    const r = catalogSymbols(['NOPEUSDT']);
    expect(r.ok ? '' : r.error.code).toBe('UNKNOWN_SYMBOL');
  });
});
