import type { AdxValue, AtrValue, BollingerValue, MacdValue, StochRsiValue, SuperTrendValue, TrendDirection } from './indicator-report.js';
import {
  ADX_BANDS,
  ADX_PERIOD,
  ATR_PERIOD,
  BB_DEVIATIONS,
  BB_PERIOD,
  MACD_FAST,
  MACD_SIGNAL,
  MACD_SLOW,
  RSI_OVERBOUGHT,
  RSI_OVERSOLD,
  RSI_PERIOD,
  STOCH_RSI_OVERBOUGHT,
  STOCH_RSI_OVERSOLD,
  STOCH_RSI_PERIOD,
  SUPERTREND_MULTIPLIER,
  SUPERTREND_PERIOD,
} from './parameters.js';

/** Shows an indicator's float as a price: rounded to the tick (half-even) with all the tick's decimals. */
export type ShowPrice = (value: number) => string;

/** A reading's name with its parameters, e.g. "RSI(14)": each line says what it was computed with. */
export const NAMES = {
  rsi: `RSI(${RSI_PERIOD})`,
  macd: `MACD(${MACD_FAST},${MACD_SLOW},${MACD_SIGNAL})`,
  bollinger: `BB(${BB_PERIOD},${BB_DEVIATIONS})`,
  atr: `ATR(${ATR_PERIOD})`,
  ema: (period: number): string => `EMA(${period})`,
  emaTrend: 'EMA 20/50/200',
  adx: `ADX(${ADX_PERIOD})`,
  stochRsi: `StochRSI(${STOCH_RSI_PERIOD})`,
  superTrend: `SuperTrend(${SUPERTREND_PERIOD},${SUPERTREND_MULTIPLIER})`,
  vwap: 'VWAP',
} as const;

export function notEnough(name: string, needs: number): string {
  return `${name}: not enough candles (needs ${needs})`;
}

export function rsiReading(rsi: number): string {
  const verdict = rsi >= RSI_OVERBOUGHT ? 'overbought' : rsi <= RSI_OVERSOLD ? 'oversold' : 'neutral';
  return `${NAMES.rsi} ${rsi.toFixed(1)}: ${verdict}`;
}

export function macdReading(v: MacdValue): string {
  const values = `${NAMES.macd} ${sig(v.macd)}, signal ${sig(v.signal)}, histogram ${sig(v.histogram)}`;
  if (v.histogram === 0) return `${values}: flat, MACD on its signal line`;
  const bullish = v.histogram > 0;
  const side = bullish ? 'above' : 'below';
  const verdict = v.crossed ? `crossed ${side} its signal on the last candle` : `MACD ${side} its signal`;
  return `${values}: ${bullish ? 'bullish' : 'bearish'}, ${verdict}`;
}

export function bollingerReading(v: BollingerValue, close: number, show: ShowPrice): string {
  const bands = `${NAMES.bollinger} ${show(v.lower)}–${show(v.upper)} (middle ${show(v.middle)})`;
  const width = `bandwidth ${v.bandwidthPct.toFixed(2)} %`;
  if (v.percentB === undefined) return `${bands}: no width, the last ${BB_PERIOD} closes did not move`;
  const where =
    close > v.upper
      ? 'above the upper band'
      : close < v.lower
        ? 'below the lower band'
        : v.percentB >= 0.5
          ? 'in the upper half'
          : 'in the lower half';
  return `${bands}: close ${where} (%B ${v.percentB.toFixed(2)}), ${width}`;
}

export function atrReading(v: AtrValue, show: ShowPrice): string {
  return `${NAMES.atr} ${show(v.atr)}: NATR ${v.natr.toFixed(3)} % of the price`;
}

export function emaReading(period: number, ema: number, close: number, show: ShowPrice): string {
  const where = close > ema ? 'price above' : close < ema ? 'price below' : 'price on it';
  return `${NAMES.ema(period)} ${show(ema)}: ${where}`;
}

/** The EMAs from highest to lowest, by period ("20 > 50 > 200"), and what that order means. */
export function emaTrendReading(byPeriod: readonly (readonly [number, number])[], trend: TrendDirection): string {
  const order = [...byPeriod]
    .sort((a, b) => b[1] - a[1])
    .map(([period]) => period)
    .join(' > ');
  const meaning = trend === 'up' ? 'uptrend' : trend === 'down' ? 'downtrend' : 'mixed, no clear trend';
  return `${NAMES.emaTrend}: EMA ${order}: ${meaning}`;
}

export function adxReading(v: AdxValue): string {
  const [none, weak, strong] = ADX_BANDS;
  const strength =
    v.adx < none
      ? `no trend (under ${none})`
      : v.adx < weak
        ? `weak trend (${none}–${weak})`
        : v.adx < strong
          ? `strong trend (${weak}–${strong})`
          : `very strong trend (${strong}+)`;
  const direction =
    v.plusDi > v.minusDi
      ? `+DI ${v.plusDi.toFixed(1)} > −DI ${v.minusDi.toFixed(1)}: up`
      : v.plusDi < v.minusDi
        ? `+DI ${v.plusDi.toFixed(1)} < −DI ${v.minusDi.toFixed(1)}: down`
        : `+DI = −DI ${v.plusDi.toFixed(1)}: no direction`;
  return `${NAMES.adx} ${v.adx.toFixed(1)}: ${strength}, ${direction}`;
}

export function stochRsiReading(v: StochRsiValue): string {
  // The library's sign that RSI had no range over the period: there is nowhere to place it in that range.
  if (v.stochRsi > 1) return `${NAMES.stochRsi}: no reading, RSI did not move over its last ${STOCH_RSI_PERIOD} values`;
  const verdict = v.stochRsi >= STOCH_RSI_OVERBOUGHT ? 'overbought' : v.stochRsi <= STOCH_RSI_OVERSOLD ? 'oversold' : 'neutral';
  const smoothed = v.k === undefined ? '' : v.d === undefined ? ` (%K ${v.k.toFixed(2)})` : ` (%K ${v.k.toFixed(2)}, %D ${v.d.toFixed(2)})`;
  return `${NAMES.stochRsi} ${v.stochRsi.toFixed(2)}${smoothed}: ${verdict}`;
}

export function superTrendReading(v: SuperTrendValue, show: ShowPrice): string {
  return v.direction === 'up'
    ? `${NAMES.superTrend} up: support at ${show(v.level)}`
    : `${NAMES.superTrend} down: resistance at ${show(v.level)}`;
}

export function vwapReading(vwap: number, candles: number, close: number, show: ShowPrice): string {
  const where = close > vwap ? 'price above' : close < vwap ? 'price below' : 'price on it';
  return `${NAMES.vwap} over the ${candles} candles ${show(vwap)}: ${where}`;
}

/** A price difference (MACD) to four significant digits: its scale follows the symbol's price, whatever that is. */
function sig(value: number): string {
  return String(Number(value.toPrecision(4)));
}
