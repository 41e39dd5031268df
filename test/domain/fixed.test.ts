import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divRound, format, fx, mul, parseFixed, roundTo } from '../../src/domain/fixed.js';

describe('fixed-point money', () => {
  it('parses and formats Binance decimal strings exactly', () => {
    expect(fx('0.00100000')).toBe(100_000n);
    expect(fx('7195.24')).toBe(719_524_000_000n);
    expect(format(fx('7195.24000000'))).toBe('7195.24');
    expect(format(fx('-0.5'))).toBe('-0.5');
    expect(format(fx('12'), 2)).toBe('12.00');
    expect(parseFixed('.5')).toBe(50_000_000n);
  });

  it('rejects what is not an 8-decimal number', () => {
    for (const bad of ['', 'abc', '1e5', '0.000000001', '1.2.3', '--1', 'NaN']) expect(parseFixed(bad)).toBeUndefined();
  });

  it('round-trips every 8-decimal value', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (v) => parseFixed(format(v)) === v));
  });

  it('rounds in the mode it is told', () => {
    expect(divRound(7n, 2n, 'floor')).toBe(3n);
    expect(divRound(7n, 2n, 'ceil')).toBe(4n);
    expect(divRound(-7n, 2n, 'floor')).toBe(-4n);
    expect(divRound(5n, 2n, 'halfEven')).toBe(2n);
    expect(divRound(7n, 2n, 'halfEven')).toBe(4n);
    expect(roundTo(fx('95123.456'), fx('0.01'), 'floor')).toBe(fx('95123.45'));
    expect(roundTo(fx('95123.451'), fx('0.01'), 'ceil')).toBe(fx('95123.46'));
    expect(mul(fx('0.001'), fx('95000'))).toBe(fx('95'));
  });

  it('floor and ceil bracket the exact product', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 15n }), (a, b) => {
        const lo = mul(a, b, 'floor');
        const hi = mul(a, b, 'ceil');
        return lo * 100_000_000n <= a * b && a * b <= hi * 100_000_000n && hi - lo <= 1n;
      }),
    );
  });
});
