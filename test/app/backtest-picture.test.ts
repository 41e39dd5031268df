import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BacktestReport, backtestPicture, runBacktest } from '../../src/app/backtest/index.js';
import { loadConfig } from '../../src/app/config.js';
import { riskLimitsOf } from '../../src/app/trading-kernel.js';
import { type Instrument, catalogInstrument, format, fx } from '../../src/domain/index.js';
import { DAY_1M, loadKlines } from '../kit/candles-file.js';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('backtestPicture: BTCUSDT 10 × 0.5 % over the minutes of 2020-01-01', () => {
  const { candles } = loadKlines(DAY_1M);
  const instrument = catalogInstrument('BTCUSDT') as Instrument;
  let report: BacktestReport;

  beforeAll(async () => {
    const config = loadConfig({});
    if (!config.ok) throw new Error(config.message);
    const result = await runBacktest({
      params: { symbol: 'BTCUSDT', levels: 10, spacingPct: fx('0.5'), amountQuote: fx('100'), spacing: 'arithmetic' },
      instrument,
      candles,
      interval: '1m',
      fees: { maker: config.config.MAKER_FEE, taker: config.config.TAKER_FEE },
      limits: riskLimitsOf(config.config, 0),
    });
    if (!result.ok) throw new Error(result.error.message);
    report = result.value;
  });

  it('gives the same PNG bytes for the same report, with both PnL lines named', async () => {
    const tick = instrument.filters.priceFilter.tickSize;
    const first = await backtestPicture(report, candles, tick);
    const second = await backtestPicture(report, candles, tick);
    expect(first.png.subarray(0, 8)).toEqual(PNG_MAGIC);
    expect(sha256(second.png)).toBe(sha256(first.png));
    expect(second.svg).toBe(first.svg);
    // The legend names both lines; the header gives both final values.
    expect(first.svg).toContain('>grid PnL<');
    expect(first.svg).toContain('>hold PnL<');
    expect(first.svg).toMatch(/grid PnL [+-][\d.]+ USDT {3}hold PnL [+-][\d.]+ USDT/);
    // 1,440 minutes drawn as 144 ten-minute candles, the ladder at the tick's decimals, the fills counted.
    expect(first.svg).toContain('BTCUSDT · backtest 10 × 0.5 % · 10m candles · 2020-01-01');
    expect(first.svg).toContain(`fills ${report.fills}`);
    const sell = report.preview.levels.find((l) => l.index === 1)?.price ?? 0n;
    expect(first.svg).toContain(`>${format(sell, 2)}<`);
    expect(first.filename).toBe('backtest-btcusdt-10x0.5-2020-01-01-2020-01-01.png');
    expect(first.caption).toMatch(/^🧪 Backtest BTCUSDT 10 × 0\.5 %, 2020-01-01: grid [+-][\d.]+ USDT \([+-]?[\d.]+ %\), holding /);
  });
});
