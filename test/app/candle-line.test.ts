import { describe, expect, it } from 'vitest';
import { candleLine, candleOfLine } from '../../src/app/candle-line.js';
import { fx } from '../../src/domain/index.js';

const HOUR = 3_600_000;
const candle = {
  openTime: Date.UTC(2025, 0, 1, 12),
  closeTime: Date.UTC(2025, 0, 1, 13) - 1,
  open: fx('0.00001234'),
  high: fx('98765.4321'),
  low: fx('0.00000001'),
  close: fx('50000'),
  volume: fx('123456789.12345678'),
};

describe("the Redis copy's candle lines", () => {
  it('hold a candle exactly, in one short line, and give it back', () => {
    const line = candleLine(candle);
    expect(line).toBe('1735732800000,0.00001234,98765.4321,0.00000001,50000,123456789.12345678');
    expect(candleOfLine(line, HOUR)).toEqual(candle);
  });

  it('refuse what the copy never writes', () => {
    for (const line of [
      '',
      'garbage',
      '{"openTime":1735732800000}',
      '1735732800000,1,2,0.5,1.5', // a field short
      '1735732800000,1,2,0.5,1.5,1,7', // one too many
      '1735732860000,1,2,0.5,1.5,1', // not on an hour
      '1735732800000,1,2,0.5,1.5,-1', // a negative volume
      '1735732800000,1,2,0.5,1.5,0.000000001', // beyond 8 decimals
      '1735732800000,1,2,1.2,1.5,1', // low above open
      '1735732800000,1,1.4,0.5,1.5,1', // high below close
      '1735732800000, 1,2,0.5,1.5,1',
      '1.5e12,1,2,0.5,1.5,1',
    ])
      expect(candleOfLine(line, HOUR), line).toBeUndefined();
  });
});
