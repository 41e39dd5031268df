import type { Candle } from '../../domain/index.js';
import { type Mapped, arr, attempt, dec, int, obj } from './wire-readers.js';

/**
 * GET /api/v3/klines and /fapi/v1/klines as binance-api-node's `candles` and `futuresCandles` zip them:
 * `[{openTime, open, high, low, close, volume, closeTime, …}]`, prices and volumes as decimal strings.
 */
export function mapCandles(raw: unknown): Mapped<readonly Candle[]> {
  return attempt('klines', () =>
    arr(raw, 'klines').map((row): Candle => {
      const k = obj(row, 'kline');
      return {
        openTime: int(k.openTime, 'openTime'),
        closeTime: int(k.closeTime, 'closeTime'),
        open: dec(k.open, 'open'),
        high: dec(k.high, 'high'),
        low: dec(k.low, 'low'),
        close: dec(k.close, 'close'),
        volume: dec(k.volume, 'volume'),
      };
    }),
  );
}
