import { describe, expect, it } from 'vitest';
import { type Fixed, type Instrument, catalogInstrument, format, fx } from '../../../src/domain/index.js';
import {
  type GridParams,
  type GridPreview,
  type GridPreviewInput,
  buildGridPreview,
  validateGridParams,
} from '../../../src/strategy/index.js';

const BTC = catalogInstrument('BTCUSDT') as Instrument;
const XRP = catalogInstrument('XRPUSDT') as Instrument;

function params(over: Partial<GridParams> = {}): GridParams {
  return { symbol: 'BTCUSDT', levels: 3, spacingPct: fx('1'), amountQuote: fx('100'), spacing: 'arithmetic', ...over };
}

function preview(over: Partial<GridPreviewInput> = {}, p: Partial<GridParams> = {}): GridPreview {
  const res = buildGridPreview({
    params: params(p),
    instrument: BTC,
    referencePrice: fx('100000'),
    baseFree: fx('1'),
    quoteFree: fx('100000'),
    makerFee: fx('0.001'),
    takerFee: fx('0.001'),
    ...over,
  });
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

const show = (v: Fixed) => format(v);
const codes = (p: GridPreview) => p.warnings.map((w) => w.code);

describe('buildGridPreview', () => {
  it('builds an arithmetic ladder with exact prices, quantities and notionals', () => {
    const p = preview();
    // A buy's fee is taken in base, so each buy is its level quantity sized up: ceil_step(q / 0.999).
    const sellQty = (l: GridPreview['levels'][number]) => show(l.sellQuantity ?? l.quantity);
    expect(p.levels.map((l) => [l.index, l.side, show(l.price), show(l.quantity), sellQty(l), show(l.notional)])).toEqual([
      [-3, 'BUY', '97000', '0.00104', '0.00103', '100.88'],
      [-2, 'BUY', '98000', '0.00103', '0.00102', '100.94'],
      [-1, 'BUY', '99000', '0.00102', '0.00101', '100.98'],
      [1, 'SELL', '101000', '0.00099', '0.00099', '99.99'],
      [2, 'SELL', '102000', '0.00098', '0.00098', '99.96'],
      [3, 'SELL', '103000', '0.00097', '0.00097', '99.91'],
    ]);
    expect(show(p.quoteForBuys)).toBe('302.8');
    expect(show(p.baseForSells)).toBe('0.00294');
    expect(p.marketBuy).toBeUndefined();
    expect(show(p.quoteNeeded)).toBe('302.8');
    expect(p.warnings).toEqual([]);
    expect(p.feeSizing && [show(p.feeSizing.buy), show(p.feeSizing.sell), show(p.feeSizing.feeRate)]).toEqual([
      '0.00102',
      '0.00101',
      '0.001',
    ]);
  });

  it('places buys at the level quantity when the fee is not taken in base (BNB)', () => {
    const p = preview({ buyFeeInBase: false });
    expect(p.levels.map((l) => [l.index, show(l.quantity), l.sellQuantity])).toEqual([
      [-3, '0.00103', undefined],
      [-2, '0.00102', undefined],
      [-1, '0.00101', undefined],
      [1, '0.00099', undefined],
      [2, '0.00098', undefined],
      [3, '0.00097', undefined],
    ]);
    expect(show(p.quoteForBuys)).toBe('299.86');
    expect(p.feeSizing).toBeUndefined();
    expect(show(p.profitPerGrid.minQuote)).toBe('0.77115'); // 0.00097 × (1000 − 0.001·205000)
  });

  it('builds a geometric ladder by exact powers of (1 + s)', () => {
    const p = preview({}, { spacing: 'geometric' });
    expect(p.levels.map((l) => [l.index, show(l.price), show(l.quantity)])).toEqual([
      [-3, '97059.01', '0.00104'],
      [-2, '98029.6', '0.00103'],
      [-1, '99009.9', '0.00102'],
      [1, '101000', '0.00099'],
      [2, '102010', '0.00098'],
      [3, '103030.1', '0.00097'],
    ]);
  });

  it('rounds buy prices down and sell prices up to the tick, quantities down to the step', () => {
    const p = preview({ referencePrice: fx('100') }, { levels: 1, spacingPct: fx('0.333'), amountQuote: fx('50') });
    const [buy, sell] = p.levels;
    expect(show(buy!.price)).toBe('99.66'); // 99.667 floored
    expect(show(sell!.price)).toBe('100.34'); // 100.333 ceiled
    expect(show(buy!.sellQuantity!)).toBe('0.5017'); // 50 / 99.66 = 0.501705… floored to 0.00001
    expect(show(buy!.quantity)).toBe('0.50221'); // 0.5017 / 0.999 = 0.5022022… up to 0.00001
    expect(show(sell!.quantity)).toBe('0.4983'); // 50 / 100.34 = 0.4983057… floored
  });

  it('reports profit per grid with maker fees on both legs, the buy fee on the sized-up buy, exactly', () => {
    const p = preview();
    // q·(p₁ − p₀) − f·(b·p₀ + q·p₁): pair 2/3 sells q 0.00097 after buying b 0.00098
    expect(show(p.profitPerGrid.minQuote)).toBe('0.77013'); // 0.97 − 0.001·(99.96 + 99.91)
    expect(show(p.profitPerGrid.minPct)).toBe('0.77838083'); // 100 · 0.77013 / (0.00097 · 102000)
    // pair −3/−2 sells 0.00103 after buying 0.00104
    expect(show(p.profitPerGrid.maxQuote)).toBe('0.82818'); // 1.03 − 0.001·(100.88 + 100.94)
    expect(show(p.profitPerGrid.maxPct)).toBe('0.82892603'); // 100 · 0.82818 / (0.00103 · 97000)
  });

  it('buys the base shortfall at market with a reserve for the base fee', () => {
    const p = preview({ baseFree: fx('0.001') });
    // shortfall 0.00194 / (1 − 0.001) = 0.0019419… → 0.00195 at the 0.00001 step
    expect(show(p.marketBuy!.quantity)).toBe('0.00195');
    expect(show(p.marketBuy!.estimatedQuote)).toBe('195.195'); // 0.00195 × 100000 × 1.001
    expect(show(p.quoteNeeded)).toBe('497.995'); // 302.8 for the buys + 195.195
  });

  it('raises a tiny market buy to the minimum notional', () => {
    const p = preview({ baseFree: fx('0.00293') });
    expect(show(p.marketBuy!.quantity)).toBe('0.00005'); // 5 USDT at 100000
  });

  it('has no market buy when the free base covers the sells', () => {
    expect(preview({ baseFree: fx('0.00294') }).marketBuy).toBeUndefined();
  });

  it('warns when the spacing is under twice the maker fee, and not otherwise', () => {
    expect(codes(preview({}, { spacingPct: fx('0.19') }))).toContain('SPACING_UNDER_TWICE_FEE');
    expect(codes(preview({}, { spacingPct: fx('0.2') }))).not.toContain('SPACING_UNDER_TWICE_FEE');
  });

  it('drops levels under the minimum notional and lists them', () => {
    const p = preview({}, { amountQuote: fx('4') });
    expect(p.levels).toEqual([]);
    const w = p.warnings.find((x) => x.code === 'BELOW_MIN_NOTIONAL');
    expect(w && 'levels' in w ? w.levels : undefined).toEqual([-3, -2, -1, 1, 2, 3]);
    // 5.001 USDT is 0.0001 BTC either side; at 49995 that is 4.9995 (< 5), at 50005 it is 5.0005.
    const edge = preview({ referencePrice: fx('50000') }, { levels: 1, spacingPct: fx('0.01'), amountQuote: fx('5.001') });
    expect(edge.levels.map((l) => [l.index, show(l.notional)])).toEqual([[1, '5.0005']]);
    const ew = edge.warnings.find((x) => x.code === 'BELOW_MIN_NOTIONAL');
    expect(ew && 'levels' in ew ? ew.levels : undefined).toEqual([-1]);
    expect(codes(preview())).not.toContain('BELOW_MIN_NOTIONAL');
  });

  it('warns when 2N exceeds MAX_NUM_ORDERS, and not at the limit', () => {
    const small: Instrument = { ...BTC, filters: { ...BTC.filters, maxNumOrders: 10 } };
    expect(codes(preview({ instrument: small }, { levels: 6, spacingPct: fx('0.5') }))).toContain('TOO_MANY_ORDERS');
    expect(codes(preview({ instrument: small }, { levels: 5, spacingPct: fx('0.5') }))).not.toContain('TOO_MANY_ORDERS');
  });

  it('warns when the grid needs more quote than is free', () => {
    expect(codes(preview({ quoteFree: fx('302.79') }))).toContain('INSUFFICIENT_QUOTE');
    expect(codes(preview({ quoteFree: fx('302.8') }))).not.toContain('INSUFFICIENT_QUOTE');
    expect(codes(preview({ quoteFree: fx('497.99'), baseFree: fx('0.001') }))).toContain('INSUFFICIENT_QUOTE');
  });

  it('warns when neighbouring levels round to the same price', () => {
    const p = buildGridPreview({
      params: { symbol: 'XRPUSDT', levels: 2, spacingPct: fx('0.001'), amountQuote: fx('10'), spacing: 'arithmetic' },
      instrument: XRP,
      referencePrice: fx('1'),
      baseFree: fx('1000'),
      quoteFree: fx('1000'),
      makerFee: fx('0'),
      takerFee: fx('0'),
    });
    if (!p.ok) throw new Error(p.error.message);
    const w = p.value.warnings.find((x) => x.code === 'LEVEL_COLLAPSED');
    expect(w && 'levels' in w ? w.levels : undefined).toEqual([-2, 1]); // 0.9999 twice below, 1.0001 twice above
    expect(codes(preview())).not.toContain('LEVEL_COLLAPSED');
  });

  it('drops levels outside the price band and says which filter', () => {
    const p = preview({}, { levels: 10, spacingPct: fx('20'), spacing: 'geometric' });
    const w = p.warnings.find((x) => x.code === 'LEVEL_REJECTED_BY_FILTER');
    expect(w && 'levels' in w ? w.levels : undefined).toEqual([-10, -9, 9, 10]); // 1.2^9 = 5.16 > 5, 1/1.2^9 < 0.2
    expect(w?.message).toContain('PERCENT_PRICE_BY_SIDE');
    expect(p.levels.map((l) => l.index)).toEqual([-8, -7, -6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses parameters that make no sense, with a specific code', () => {
    const ref = fx('100');
    const code = (p: Partial<GridParams>) => {
      const r = validateGridParams(params(p), ref);
      return r.ok ? 'OK' : r.error.code;
    };
    expect(code({})).toBe('OK');
    expect(code({ levels: 0 })).toBe('INVALID_LEVELS');
    expect(code({ levels: 101 })).toBe('INVALID_LEVELS');
    expect(code({ levels: 2.5 })).toBe('INVALID_LEVELS');
    expect(code({ levels: 100, spacingPct: fx('0.5') })).toBe('OK');
    expect(code({ spacingPct: fx('0') })).toBe('INVALID_SPACING');
    expect(code({ spacingPct: fx('50') })).toBe('INVALID_SPACING');
    expect(code({ spacingPct: fx('49.99'), levels: 2 })).toBe('OK');
    expect(code({ spacingPct: fx('49.99'), levels: 3 })).toBe('LADDER_BELOW_ZERO');
    expect(code({ spacingPct: fx('49.99'), levels: 3, spacing: 'geometric' })).toBe('OK');
    expect(code({ amountQuote: fx('0') })).toBe('INVALID_AMOUNT');
    expect(code({ stopLoss: fx('100') })).toBe('INVALID_STOP_LOSS');
    expect(code({ stopLoss: fx('0') })).toBe('INVALID_STOP_LOSS');
    expect(code({ stopLoss: fx('90') })).toBe('OK');
    expect(code({ takeProfit: fx('100') })).toBe('INVALID_TAKE_PROFIT');
    expect(code({ takeProfit: fx('110'), stopLoss: fx('90') })).toBe('OK');
    const r = validateGridParams(params({ levels: 150 }), ref);
    expect(r.ok ? '' : r.error.message).toBe('levels must be a whole number from 1 to 100 (got 150)');
  });

  it('returns the validation failure instead of a ladder', () => {
    const r = buildGridPreview({
      params: params({ takeProfit: fx('50') }),
      instrument: BTC,
      referencePrice: fx('100000'),
      baseFree: fx('0'),
      quoteFree: fx('0'),
      makerFee: fx('0.001'),
      takerFee: fx('0.001'),
    });
    expect(r.ok ? 'OK' : r.error.code).toBe('INVALID_TAKE_PROFIT');
  });
});
