import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, formatPct, formatQuote, formatSigned } from '../../src/chat/index.js';
import { fx, parseFixed } from '../../src/domain/index.js';

describe('chat number formats', () => {
  it('quote amounts keep every significant decimal but show at least two', () => {
    expect(formatQuote(fx('94525'))).toBe('94525.00');
    expect(formatQuote(fx('0.5'))).toBe('0.50');
    expect(formatQuote(fx('0.00012345'))).toBe('0.00012345');
    expect(formatQuote(fx('-1.5'))).toBe('-1.50');
    expect(formatSigned(fx('0.42'))).toBe('+0.42');
    expect(formatSigned(fx('-0.42'))).toBe('-0.42');
    expect(formatSigned(fx('0'))).toBe('0.00');
  });

  it('quote formatting is exact: it parses back to the same value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (v) => {
        expect(parseFixed(formatQuote(v))).toBe(v);
      }),
    );
  });

  it('percentages round half-even to 4 decimals and trim', () => {
    expect(formatPct(fx('0.5'))).toBe('0.5');
    expect(formatPct(fx('0.29745'))).toBe('0.2974');
    expect(formatPct(fx('0.29755'))).toBe('0.2976');
    expect(formatPct(fx('12'))).toBe('12');
    expect(formatPct(fx('-0.00001'))).toBe('0');
  });

  it('durations read naturally', () => {
    expect(formatDuration(1200)).toBe('1.2 s');
    expect(formatDuration(247_000)).toBe('4m 07s');
    expect(formatDuration(3_725_000)).toBe('1h 02m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d 4h');
  });
});
