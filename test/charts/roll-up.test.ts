import { describe, expect, it } from 'vitest';
import { intervalName, rollUpCandles } from '../../src/charts/index.js';
import { DAY_1M, JANUARY_1H, loadKlines, rollUp } from '../kit/candles-file.js';

describe('rollUpCandles: at most so many candles, at a round interval', () => {
  it('draws a day of minutes as 144 ten-minute candles, exactly as rolled by hand', () => {
    const { candles } = loadKlines(DAY_1M);
    const rolled = rollUpCandles(candles, 240);
    expect(rolled.intervalMs).toBe(600_000);
    expect(intervalName(rolled.intervalMs)).toBe('10m');
    expect(rolled.candles).toEqual(rollUp(candles, 600_000));
    expect(rolled.candles).toHaveLength(144);
  });

  it('draws a month of hours as 4-hour candles, and leaves few enough as they are', () => {
    const { candles } = loadKlines(JANUARY_1H);
    const rolled = rollUpCandles(candles, 240);
    expect(intervalName(rolled.intervalMs)).toBe('4h');
    expect(rolled.candles).toEqual(rollUp(candles, 4 * 3_600_000));
    expect(rollUpCandles(candles.slice(0, 200), 240)).toEqual({ candles: candles.slice(0, 200), intervalMs: 3_600_000 });
  });
});
