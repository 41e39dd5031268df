import { readFileSync } from 'node:fs';
import type { Candle } from '../../src/domain/index.js';
import { parseKline } from '../../src/sandbox/index.js';

/** The 12-column data.binance.vision kline rows of a file under ../shared/data, as candles and as the file's own text. */
export interface KlineFile {
  readonly candles: readonly Candle[];
  readonly rows: readonly (readonly string[])[];
}

export function loadKlines(relative: string): KlineFile {
  const text = readFileSync(new URL(`../../../shared/data/${relative}`, import.meta.url), 'utf8');
  const rows = text
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  const candles = rows.map((fields, i) => {
    const parsed = parseKline(fields, i + 1);
    if (!parsed.ok) throw new Error(`${relative}: ${parsed.error.message}`);
    return parsed.value;
  });
  return { candles, rows };
}

/** The file's columns as JavaScript reads them, apart from the exact parse: what a float-only pipeline would see. */
export function floats(rows: KlineFile['rows']): { high: number; low: number; close: number; volume: number }[] {
  return rows.map((r) => ({ high: Number(r[2]), low: Number(r[3]), close: Number(r[4]), volume: Number(r[5]) }));
}

export const DAY_1M = 'BTCUSDT-1m-2020-01-01.csv';
export const JANUARY_1H = 'spot/klines/BTCUSDT-1h-2020-01.csv';

/** Candles rolled up to a longer interval `ms` (hours from minutes), by hand: what the exchange's klines would say. */
export function rollUp(candles: readonly Candle[], ms: number): Candle[] {
  const out: Candle[] = [];
  for (const c of candles) {
    const start = c.openTime - (c.openTime % ms);
    const last = out.at(-1);
    if (last === undefined || last.openTime !== start) {
      out.push({ ...c, openTime: start, closeTime: start + ms - 1 });
      continue;
    }
    out[out.length - 1] = {
      ...last,
      high: c.high > last.high ? c.high : last.high,
      low: c.low < last.low ? c.low : last.low,
      close: c.close,
      volume: last.volume + c.volume,
    };
  }
  return out;
}
