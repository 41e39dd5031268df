import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPOT_CATALOG, catalogInstrument, fx, roundPrice, roundQuantity, validateOrder } from '../../src/domain/index.js';

const btc = catalogInstrument('BTCUSDT')!;

describe('symbol filters', () => {
  it('names the filter that fails', () => {
    const cases: Array<[Parameters<typeof validateOrder>[1], string]> = [
      [{ side: 'BUY', type: 'LIMIT', price: fx('95000.001'), quantity: fx('0.001') }, 'PRICE_FILTER'],
      [{ side: 'BUY', type: 'LIMIT', price: fx('95000'), quantity: fx('0.000015') }, 'LOT_SIZE'],
      [{ side: 'BUY', type: 'LIMIT', price: fx('95000'), quantity: fx('0.00002') }, 'NOTIONAL'],
      [{ side: 'BUY', type: 'LIMIT', price: fx('95000'), quantity: fx('9001') }, 'LOT_SIZE'],
      [{ side: 'SELL', type: 'LIMIT', price: fx('10000'), quantity: fx('0.001'), referencePrice: fx('95000') }, 'PERCENT_PRICE_BY_SIDE'],
      [{ side: 'BUY', type: 'LIMIT', price: fx('95000'), quantity: fx('0.001'), openOrders: 200 }, 'MAX_NUM_ORDERS'],
      [{ side: 'BUY', type: 'MARKET', quantity: fx('101'), referencePrice: fx('95000') }, 'MARKET_LOT_SIZE'],
    ];
    for (const [order, filter] of cases) {
      const res = validateOrder(btc, order);
      expect(res.ok, filter).toBe(false);
      if (!res.ok) {
        expect(res.error.filter).toBe(filter);
        expect(res.error.message).toContain(`Filter failure: ${filter}`);
      }
    }
  });

  it('passes a well-formed order', () => {
    expect(
      validateOrder(btc, { side: 'BUY', type: 'LIMIT', price: fx('95000'), quantity: fx('0.001'), referencePrice: fx('95010') }).ok,
    ).toBe(true);
  });

  it('rounds buys down and sells up to the tick, quantities down to the step', () => {
    expect(roundPrice(btc, 'BUY', fx('95000.019'))).toBe(fx('95000.01'));
    expect(roundPrice(btc, 'SELL', fx('95000.011'))).toBe(fx('95000.02'));
    expect(roundQuantity(btc, fx('0.0012345'))).toBe(fx('0.00123'));
  });

  it('every rounded order of sufficient size passes every filter (property)', () => {
    const decimal = (min: number, max: number) => fc.double({ min, max, noNaN: true }).map((x) => fx(x.toFixed(8)));
    fc.assert(
      fc.property(
        fc.constantFrom(...SPOT_CATALOG.map((e) => e.instrument)),
        fc.constantFrom('BUY' as const, 'SELL' as const),
        decimal(0.9, 1.1),
        decimal(6, 900),
        (inst, side, factor, quote) => {
          const ref = fx(SPOT_CATALOG.find((e) => e.instrument === inst)!.demoPrice);
          const price = roundPrice(inst, side, (ref * factor) / 100_000_000n);
          const qty = roundQuantity(inst, (quote * 100_000_000n) / price + inst.filters.lotSize.stepSize);
          const res = validateOrder(inst, { side, type: 'LIMIT', price, quantity: qty, referencePrice: ref });
          return res.ok;
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('market order steps', () => {
  it('round a MARKET quantity to the lot step when MARKET_LOT_SIZE has none', () => {
    expect(roundQuantity(btc, fx('0.00123456'), 'MARKET')).toBe(fx('0.00123'));
    expect(
      validateOrder(btc, {
        side: 'SELL',
        type: 'MARKET',
        quantity: roundQuantity(btc, fx('0.00123456'), 'MARKET'),
        referencePrice: fx('95000'),
      }).ok,
    ).toBe(true);
  });
});
