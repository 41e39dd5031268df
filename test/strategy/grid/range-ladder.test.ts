import { describe, expect, it } from 'vitest';
import { type Fixed, type Instrument, type Result, ZERO, catalogInstrument, format, fx } from '../../../src/domain/index.js';
import { type GridParams, type GridPreview, buildGridPreview } from '../../../src/strategy/index.js';
import { gridLevelPrices } from '../../../src/strategy/grid/ladder.js';

const BTC = catalogInstrument('BTCUSDT') as Instrument;

/** A range-form grid as the chat builds it: levels and spacing are placeholders the preview fills in. */
function range(lower: string, upper: string, grids: number, over: Partial<GridParams> = {}): GridParams {
  return {
    symbol: 'BTCUSDT',
    levels: grids,
    spacingPct: ZERO,
    amountQuote: fx('100'),
    spacing: 'arithmetic',
    range: { lower: fx(lower), upper: fx(upper), grids },
    ...over,
  };
}

function build(params: GridParams, price: string): Result<GridPreview> {
  return buildGridPreview({
    params,
    instrument: BTC,
    referencePrice: fx(price),
    baseFree: fx('10'),
    quoteFree: fx('1000000'),
    makerFee: fx('0.001'),
    takerFee: fx('0.001'),
  });
}

function ok(params: GridParams, price: string): GridPreview {
  const res = build(params, price);
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

const shown = (prices: readonly Fixed[]) => prices.map((p) => format(p));

describe('the range ladder', () => {
  it('20 grids over 90000–100000: 21 lines 500 apart, the one nearest the price left out, buys below and sells above', () => {
    // 95250 is exactly between 95000 and 95500: a tie goes to the lower line.
    const p = ok(range('90000', '100000', 20), '95250');
    expect(p.params.levels).toBe(10);
    expect(p.levels).toHaveLength(20);
    const prices = gridLevelPrices(p.params, BTC, p.referencePrice);
    expect(format(prices[10] as Fixed)).toBe('95000');
    expect(p.levels.filter((l) => l.side === 'BUY').map((l) => format(l.price))).toEqual(
      Array.from({ length: 10 }, (_, i) => String(90000 + 500 * i)),
    );
    expect(p.levels.filter((l) => l.side === 'SELL').map((l) => format(l.price))).toEqual(
      Array.from({ length: 10 }, (_, i) => String(95500 + 500 * i)),
    );
    // Same ladder as the spacing form describes it: 500.00 apart, 0.5–0.5555 % of the lower line.
    expect(p.shape).toEqual({
      lower: fx('90000'),
      upper: fx('100000'),
      centre: fx('95000'),
      grids: 20,
      stepPrice: { min: fx('500'), max: fx('500') },
      stepPct: { min: fx('0.50251256'), max: fx('0.55555555') },
      quantity: { min: fx('0.001'), max: fx('0.00111') },
    });
  });

  it('with the price off centre the shorter side is padded with zero prices that carry no order', () => {
    const p = ok(range('90000', '100000', 20), '95251');
    expect(p.params.levels).toBe(11);
    const prices = gridLevelPrices(p.params, BTC, p.referencePrice);
    expect(prices).toHaveLength(23);
    expect(shown(prices.slice(20))).toEqual(['100000', '0', '0']);
    expect(format(prices[11] as Fixed)).toBe('95500');
    expect(p.levels.filter((l) => l.side === 'BUY')).toHaveLength(11);
    expect(p.levels.filter((l) => l.side === 'SELL')).toHaveLength(9);
    expect(p.warnings.map((w) => w.code)).toEqual([]);
  });

  it('geometric lines are exact N-th roots rounded away from the price (checked against 60-digit decimals)', () => {
    // 90000·(10/9)^(j/4): 92402.10864723…, 94868.32980505…, 97400.37464252…
    const p = ok(range('90000', '100000', 4, { spacing: 'geometric' }), '95000');
    expect(shown(gridLevelPrices(p.params, BTC, p.referencePrice))).toEqual(['90000', '92402.1', '94868.33', '97400.38', '100000']);
    expect(p.params.spacingPct).toBe(fx('2.669')); // (92402.10 − 90000) / 90000, the narrowest after rounding
  });

  it('a line a hair above a tick multiple is still rounded up for a sell', () => {
    // Lines 90000 + j·10.0000000001: each a fraction of 10⁻⁸ above 90000 + 10·j, so the sells go one tick up.
    const p = ok(range('90000', '91000.00000001', 100), '90005');
    const prices = gridLevelPrices(p.params, BTC, p.referencePrice);
    expect(shown(prices.slice(100, 103))).toEqual(['90000', '90010.01', '90020.01']);
    expect(format(prices[200] as Fixed)).toBe('91000.01');
  });

  it('says what is wrong with a range it cannot build, naming the argument and what would do', () => {
    const problem = (params: GridParams, price: string) => {
      const res = build(params, price);
      return res.ok ? 'ok' : `${res.error.code}: ${res.error.message}`;
    };
    expect(problem(range('90000', '100000', 20), '101000')).toBe(
      'OUTSIDE_RANGE: the price now, 101000, is outside the range 90000–100000: a range grid starts inside its range. ' +
        'Choose a range around it, or add at=PRICE inside the range to wait for the market.',
    );
    expect(problem(range('90000', '90001', 200), '90000.5')).toBe(
      'GRIDS_TOO_DENSE: GRIDS: 200 grids over 90000–90001 put neighbouring lines within one tick (0.01) of each other; ' +
        'use fewer grids or a wider range',
    );
    expect(problem(range('10000', '100000', 2), '50000')).toBe(
      'GRIDS_TOO_WIDE: GRIDS: one grid spans 450 % of its price; a grid may span less than 50 %, so use more grids',
    );
    expect(
      problem(
        range('90000', '100000', 20, { amountQuote: fx('4'), range: { ...range('90000', '100000', 20).range!, investQuote: fx('80') } }),
        '95000',
      ),
    ).toBe(
      'INVESTMENT_TOO_SMALL: INVEST: 80 USDT over 20 grids is 4 USDT per grid, ' +
        "too little for one order at the top line 100000 under BTCUSDT's " +
        'minimum order (5 USDT, 0.00001 BTC); invest at least 120 USDT, like /grid BTCUSDT 90000-100000 20 120',
    );
    expect(problem(range('90000', '100000', 1), '95000')).toBe('INVALID_GRIDS: GRIDS must be a whole number from 2 to 200 (got 1)');
  });

  it('with a trigger the ladder is priced at the trigger and the price now is kept beside it', () => {
    const p = ok(range('90000', '100000', 20, { trigger: fx('97000') }), '94000');
    expect(p.referencePrice).toBe(fx('97000'));
    expect(p.marketPrice).toBe(fx('94000'));
    expect(p.levels.filter((l) => l.side === 'BUY')).toHaveLength(14);
    const same = build(range('90000', '100000', 20, { trigger: fx('94000') }), '94000');
    expect(same.ok ? 'ok' : same.error.message).toBe('at=94000 is the price now; leave at= out to start at once');
  });
});
