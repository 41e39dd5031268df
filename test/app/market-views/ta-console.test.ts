import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Candle, catalogInstrument } from '../../../src/domain/index.js';
import { computeIndicators, indicatorLines } from '../../../src/indicators/index.js';
import { DAY_1M, loadKlines, rollUp } from '../../kit/candles-file.js';
import { paperChat } from '../../kit/paper-chat.js';

const DAY = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/BTCUSDT-1m-2020-01-01.csv');
const START = Date.UTC(2020, 0, 1);
const HOUR = 3_600_000;

const hoursOfFile = (): Candle[] => rollUp(loadKlines(DAY_1M).candles, HOUR);

describe('/ta in the console', () => {
  it("reads the indicators on the closed hours of the replayed day, each value the library's on those candles", async () => {
    const chat = await paperChat(
      { MARKET_DATA: `replay:${DAY}`, MARKET_SYMBOLS: 'BTCUSDT', RISK_STALE_AFTER_SECONDS: '7200', MARKET_STALE_AFTER_SECONDS: '0' },
      START - 1_000,
    );
    await chat.market(20 * 3600, 900_000);
    const now = chat.app.kernel.host.clock.now();
    const answer = await chat.type('/ta BTCUSDT 1h', /Indicators are advice/);
    const closed = hoursOfFile().filter((c) => c.closeTime < now);
    expect(closed.length).toBeGreaterThanOrEqual(19);
    const want = indicatorLines(computeIndicators(closed, { tickSize: catalogInstrument('BTCUSDT')!.filters.priceFilter.tickSize }));
    // OHLC are the file's exactly; the sandbox's volume is the tape's, so VWAP is compared for its presence only.
    for (const line of want.filter((l) => !l.startsWith('VWAP'))) expect(answer).toContain(`  ${line}\n`);
    expect(answer).toMatch(/VWAP/);
    expect(answer).toContain(`BTCUSDT · 1h · ${closed.length} closed candles`);
    expect(answer).toMatch(/RSI\(14\) \d+\.\d+: (neutral|overbought|oversold)/);
    expect(answer).toMatch(/EMA\(200\)[^\n]*needs 200/);
  });

  it('answers bad arguments specifically and changes nothing', async () => {
    const chat = await paperChat({ MARKET_SYMBOLS: 'BTCUSDT' });
    expect(await chat.type('/ta', /Example/)).toBe(
      '✗ SYMBOL is missing.\nUsage: /ta SYMBOL [1h|4h|1d]\nExample: /ta BTCUSDT 4h\ntelegrid> ',
    );
    expect(await chat.type('/ta DOGEUSDT', /unknown symbol/)).toContain('SYMBOL: unknown symbol DOGEUSDT; known: BTCUSDT');
    expect(await chat.type('/ta BTCUSDT 15m', /INTERVAL/)).toContain(
      "INTERVAL: expected one of 1h, 4h, 1d, got '15m'; e.g. /ta BTCUSDT 4h.",
    );
    // Nothing has closed yet on a fresh paper market: said plainly rather than shown as empty readings.
    expect(await chat.type('/ta BTCUSDT 1h', /closed/)).toContain('✗ no closed 1h candle of BTCUSDT yet; try again later');
  });
});
