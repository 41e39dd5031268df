import type { Fixed } from './fixed.js';

/**
 * One kline: an interval's open, high, low and close prices and its base volume, exact; times in ms, the close time
 * the interval's last millisecond (openTime + interval − 1), as Binance's klines and data.binance.vision's files have it.
 */
export interface Candle {
  readonly openTime: number;
  readonly closeTime: number;
  readonly open: Fixed;
  readonly high: Fixed;
  readonly low: Fixed;
  readonly close: Fixed;
  readonly volume: Fixed;
}
