import { describe, expect, it } from 'vitest';
import { type Candle, fx } from '../../src/domain/index.js';
import { computeIndicators, indicatorLines } from '../../src/indicators/index.js';
import { DAY_1M, loadKlines } from '../kit/candles-file.js';

/** A one-minute candle closing at `close`, spanning `spread` either side, with one unit of volume. */
function candle(i: number, close: number, spread = 0.5): Candle {
  const at = (x: number) => fx(x.toFixed(2));
  return {
    openTime: i * 60_000,
    closeTime: i * 60_000 + 59_999,
    open: at(close),
    high: at(close + spread),
    low: at(close - spread),
    close: at(close),
    volume: fx('1'),
  };
}

const series = (closes: readonly number[]): Candle[] => closes.map((c, i) => candle(i, c));
const rising = series(Array.from({ length: 250 }, (_, i) => 1000 + i));
const falling = series(Array.from({ length: 250 }, (_, i) => 1000 - i));

describe('readings on constructed candles', () => {
  it('a steady rise: overbought, above every EMA in trend order, a very strong trend up', () => {
    const r = computeIndicators(rising, { tickSize: fx('0.01') });
    expect(r.rsi.reading).toBe('RSI(14) 100.0: overbought');
    expect(r.emaTrend.reading).toBe('EMA 20/50/200: EMA 20 > 50 > 200: uptrend');
    expect(r.ema20.reading).toMatch(/^EMA\(20\) \d+\.\d\d: price above$/);
    expect(r.adx.reading).toMatch(/^ADX\(14\) \d+\.\d: very strong trend \(40\+\), \+DI \d+\.\d > −DI 0\.0: up$/);
    expect(r.superTrend.reading).toMatch(/^SuperTrend\(10,3\) up: support at \d+\.\d\d$/);
    expect(r.macd.reading).toMatch(/: bullish, MACD above its signal$/);
    // RSI sat at 100 for the whole window: StochRSI has no range to place it in.
    expect(r.stochRsi.reading).toBe('StochRSI(14): no reading, RSI did not move over its last 14 values');
  });

  it('a steady fall: oversold, below every EMA, a trend down', () => {
    const r = computeIndicators(falling, { tickSize: fx('0.01') });
    expect(r.rsi.reading).toBe('RSI(14) 0.0: oversold');
    expect(r.emaTrend.reading).toBe('EMA 20/50/200: EMA 200 > 50 > 20: downtrend');
    expect(r.ema200.reading).toMatch(/: price below$/);
    expect(r.adx.reading).toMatch(/\+DI 0\.0 < −DI \d+\.\d: down$/);
    expect(r.superTrend.reading).toMatch(/^SuperTrend\(10,3\) down: resistance at \d+\.\d\d$/);
    expect(r.vwap.reading).toMatch(/^VWAP over the 250 candles \d+\.\d\d: price below$/);
  });

  it('a spike out of a flat market: above the upper band, MACD crossing up on the last candle, StochRSI overbought', () => {
    const flatThenDip = [...Array.from({ length: 60 }, (_, i) => 1000 - (i % 2) * 0.5), 995, 994, 993, 992];
    const r = computeIndicators(series([...flatThenDip, 1010]), { tickSize: fx('0.01') });
    expect(r.bollinger.reading).toMatch(
      /^BB\(20,2\) \d+\.\d\d–\d+\.\d\d \(middle \d+\.\d\d\): close above the upper band \(%B \d\.\d\d\), bandwidth/,
    );
    expect(r.macd.reading).toMatch(/: bullish, crossed above its signal on the last candle$/);
    expect(r.stochRsi.reading).toMatch(/^StochRSI\(14\) 1\.00 \(%K \d\.\d\d, %D \d\.\d\d\): overbought$/);
    expect(r.rsi.ready && r.rsi.value).toBeGreaterThan(70);
  });

  it('flat closes: Bollinger bands with no width', () => {
    const r = computeIndicators(series(Array.from({ length: 30 }, () => 1000)), { tickSize: fx('0.01') });
    expect(r.bollinger.reading).toBe('BB(20,2) 1000.00–1000.00 (middle 1000.00): no width, the last 20 closes did not move');
    expect(r.bollinger.ready && r.bollinger.value.percentB).toBeUndefined();
  });

  it('the real day, every line, prices on the 0.01 tick the candles use', () => {
    const r = computeIndicators(loadKlines(DAY_1M).candles);
    expect(r.tickSize).toBe(fx('0.01'));
    expect(indicatorLines(r)).toEqual([
      'RSI(14) 60.5: neutral',
      'MACD(12,26,9) 2.058, signal 2.113, histogram -0.05513: bearish, MACD below its signal',
      'BB(20,2) 7191.69–7202.84 (middle 7197.27): close in the upper half (%B 0.82), bandwidth 0.15 %',
      'ATR(14) 3.29: NATR 0.046 % of the price',
      'EMA(20) 7197.23: price above',
      'EMA(50) 7195.42: price above',
      'EMA(200) 7208.73: price below',
      'EMA 20/50/200: EMA 200 > 20 > 50: mixed, no clear trend',
      'ADX(14) 17.1: no trend (under 20), +DI 32.2 > −DI 20.3: up',
      'StochRSI(14) 0.67 (%K 0.32, %D 0.21): neutral',
      'SuperTrend(10,3) up: support at 7191.33',
      'VWAP over the 1440 candles 7218.38: price below',
    ]);
  });

  it('a coarser tick rounds every shown price to it', () => {
    const r = computeIndicators(loadKlines(DAY_1M).candles, { tickSize: fx('0.5') });
    expect(r.superTrend.reading).toBe('SuperTrend(10,3) up: support at 7191.5');
    expect(r.atr.reading).toBe('ATR(14) 3.5: NATR 0.046 % of the price');
  });
});

describe('not enough candles', () => {
  const { candles } = loadKlines(DAY_1M);
  // The library's own count for each: one candle short is not enough, that count is.
  const needs = {
    rsi: 15,
    macd: 26,
    bollinger: 20,
    atr: 14,
    ema20: 20,
    ema50: 50,
    ema200: 200,
    emaTrend: 200,
    adx: 27,
    stochRsi: 28,
    superTrend: 10,
    vwap: 1,
  } as const;

  it.each(Object.entries(needs))('%s needs %i', (key, n) => {
    const name = key as keyof typeof needs;
    const before = computeIndicators(candles.slice(0, n - 1))[name];
    expect(before).toMatchObject({ ready: false, needs: n });
    if (n > 1) expect(before.reading).toMatch(new RegExp(`: not enough candles \\(needs ${n}\\)$`));
    expect(computeIndicators(candles.slice(0, n))[name].ready).toBe(true);
  });

  it('no candles at all: every indicator says what it needs', () => {
    const r = computeIndicators([]);
    expect(r.close).toBeUndefined();
    expect(indicatorLines(r)[0]).toBe('RSI(14): not enough candles (needs 15)');
    expect(r.vwap.reading).toBe('VWAP: no candle with volume');
  });
});
