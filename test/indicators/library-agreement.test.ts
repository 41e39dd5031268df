import { describe, expect, it } from 'vitest';
import { ADX, ATR, BollingerBands, EMA, MACD, NATR, RSI, StochasticRSI, SuperTrend, VWAP } from 'trading-signals';
import { computeIndicators, type IndicatorOutcome } from '../../src/indicators/index.js';
import { DAY_1M, JANUARY_1H, floats, loadKlines } from '../kit/candles-file.js';

function value<V>(o: IndicatorOutcome<V>): V {
  if (!o.ready) throw new Error(o.reading);
  return o.value;
}

/** Each value is the library's own, fed the same candles (read here from the file's text, not through Fixed). */
describe.each([DAY_1M, JANUARY_1H])('computeIndicators agrees with trading-signals on %s', (file) => {
  const { candles, rows } = loadKlines(file);
  const input = floats(rows);
  const report = computeIndicators(candles);
  const feed = <R>(indicator: { add(x: never): unknown; getResultOrThrow(): R }, pick: (c: (typeof input)[number]) => unknown): R => {
    for (const c of input) indicator.add(pick(c) as never);
    return indicator.getResultOrThrow();
  };
  const closes = (c: (typeof input)[number]): number => c.close;
  const hlc = (c: (typeof input)[number]) => ({ high: c.high, low: c.low, close: c.close });

  it('RSI(14), MACD(12,26,9), BB(20,2)', () => {
    expect(value(report.rsi)).toBe(feed(new RSI(14), closes));
    const macd = feed(new MACD(new EMA(12), new EMA(26), new EMA(9)), closes);
    expect(value(report.macd)).toMatchObject({ macd: macd.macd, signal: macd.signal, histogram: macd.histogram });
    const bb = feed(new BollingerBands(20, 2), closes);
    expect(value(report.bollinger)).toMatchObject({ upper: bb.upper, middle: bb.middle, lower: bb.lower });
  });

  it('ATR(14) and NATR(14)', () => {
    expect(value(report.atr)).toEqual({ atr: feed(new ATR(14), hlc), natr: feed(new NATR(14), hlc) });
  });

  it('EMA 20/50/200', () => {
    expect(value(report.ema20)).toBe(feed(new EMA(20), closes));
    expect(value(report.ema50)).toBe(feed(new EMA(50), closes));
    expect(value(report.ema200)).toBe(feed(new EMA(200), closes));
  });

  it('ADX(14) with ±DI on the percent scale', () => {
    const adx = new ADX(14);
    const a = feed(adx, hlc);
    expect(value(report.adx)).toEqual({ adx: a, plusDi: Number(adx.pdi) * 100, minusDi: Number(adx.mdi) * 100 });
  });

  it('StochRSI(14) with %K and %D', () => {
    const stoch = new StochasticRSI(14);
    const s = feed(stoch, closes);
    expect(value(report.stochRsi)).toEqual({ stochRsi: s, k: stoch.smoothing.k.getResult(), d: stoch.smoothing.d.getResult() });
  });

  it('SuperTrend(10,3) and VWAP over every candle given', () => {
    const st = feed(new SuperTrend({ interval: 10, multiplier: 3 }), hlc);
    expect(value(report.superTrend)).toEqual({ level: st.supertrend, direction: st.trend === 'BULLISH' ? 'up' : 'down' });
    expect(value(report.vwap)).toBe(feed(new VWAP(), (c) => c));
  });
});
