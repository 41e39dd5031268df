import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fx } from '../../src/domain/index.js';
import { loadCandles, loadFundingRates, loadTrades } from '../../src/history/index.js';
import { sharedData, zipOfCsv } from './archive-server.js';

const dir = mkdtempSync(join(tmpdir(), 'telegrid-loaders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The file as a data.binance.vision zip in the temp folder. */
function zipped(csvPath: string, zipName: string): string {
  const path = join(dir, zipName);
  writeFileSync(path, zipOfCsv(zipName, csvPath));
  return path;
}

/** A CSV written from lines, for the malformed cases. */
function csv(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function value<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function refusal(r: { ok: true } | { ok: false; error: { message: string } }): string {
  if (r.ok) throw new Error('expected a refusal');
  return r.error.message;
}

const hour = (iso: string) => Date.parse(iso);

describe('loadCandles', () => {
  it('reads a spot 1m day (no header, ms) exactly: 1440 candles, no gaps', () => {
    const day = value(loadCandles(sharedData('BTCUSDT-1m-2020-01-01.csv')));
    expect(day.candles).toHaveLength(1440);
    expect(day.gaps).toEqual([]);
    expect(day.candles[0]).toEqual({
      openTime: hour('2020-01-01T00:00:00Z'),
      closeTime: hour('2020-01-01T00:00:59.999Z'),
      open: fx('7195.24'),
      high: fx('7196.25'),
      low: fx('7183.14'),
      close: fx('7186.68'),
      volume: fx('51.642812'),
    });
    expect(value(loadCandles(sharedData('BTCUSDT-1m-2020-01-02.csv'))).candles).toHaveLength(1440);
  });

  it('gives the same candles from the zip as from the CSV', () => {
    const fromCsv = value(loadCandles(sharedData('BTCUSDT-1m-2020-01-02.csv')));
    const fromZip = value(loadCandles(zipped(sharedData('BTCUSDT-1m-2020-01-02.csv'), 'BTCUSDT-1m-2020-01-02.zip')));
    expect(fromZip).toEqual(fromCsv);
  });

  it("reports the 2020-02 hourly file's two maintenance gaps with their times", () => {
    const february = value(loadCandles(sharedData('spot/klines/BTCUSDT-1h-2020-02.csv')));
    expect(february.gaps).toEqual([
      { from: hour('2020-02-09T02:00:00Z'), until: hour('2020-02-09T03:00:00Z'), missing: 1 },
      { from: hour('2020-02-19T12:00:00Z'), until: hour('2020-02-19T17:00:00Z'), missing: 5 },
    ]);
    expect(february.candles).toHaveLength(29 * 24 - 6);
  });

  it('reads µs times (spot from 2025 on) as ms', () => {
    const day = value(loadCandles(sharedData('spot/klines/BTCUSDT-1h-2026-05-08.csv')));
    expect(day.candles).toHaveLength(24);
    expect(day.gaps).toEqual([]);
    expect(day.candles[0]?.openTime).toBe(hour('2026-05-08T00:00:00Z'));
    expect(day.candles[0]?.closeTime).toBe(hour('2026-05-08T00:59:59.999Z'));
    expect(day.candles[0]?.volume).toBe(fx('958.06006'));
  });

  it('reads a futures file with its header row', () => {
    const day = value(loadCandles(sharedData('futures/um/klines/BTCUSDT-1m-2025-05-05.csv')));
    expect(day.candles).toHaveLength(1440);
    expect(day.gaps).toEqual([]);
    expect(day.candles[0]?.open).toBe(fx('94230.2'));
  });

  it('refuses a malformed row naming the file and line', () => {
    const rows = readFileSync(sharedData('BTCUSDT-1m-2020-01-01.csv'), 'utf8').split('\n').slice(0, 3);
    const badHigh = csv('bad-high.csv', [rows[0] as string, (rows[1] as string).replace('7188.06000000', 'x'), rows[2] as string]);
    expect(refusal(loadCandles(badHigh))).toBe(`${badHigh}:2: bad high "x"`);
    const backwards = csv('backwards.csv', [rows[1] as string, rows[0] as string]);
    expect(refusal(loadCandles(backwards))).toBe(
      `${backwards}:2: open time 2020-01-01T00:00:00.000Z is not after the previous row's close 2020-01-01T00:01:59.999Z`,
    );
    expect(refusal(loadCandles(sharedData('futures/um/fundingRate/BTCUSDT-fundingRate-2025-04.csv')))).toContain(':1: not a kline file');
  });
});

describe('loadTrades', () => {
  it('refuses the USD-M TRX recording at its zero-price row, naming the file and line', () => {
    const path = sharedData('futures/um/trades/TRXUSDT-um-trade-stream-2025-03-04.orig.csv');
    expect(refusal(loadTrades(path))).toBe(`${path}:9328: bad price "0.0"`);
  });

  it('reads the same recording without that row: 9,999 trades', () => {
    const trades = value(loadTrades(sharedData('futures/um/trades/TRXUSDT-um-trade-stream-2025-03-04.csv')));
    expect(trades).toHaveLength(9_999);
    expect(trades[0]).toEqual({
      symbol: 'TRXUSDT',
      price: fx('0.23103'),
      quantity: fx('243'),
      time: 1741046404349,
      tradeId: 548321769,
      isBuyerMaker: false,
    });
  });

  it('reads µs trade times as ms (the spot TRX tape), from the zip as from the CSV', () => {
    const path = sharedData('TRXUSDT-trades-2025-03-04.csv');
    const trades = value(loadTrades(path));
    expect(trades).toHaveLength(10_000);
    expect(trades[0]?.time).toBe(1741046401271); // TransactionTime 1741046401271497 µs
    expect(value(loadTrades(zipped(path, 'TRXUSDT-trades-2025-03-04.zip')))).toEqual(trades);
  });

  it("reads data.binance.vision's futures trades layout, naming the symbol from the file name", () => {
    const trades = value(loadTrades(sharedData('futures/um/trades/BTCUSDT-trades-2024-08-08.csv')));
    expect(trades).toHaveLength(21_313);
    expect(trades[0]).toMatchObject({ symbol: 'BTCUSDT', price: fx('61800.3'), quantity: fx('0.006'), tradeId: 5266583935 });
  });

  it('refuses a kline file', () => {
    expect(refusal(loadTrades(sharedData('BTCUSDT-1m-2020-01-01.csv')))).toContain('is a kline file');
  });
});

describe('loadFundingRates', () => {
  it("reads data.binance.vision's monthly file exactly, zip or CSV, and joins months", () => {
    const path = sharedData('futures/um/fundingRate/BTCUSDT-fundingRate-2026-04.csv');
    const april = value(loadFundingRates(path));
    expect(april.rows()).toHaveLength(90);
    expect(april.rows()[0]).toEqual({ fundingTime: hour('2026-04-01T00:00:00Z'), intervalHours: 8, rate: fx('-0.00003449') });
    expect(value(loadFundingRates(zipped(path, 'BTCUSDT-fundingRate-2026-04.zip'))).rows()).toEqual(april.rows());

    const months = ['04', '05', '06'].map((m) => sharedData(`futures/um/fundingRate/BTCUSDT-fundingRate-2025-${m}.csv`));
    const joined = value(loadFundingRates(months)).rows();
    expect(joined[0]?.fundingTime).toBe(hour('2025-04-01T00:00:00Z'));
    expect(joined.length).toBeGreaterThan(180);
  });

  it('refuses a malformed row naming the file and line', () => {
    const path = csv('BTCUSDT-fundingRate-bad.csv', ['calc_time,funding_interval_hours,last_funding_rate', '1775001600000,8,abc']);
    expect(refusal(loadFundingRates(path))).toBe(`${path}:2: last_funding_rate "abc" is not a decimal of at most 8 places`);
  });
});
