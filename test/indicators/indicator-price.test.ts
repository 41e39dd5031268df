import { describe, expect, it } from 'vitest';
import { fx } from '../../src/domain/index.js';
import { indicatorPrice } from '../../src/indicators/index.js';

describe('indicatorPrice: a float becomes a price only through named tick rounding', () => {
  const cent = fx('0.01');

  it('a float that names a tick stays on it in every mode (read as its shortest decimal, not its binary value)', () => {
    // 7195.24 is stored as 7195.2399999999997817…; flooring the binary value would give 7195.23.
    for (const mode of ['floor', 'ceil', 'halfEven'] as const) expect(indicatorPrice(7195.24, cent, mode)).toBe(fx('7195.24'));
    expect(indicatorPrice(0.1 + 0.2, cent, 'floor')).toBe(fx('0.3'));
  });

  it('between ticks: floor down, ceil up, half-even to the nearer and ties to the even tick', () => {
    expect(indicatorPrice(7191.32680638628, cent, 'floor')).toBe(fx('7191.32'));
    expect(indicatorPrice(7191.32680638628, cent, 'ceil')).toBe(fx('7191.33'));
    expect(indicatorPrice(7191.32680638628, cent, 'halfEven')).toBe(fx('7191.33'));
    expect(indicatorPrice(0.125, cent, 'halfEven')).toBe(fx('0.12'));
    expect(indicatorPrice(0.135, cent, 'halfEven')).toBe(fx('0.14'));
    expect(indicatorPrice(3.293221838331167, fx('0.5'), 'halfEven')).toBe(fx('3.5'));
    expect(indicatorPrice(3.293221838331167, fx('0.5'), 'floor')).toBe(fx('3'));
  });

  it('negative values and exponent notation', () => {
    expect(indicatorPrice(-2.5, fx('1'), 'floor')).toBe(fx('-3'));
    expect(indicatorPrice(-2.5, fx('1'), 'ceil')).toBe(fx('-2'));
    expect(indicatorPrice(1.5e-7, fx('0.00000001'), 'halfEven')).toBe(fx('0.00000015'));
    expect(indicatorPrice(2.5e-9, fx('0.00000001'), 'ceil')).toBe(fx('0.00000001'));
    expect(indicatorPrice(1.5e21, cent, 'floor')).toBe(1_500_000_000_000_000_000_000n * 100_000_000n);
  });

  it('a zero tick (the filter off) rounds to 10⁻⁸; a NaN or infinity is no price', () => {
    expect(indicatorPrice(1.234567891, 0n, 'floor')).toBe(fx('1.23456789'));
    expect(() => indicatorPrice(Number.NaN, cent, 'floor')).toThrow(RangeError);
    expect(() => indicatorPrice(Number.POSITIVE_INFINITY, cent, 'ceil')).toThrow(RangeError);
  });
});
