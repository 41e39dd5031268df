import type { Fixed } from '../domain/index.js';

/**
 * One indicator's outcome: its value(s) as the library computed them (float64) and a one-line reading, or the number
 * of candles it needs when the series is too short (then the reading says so).
 */
export type IndicatorOutcome<V> =
  | { readonly ready: true; readonly value: V; readonly reading: string }
  | { readonly ready: false; readonly needs: number; readonly reading: string };

export interface MacdValue {
  readonly macd: number;
  readonly signal: number;
  readonly histogram: number;
  /** The histogram changed sign on the last candle: the MACD line crossed its signal line. */
  readonly crossed: boolean;
}

export interface BollingerValue {
  readonly upper: number;
  readonly middle: number;
  readonly lower: number;
  /** (close − lower) / (upper − lower); undefined when the bands have no width (the closes did not move). */
  readonly percentB: number | undefined;
  /** (upper − lower) / middle × 100. */
  readonly bandwidthPct: number;
}

export interface AtrValue {
  readonly atr: number;
  /** The library's NATR: ATR as a percent of the last close. */
  readonly natr: number;
}

export type TrendDirection = 'up' | 'down' | 'mixed';

export interface AdxValue {
  readonly adx: number;
  /** +DI and −DI on the usual 0–100 scale (the library holds them as fractions; these are ×100). */
  readonly plusDi: number;
  readonly minusDi: number;
}

export interface StochRsiValue {
  /** The library's raw StochRSI, 0–1; it gives 100 when RSI did not move over the period (no range to place it in). */
  readonly stochRsi: number;
  /** %K = SMA(3) of the raw value and %D = SMA(3) of %K, once they have their inputs. */
  readonly k: number | undefined;
  readonly d: number | undefined;
}

export interface SuperTrendValue {
  readonly level: number;
  readonly direction: 'up' | 'down';
}

/** `/ta`: every indicator over the same candles, read at the last one. */
export interface IndicatorReport {
  readonly candles: number;
  /** The last candle's close, exact; undefined with no candles. */
  readonly close: Fixed | undefined;
  /** The tick prices in the readings are rounded to (given, or the candles' own finest decimal). */
  readonly tickSize: Fixed;
  readonly rsi: IndicatorOutcome<number>;
  readonly macd: IndicatorOutcome<MacdValue>;
  readonly bollinger: IndicatorOutcome<BollingerValue>;
  readonly atr: IndicatorOutcome<AtrValue>;
  readonly ema20: IndicatorOutcome<number>;
  readonly ema50: IndicatorOutcome<number>;
  readonly ema200: IndicatorOutcome<number>;
  /** The order of EMA 20/50/200: up when 20 > 50 > 200, down when 20 < 50 < 200. */
  readonly emaTrend: IndicatorOutcome<TrendDirection>;
  readonly adx: IndicatorOutcome<AdxValue>;
  readonly stochRsi: IndicatorOutcome<StochRsiValue>;
  readonly superTrend: IndicatorOutcome<SuperTrendValue>;
  readonly vwap: IndicatorOutcome<number>;
}
