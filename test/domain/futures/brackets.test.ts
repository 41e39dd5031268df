import { describe, expect, it } from 'vitest';
import { bracketFor, format, fx, parseLeverageBrackets } from '../../../src/domain/index.js';
import { btcBrackets, realBracketsJson } from './brackets-file.js';

describe("leverage brackets from Binance's leverageBracket JSON", () => {
  it('reads the real BTCUSDT and ETHUSDT file, every cum equal to the recurrence', () => {
    const all = parseLeverageBrackets(realBracketsJson());
    expect(all.map((s) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    for (const s of all) expect(s.brackets).toHaveLength(12);
    const btc = btcBrackets().brackets;
    // cum_n = floor_n·(MMR_n − MMR_{n−1}) + cum_{n−1}: 50000·0.001 = 50; 600000·0.0015 + 50 = 950; 3e6·0.0035 + 950 = 11450.
    expect(btc.slice(0, 4).map((b) => [b.initialLeverage, format(b.notionalFloor), format(b.maintMarginRatio), format(b.cum)])).toEqual([
      [125, '0', '0.004', '0'],
      [100, '50000', '0.005', '50'],
      [75, '600000', '0.0065', '950'],
      [50, '3000000', '0.01', '11450'],
    ]);
    expect(format((btc[11] ?? btc[0]!).cum)).toBe('421481450');
  });

  it('reads the single object Binance answers when asked for one symbol', () => {
    const eth = (realBracketsJson() as unknown[])[1];
    expect(parseLeverageBrackets(eth).map((s) => s.symbol)).toEqual(['ETHUSDT']);
  });

  it('picks the bracket by notional: floor inclusive, cap exclusive, the last tier past the last cap', () => {
    const btc = btcBrackets();
    expect(bracketFor(btc, fx('0')).bracket).toBe(1);
    expect(bracketFor(btc, fx('49999.99999999')).bracket).toBe(1);
    expect(bracketFor(btc, fx('50000')).bracket).toBe(2);
    expect(bracketFor(btc, fx('599999.99999999')).bracket).toBe(2);
    expect(bracketFor(btc, fx('600000')).bracket).toBe(3);
    expect(bracketFor(btc, fx('5000000000')).bracket).toBe(12);
  });

  it('refuses malformed input with the field named', () => {
    const broken = structuredClone(realBracketsJson()) as { brackets: Record<string, unknown>[] }[];
    broken[0]!.brackets[2]!.maintMarginRatio = 'abc';
    expect(() => parseLeverageBrackets(broken)).toThrow('leverageBracket: 0.brackets.2.maintMarginRatio: expected a decimal');

    const missing = structuredClone(realBracketsJson()) as { brackets: Record<string, unknown>[] }[];
    delete missing[1]!.brackets[0]!.notionalCap;
    expect(() => parseLeverageBrackets(missing)).toThrow('leverageBracket: 1.brackets.0.notionalCap:');

    const tiny = structuredClone(realBracketsJson()) as { brackets: Record<string, unknown>[] }[];
    tiny[0]!.brackets[0]!.maintMarginRatio = 1e-9; // prints as 1e-9: refused, never rounded
    expect(() => parseLeverageBrackets(tiny)).toThrow('0.brackets.0.maintMarginRatio: expected a decimal with at most 8 places, got 1e-9');

    expect(() => parseLeverageBrackets({ symbol: 'BTCUSDT' })).toThrow('leverageBracket: brackets:');
    expect(() => parseLeverageBrackets(42)).toThrow('leverageBracket: (top level):');
  });

  it('refuses a cum the recurrence does not give, a gap between tiers and a falling ratio', () => {
    const edit = (f: (b: Record<string, unknown>[]) => void): unknown => {
      const copy = structuredClone(realBracketsJson()) as { brackets: Record<string, unknown>[] }[];
      f(copy[0]!.brackets);
      return copy;
    };
    expect(() => parseLeverageBrackets(edit((b) => (b[2]!.cum = 951)))).toThrow(
      'leverageBracket: BTCUSDT bracket 3 cum is 951 but the recurrence gives 950',
    );
    expect(() => parseLeverageBrackets(edit((b) => (b[1]!.notionalFloor = 40000)))).toThrow(
      'BTCUSDT bracket 2 notionalFloor 40000 must equal 50000',
    );
    expect(() => parseLeverageBrackets(edit((b) => (b[1]!.maintMarginRatio = 0.003)))).toThrow(
      'BTCUSDT bracket 2 maintMarginRatio 0.003 falls below',
    );
  });
});
