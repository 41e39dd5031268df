import { describe, expect, it } from 'vitest';
import { SPOT_CATALOG, fixed, fx } from '../../../src/domain/index.js';
import { syntheticTape, syntheticUniverse } from '../../../src/sandbox/index.js';

describe('syntheticUniverse', () => {
  const universe = syntheticUniverse(1_000);

  it('serves the catalog first, then distinct generated USDT pairs, the same for the same seed', () => {
    expect(universe).toHaveLength(1_000);
    expect(universe.slice(0, SPOT_CATALOG.length).map((s) => s.instrument)).toEqual(SPOT_CATALOG.map((e) => e.instrument));
    expect(new Set(universe.map((s) => s.instrument.symbol)).size).toBe(1_000);
    for (const s of universe) expect(s.instrument.symbol).toMatch(/^[A-Z0-9]{5,20}$/);
    expect(syntheticUniverse(1_000)).toEqual(universe);
    // A larger universe only adds pairs; another seed moves the generated ones.
    expect(syntheticUniverse(1_200).slice(0, 1_000)).toEqual(universe);
    expect(syntheticUniverse(1_000, 2)[500]).not.toEqual(universe[500]);
  });

  it('spans prices from under 0.001 to over 10,000 with ticks and steps of many sizes, every price on its tick', () => {
    const prices = universe.map((s) => s.startPrice);
    expect(prices.some((p) => p < fx('0.001'))).toBe(true);
    expect(prices.some((p) => p > fx('10000'))).toBe(true);
    expect(new Set(universe.map((s) => s.instrument.filters.priceFilter.tickSize)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(universe.map((s) => s.instrument.filters.lotSize.stepSize)).size).toBeGreaterThanOrEqual(6);
    for (const { instrument, startPrice } of universe) {
      const { tickSize } = instrument.filters.priceFilter;
      expect(startPrice % tickSize).toBe(0n);
      // At least 1,000 ticks: a 0.5 % grid spacing is several ticks wide on every pair.
      expect(startPrice / tickSize).toBeGreaterThanOrEqual(1_000n);
      // One step is worth at most 10 USDT: a grid level of a few tens of USDT is a few steps on every pair.
      expect(fixed.mul(startPrice, instrument.filters.lotSize.stepSize, 'floor')).toBeLessThanOrEqual(fx('10'));
    }
  });

  it('feeds the synthetic tape: every pair trades, in whole ticks and steps', () => {
    const tape = syntheticTape({ symbols: universe, seed: 1 });
    const seen = new Set<string>();
    const bySymbol = new Map(universe.map((s) => [s.instrument.symbol, s.instrument]));
    for (let i = 0; i < 20_000; i++) {
      const t = tape.next();
      const inst = bySymbol.get(t.symbol)!;
      expect(t.price % inst.filters.priceFilter.tickSize).toBe(0n);
      expect(t.quantity % inst.filters.lotSize.stepSize).toBe(0n);
      seen.add(t.symbol);
    }
    expect(seen.size).toBe(1_000);
  });

  it('refuses a count it cannot serve', () => {
    expect(() => syntheticUniverse(0)).toThrow(RangeError);
    expect(() => syntheticUniverse(1.5)).toThrow(RangeError);
  });
});
