import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalsOf, exact, money, price, quantity, signedMoney, signedPercent } from '../../src/chat/numbers.js';
import { fixed, fx, parseFixed } from '../../src/domain/index.js';

const BTCUSDT = { tickSize: fx('0.01'), stepSize: fx('0.00001') };

describe('numbers as a trader reads them', () => {
  it('prices and averages go to the tick, quantities to the lot step, half-even', () => {
    expect(price(fx('94611.33000025'), BTCUSDT)).toBe('94611.33');
    expect(price(fx('94611.335'), BTCUSDT)).toBe('94611.34'); // half-even: 3.5 cents → 4
    expect(price(fx('94611.325'), BTCUSDT)).toBe('94611.32'); // 2.5 cents → 2
    expect(price(fx('95000'), BTCUSDT)).toBe('95000.00');
    expect(quantity(fx('0.235'), BTCUSDT)).toBe('0.23500');
    expect(quantity(fx('0.23500001'), BTCUSDT)).toBe('0.23500');
    expect(price(fx('0.2451'), { tickSize: fx('0.0001'), stepSize: fx('1') })).toBe('0.2451');
    expect(quantity(fx('1234.6'), { tickSize: fx('0.0001'), stepSize: fx('1') })).toBe('1235');
    expect(decimalsOf(fx('1'))).toBe(0);
    expect(decimalsOf(fx('0.00000001'))).toBe(8);
  });

  it('without known steps, a price keeps its decimals (at least two) and a quantity is exact', () => {
    expect(price(fx('94525'))).toBe('94525.00');
    expect(price(fx('0.00012345'))).toBe('0.00012345');
    expect(quantity(fx('0.0025'))).toBe('0.0025');
  });

  it('money shows 2 decimals, and up to 4 under 1', () => {
    expect(money(fx('-24.2'))).toBe('-24.20');
    expect(money(fx('12.345'))).toBe('12.34');
    expect(money(fx('0.24'))).toBe('0.24');
    expect(money(fx('0.1875'))).toBe('0.1875');
    expect(money(fx('0.18755'))).toBe('0.1876');
    expect(money(fx('0.99996'))).toBe('1.00');
    expect(money(fx('0'))).toBe('0.00');
    expect(signedMoney(fx('3.83'))).toBe('+3.83');
    expect(signedMoney(fx('-0.0021'))).toBe('-0.0021');
    expect(signedMoney(fx('0.00004'))).toBe('0.00');
    expect(signedMoney(fx('-0.00004'))).toBe('0.00');
    expect(signedPercent(fx('45.12345678'))).toBe('+45.12');
    expect(signedPercent(fx('-3'))).toBe('-3.00');
    expect(exact(fx('94611.33000025'))).toBe('94611.33000025');
  });

  it('a rounded figure is within half a unit of the exact one, on the tick, never with more decimals than the step', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }),
        fc.constantFrom('0.01', '0.1', '1', '0.00001', '0.0001'),
        (v, step) => {
          const s = fx(step);
          const shown = price(v, { tickSize: s, stepSize: s });
          const back = parseFixed(shown)!;
          expect(fixed.abs(back - v) * 2n <= s).toBe(true);
          expect(back % s).toBe(0n);
          expect(shown.split('.')[1]?.length ?? 0).toBe(decimalsOf(s));
          const m = parseFixed(money(v))!;
          expect(fixed.abs(m - v) * 2n <= (fixed.abs(v) < fx('1') ? fx('0.0001') : fx('0.01'))).toBe(true);
        },
      ),
    );
  });
});
