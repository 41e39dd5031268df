import { ADX, ATR, BollingerBands, EMA, MACD, type MACDResult, NATR, RSI, SMA, StochasticRSI, SuperTrend, VWAP } from 'trading-signals';
import { type Candle, type Fixed, format } from '../domain/index.js';
import { candlesPriceStep, indicatorPrice, tickDecimals, toNumber } from './float-price.js';
import type { IndicatorOutcome, IndicatorReport, TrendDirection } from './indicator-report.js';
import {
  ADX_PERIOD,
  ATR_PERIOD,
  BB_DEVIATIONS,
  BB_PERIOD,
  EMA_PERIODS,
  MACD_FAST,
  MACD_SIGNAL,
  MACD_SLOW,
  RSI_PERIOD,
  STOCH_RSI_PERIOD,
  STOCH_RSI_SMOOTHING,
  SUPERTREND_MULTIPLIER,
  SUPERTREND_PERIOD,
} from './parameters.js';
import {
  NAMES,
  type ShowPrice,
  adxReading,
  atrReading,
  bollingerReading,
  emaReading,
  emaTrendReading,
  macdReading,
  notEnough,
  rsiReading,
  stochRsiReading,
  superTrendReading,
  vwapReading,
} from './readings.js';

export interface IndicatorOptions {
  /** The symbol's tick: prices in the readings are rounded to it. Without it, the candles' finest decimal. */
  readonly tickSize?: Fixed;
}

/**
 * Every indicator of `/ta` over `candles` (oldest first), read at the last candle. Each is the trading-signals
 * library's own, fed candle by candle through its streaming `add()`; exact prices become floats here and nowhere else,
 * and a float becomes a shown price only through `indicatorPrice` (half-even to the tick). VWAP runs over all the
 * candles given (the library has no session), and its reading says how many.
 */
export function computeIndicators(candles: readonly Candle[], options: IndicatorOptions = {}): IndicatorReport {
  const rsi = new RSI(RSI_PERIOD);
  const macd = new MACD(new EMA(MACD_FAST), new EMA(MACD_SLOW), new EMA(MACD_SIGNAL));
  const bollinger = new BollingerBands(BB_PERIOD, BB_DEVIATIONS);
  const atr = new ATR(ATR_PERIOD);
  const natr = new NATR(ATR_PERIOD);
  const emas = EMA_PERIODS.map((period) => new EMA(period));
  const adx = new ADX(ADX_PERIOD);
  const stochRsi = new StochasticRSI(STOCH_RSI_PERIOD, undefined, { k: new SMA(STOCH_RSI_SMOOTHING), d: new SMA(STOCH_RSI_SMOOTHING) });
  const superTrend = new SuperTrend({ interval: SUPERTREND_PERIOD, multiplier: SUPERTREND_MULTIPLIER });
  const vwap = new VWAP();

  // MACD's result before the last candle, to tell a fresh cross from a standing one.
  let previousMacd: MACDResult | null = null;
  for (const c of candles) {
    const close = toNumber(c.close);
    const hlc = { high: toNumber(c.high), low: toNumber(c.low), close };
    previousMacd = macd.getResult();
    rsi.add(close);
    macd.add(close);
    bollinger.add(close);
    atr.add(hlc);
    natr.add(hlc);
    for (const ema of emas) ema.add(close);
    adx.add(hlc);
    stochRsi.add(close);
    superTrend.add(hlc);
    vwap.add({ ...hlc, volume: toNumber(c.volume) });
  }

  const last = candles.at(-1);
  const close = last === undefined ? Number.NaN : toNumber(last.close);
  const tickSize = options.tickSize ?? candlesPriceStep(candles);
  const decimals = tickDecimals(tickSize);
  const show: ShowPrice = (value) => format(indicatorPrice(value, tickSize, 'halfEven'), decimals);

  const emaOutcomes = emas.map((ema) =>
    ema.isStable
      ? ready(ema.getResultOrThrow(), emaReading(ema.interval, ema.getResultOrThrow(), close, show))
      : short(NAMES.ema(ema.interval), ema.getRequiredInputs()),
  );
  const [ema20, ema50, ema200] = emaOutcomes as [IndicatorOutcome<number>, IndicatorOutcome<number>, IndicatorOutcome<number>];

  return {
    candles: candles.length,
    close: last?.close,
    tickSize,
    rsi: outcome(rsi, NAMES.rsi, (value) => ready(value, rsiReading(value))),
    macd: outcome(macd, NAMES.macd, (m) => {
      const crossed = previousMacd !== null && Math.sign(previousMacd.histogram) !== Math.sign(m.histogram) && m.histogram !== 0;
      const value = { macd: m.macd, signal: m.signal, histogram: m.histogram, crossed };
      return ready(value, macdReading(value));
    }),
    bollinger: outcome(bollinger, NAMES.bollinger, (b) => {
      const width = b.upper - b.lower;
      const value = {
        upper: b.upper,
        middle: b.middle,
        lower: b.lower,
        percentB: width > 0 ? (close - b.lower) / width : undefined,
        bandwidthPct: (width / b.middle) * 100,
      };
      return ready(value, bollingerReading(value, close, show));
    }),
    atr: outcome(atr, NAMES.atr, (a) => {
      const value = { atr: a, natr: natr.getResultOrThrow() };
      return ready(value, atrReading(value, show));
    }),
    ema20,
    ema50,
    ema200,
    emaTrend: emaTrend(emas),
    adx: outcome(adx, NAMES.adx, (a) => {
      // The library keeps ±DI as fractions of ATR; the usual scale is percent.
      const value = { adx: a, plusDi: Number(adx.pdi) * 100, minusDi: Number(adx.mdi) * 100 };
      return ready(value, adxReading(value));
    }),
    stochRsi: outcome(stochRsi, NAMES.stochRsi, (s) => {
      const value = { stochRsi: s, k: stochRsi.smoothing.k.getResult() ?? undefined, d: stochRsi.smoothing.d.getResult() ?? undefined };
      return ready(value, stochRsiReading(value));
    }),
    superTrend: outcome(superTrend, NAMES.superTrend, (s) => {
      const value = { level: s.supertrend, direction: s.trend === 'BULLISH' ? ('up' as const) : ('down' as const) };
      return ready(value, superTrendReading(value, show));
    }),
    vwap: vwap.isStable
      ? ready(vwap.getResultOrThrow(), vwapReading(vwap.getResultOrThrow(), candles.length, close, show))
      : { ready: false, needs: 1, reading: `${NAMES.vwap}: no candle with volume` },
  };
}

/** The readings in the order `/ta` shows them, one line each. */
export function indicatorLines(report: IndicatorReport): string[] {
  const { rsi, macd, bollinger, atr, ema20, ema50, ema200, emaTrend, adx, stochRsi, superTrend, vwap } = report;
  return [rsi, macd, bollinger, atr, ema20, ema50, ema200, emaTrend, adx, stochRsi, superTrend, vwap].map((o) => o.reading);
}

interface LibraryIndicator<R> {
  readonly isStable: boolean;
  getResult(): R | null;
  getRequiredInputs(): number;
}

/** The library's result read through `build`, or "not enough candles" with the library's own count when it has none. */
function outcome<R, V>(indicator: LibraryIndicator<R>, name: string, build: (result: R) => IndicatorOutcome<V>): IndicatorOutcome<V> {
  const result = indicator.getResult();
  return indicator.isStable && result !== null ? build(result) : short(name, indicator.getRequiredInputs());
}

function emaTrend(emas: readonly EMA[]): IndicatorOutcome<TrendDirection> {
  const longest = emas.at(-1) as EMA;
  if (!emas.every((e) => e.isStable)) return short(NAMES.emaTrend, longest.getRequiredInputs());
  const values = emas.map((e) => e.getResultOrThrow());
  // Shortest period first: an uptrend when each faster average sits above the slower one.
  const up = values.every((v, i) => i === 0 || (values[i - 1] as number) > v);
  const down = values.every((v, i) => i === 0 || (values[i - 1] as number) < v);
  const trend: TrendDirection = up ? 'up' : down ? 'down' : 'mixed';
  return ready(
    trend,
    emaTrendReading(
      emas.map((e, i) => [e.interval, values[i] as number] as const),
      trend,
    ),
  );
}

function ready<V>(value: V, reading: string): IndicatorOutcome<V> {
  return { ready: true, value, reading };
}

function short<V>(name: string, needs: number): IndicatorOutcome<V> {
  return { ready: false, needs, reading: notEnough(name, needs) };
}
