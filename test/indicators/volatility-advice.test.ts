import { describe, expect, it } from 'vitest';
import { NATR } from 'trading-signals';
import { type Candle, type Fixed, fixed, format, fx } from '../../src/domain/index.js';
import { type VolatilityAdvice, volatilityAdvice } from '../../src/indicators/index.js';
import { DAY_1M, JANUARY_1H, floats, loadKlines } from '../kit/candles-file.js';

const cent = fx('0.01');
const january = loadKlines(JANUARY_1H);
// 2020-01-01 and -02: the two days the 1m files hold, rolled up to hours.
const twoDays = january.candles.slice(0, 48);
const price = (twoDays.at(-1) as Candle).close;

function advise(input: Partial<Parameters<typeof volatilityAdvice>[0]> = {}): VolatilityAdvice {
  const result = volatilityAdvice({ hourly: twoDays, price, tickSize: cent, makerFee: fx('0.0002'), ...input });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('volatilityAdvice on BTCUSDT hourly candles, 2020-01-01..02', () => {
  it("NATR(14) is the library's on the same candles, rounded once (half-even to 10⁻⁸)", () => {
    const natr = new NATR(14);
    for (const c of floats(january.rows.slice(0, 48))) natr.add(c);
    const library = natr.getResultOrThrow();
    const a = advise();
    expect(format(a.natrPct)).toBe('0.58328999');
    expect(Math.abs(Number(format(a.natrPct)) - library)).toBeLessThanOrEqual(5e-9);
  });

  it('spacing is NATR / 2 to 0.01 % when that clears the fee floor; the 24 h range is counted in whole steps', () => {
    const a = advise();
    expect(a.volatilitySpacingPct).toBe(fx('0.29'));
    // 2 × (0.02 % maker buy + 0.02 % maker sell).
    expect(a.feeFloorPct).toBe(fx('0.08'));
    expect(a.spacingPct).toBe(fx('0.29'));
    expect(a.floored).toBe(false);

    const last24 = twoDays.slice(-24);
    expect(a.rangeHigh).toBe(last24.reduce((h, c) => (c.high > h ? c.high : h), 0n));
    expect(a.rangeLow).toBe(last24.reduce((l, c) => (c.low < l ? c.low : l), a.rangeHigh));
    // One step: price × 0.29 %, up to the cent.
    expect(a.levelStep).toBe(fixed.roundTo(fixed.divRound(price * fx('0.29'), 100n * fixed.SCALE, 'ceil'), cent, 'ceil'));
    expect(a.rangeLevels).toBe(Number((a.rangeHigh - a.rangeLow) / a.levelStep));
    expect(a.rangeLevels).toBe(14);

    expect(a.auto).toEqual({
      levels: 14,
      spacingPct: fx('0.29'),
      reasoning: 'NATR(14,1h) 0.58 % → spacing 0.29 %; the last 24 h range 6924.74–7212.50 spans 14 levels → 14 levels each side',
    });
    expect(a.line).toBe('Volatility: NATR(14,1h) 0.58 % → spacing 0.29 %; the last 24 h range 6924.74–7212.50 spans 14 levels at 0.29 %');
  });

  it('at a 0.1 % maker fee the floor (twice a round trip, 0.40 %) wins over 0.29 %', () => {
    const a = advise({ makerFee: fx('0.001') });
    expect(a.feeFloorPct).toBe(fx('0.4'));
    expect(a.spacingPct).toBe(fx('0.4'));
    expect(a.floored).toBe(true);
    expect(a.auto.reasoning).toBe(
      'NATR(14,1h) 0.58 % → spacing 0.29 %, raised to the fee floor 0.40 % (twice a 0.1 % + 0.1 % maker round trip); ' +
        'the last 24 h range 6924.74–7212.50 spans 10 levels → 10 levels each side',
    );
  });

  it('the owner’s levels are kept, within the auto range 2–50', () => {
    expect(advise({ levels: 10 }).auto).toMatchObject({
      levels: 10,
      reasoning: expect.stringMatching(/→ keeping your 10 levels each side$/) as string,
    });
    expect(advise({ levels: 80 }).auto).toMatchObject({
      levels: 50,
      reasoning: expect.stringMatching(/→ 50 levels each side \(you asked 80; auto keeps 2–50\)$/) as string,
    });
    expect(advise({ levels: 1 }).auto.levels).toBe(2);
  });

  it('refuses too few candles, no price, and levels that are not whole', () => {
    expect(volatilityAdvice({ hourly: twoDays.slice(0, 23), price, tickSize: cent, makerFee: fx('0.001') })).toMatchObject({
      ok: false,
      error: { code: 'NOT_ENOUGH_CANDLES' },
    });
    expect(volatilityAdvice({ hourly: twoDays, price: 0n, tickSize: cent, makerFee: fx('0.001') })).toMatchObject({
      ok: false,
      error: { code: 'NO_PRICE' },
    });
    expect(volatilityAdvice({ hourly: twoDays, price, tickSize: cent, makerFee: fx('0.001'), levels: 2.5 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_LEVELS' },
    });
  });
});

describe('volatilityAdvice when volatility is below the fee', () => {
  it('1m candles as "hourly": NATR 0.05 % (under the round-trip fee) gives 0.02 %, raised to the 0.40 % floor', () => {
    const { candles } = loadKlines(DAY_1M);
    const result = volatilityAdvice({ hourly: candles, price: (candles.at(-1) as Candle).close, tickSize: cent, makerFee: fx('0.001') });
    if (!result.ok) throw new Error(result.error.message);
    const a = result.value;
    expect(format(a.natrPct, 3)).toBe('0.046');
    expect(a.volatilitySpacingPct).toBe(fx('0.02'));
    expect(a.spacingPct).toBe(fx('0.4'));
    expect(a.floored).toBe(true);
    expect(a.rangeLevels).toBe(0);
    expect(a.auto.levels).toBe(2);
    expect(a.auto.reasoning).toMatch(/spans 0 levels → 2 levels each side \(at least 2\)$/);
  });

  it('no movement and no fee: the spacing never goes under 0.01 %', () => {
    const flat: Candle[] = Array.from({ length: 24 }, (_, i) => {
      const p: Fixed = fx('100');
      return { openTime: i * 3_600_000, closeTime: i * 3_600_000 + 3_599_999, open: p, high: p, low: p, close: p, volume: fx('1') };
    });
    const result = volatilityAdvice({ hourly: flat, price: fx('100'), tickSize: cent, makerFee: 0n });
    expect(result.ok && result.value.spacingPct).toBe(fx('0.01'));
    expect(result.ok && result.value.auto.reasoning).toBe(
      'NATR(14,1h) 0.00 % → spacing 0.00 %, raised to the 0.01 % minimum; ' +
        'the last 24 h range 100.00–100.00 spans 0 levels → 2 levels each side (at least 2)',
    );
  });
});
