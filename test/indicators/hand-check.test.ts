import { describe, expect, it } from 'vitest';
import { computeIndicators, type IndicatorOutcome } from '../../src/indicators/index.js';
import { DAY_1M, floats, loadKlines } from '../kit/candles-file.js';

/**
 * RSI, MACD, Bollinger and ATR recomputed here in plain float code from their textbook definitions (Wilder smoothing
 * seeded with a simple mean, SMA-seeded EMAs, population standard deviation), at the last candle of 2020-01-01.
 * The library seeds its EMA with the first price and its first true range with high − low; over 1440 candles those
 * starts have decayed far below the tolerance.
 */
const { candles, rows } = loadKlines(DAY_1M);
const bars = floats(rows);
const closes = bars.map((b) => b.close);
const report = computeIndicators(candles);

function value<V>(o: IndicatorOutcome<V>): V {
  if (!o.ready) throw new Error(o.reading);
  return o.value;
}

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Wilder's smoothing: the mean of the first `period` values, then avg = (avg · (period − 1) + x) / period. */
function wilder(xs: readonly number[], period: number): number {
  let avg = mean(xs.slice(0, period));
  for (const x of xs.slice(period)) avg = (avg * (period - 1) + x) / period;
  return avg;
}

/** The EMA series seeded with the SMA of the first `period` values; entries before the seed are undefined. */
function emaSeries(xs: readonly number[], period: number): (number | undefined)[] {
  const k = 2 / (period + 1);
  const out: (number | undefined)[] = xs.map(() => undefined);
  let ema = mean(xs.slice(0, period));
  out[period - 1] = ema;
  for (let i = period; i < xs.length; i++) {
    ema = (xs[i] as number) * k + ema * (1 - k);
    out[i] = ema;
  }
  return out;
}

function handRsi(period: number): number {
  const changes = closes.slice(1).map((c, i) => c - (closes[i] as number));
  const gain = wilder(
    changes.map((d) => Math.max(d, 0)),
    period,
  );
  const loss = wilder(
    changes.map((d) => Math.max(-d, 0)),
    period,
  );
  return loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
}

function handMacd(fast: number, slow: number, signalPeriod: number): { macd: number; signal: number; histogram: number } {
  const f = emaSeries(closes, fast);
  const s = emaSeries(closes, slow);
  const line = closes.slice(slow - 1).map((_, i) => (f[i + slow - 1] as number) - (s[i + slow - 1] as number));
  const signal = emaSeries(line, signalPeriod).at(-1) as number;
  const macd = line.at(-1) as number;
  return { macd, signal, histogram: macd - signal };
}

function handBollinger(period: number, k: number): { upper: number; middle: number; lower: number } {
  const window = closes.slice(-period);
  const middle = mean(window);
  const sd = Math.sqrt(mean(window.map((c) => (c - middle) ** 2)));
  return { upper: middle + k * sd, middle, lower: middle - k * sd };
}

function handAtr(period: number): number {
  // True range from the second candle on, where a previous close exists.
  const tr: number[] = [];
  for (let i = 1; i < bars.length; i++) {
    const { high, low } = bars[i] as (typeof bars)[number];
    const previousClose = closes[i - 1] as number;
    tr.push(Math.max(high - low, Math.abs(high - previousClose), Math.abs(low - previousClose)));
  }
  return wilder(tr, period);
}

describe('hand check on BTCUSDT 1m 2020-01-01, last candle', () => {
  it('RSI(14) is Wilder RSI: 60.507604', () => {
    const rsi = value(report.rsi);
    expectClose(rsi, handRsi(14));
    expect(rsi.toFixed(6)).toBe('60.507604');
  });

  it('MACD(12,26,9) is SMA-seeded EMAs: 2.057898 / 2.113023 / −0.055125', () => {
    const macd = value(report.macd);
    const hand = handMacd(12, 26, 9);
    expectClose(macd.macd, hand.macd);
    expectClose(macd.signal, hand.signal);
    expectClose(macd.histogram, hand.histogram);
    expect([macd.macd, macd.signal, macd.histogram].map((v) => v.toFixed(6))).toEqual(['2.057898', '2.113023', '-0.055125']);
  });

  it('BB(20,2) is mean ± 2 population standard deviations: 7202.842176 / 7197.266000 / 7191.689824', () => {
    const bb = value(report.bollinger);
    const hand = handBollinger(20, 2);
    expectClose(bb.upper, hand.upper);
    expectClose(bb.middle, hand.middle);
    expectClose(bb.lower, hand.lower);
    expect([bb.upper, bb.middle, bb.lower].map((v) => v.toFixed(6))).toEqual(['7202.842176', '7197.266000', '7191.689824']);
  });

  it('ATR(14) is Wilder ATR: 3.293222', () => {
    const { atr, natr } = value(report.atr);
    expectClose(atr, handAtr(14));
    expect(atr.toFixed(6)).toBe('3.293222');
    expectClose(natr, (100 * atr) / (closes.at(-1) as number));
  });
});
