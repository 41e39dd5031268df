import { describe, expect, it } from 'vitest';
import { type Fixed, type GridTrailed, type Instrument, catalogInstrument, encodeJson, format, fx } from '../../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../../src/engine/index.js';
import { Portfolio } from '../../../src/portfolio/index.js';
import { gridSnapshot } from '../../../src/store/schemas/grid.js';
import { type GridParams, type GridPreview, GridStrategy, buildGridPreview, linePrice } from '../../../src/strategy/index.js';
import { gridLevelPrices } from '../../../src/strategy/grid/ladder.js';
import { resolveRangeParams } from '../../../src/strategy/grid/range-ladder.js';
import type { GridSnapshot } from '../../../src/strategy/grid/grid-snapshot.js';
import { FakeVenue } from './fake-venue.js';

const show = (v: Fixed | undefined) => (v === undefined ? undefined : format(v));

function setup() {
  const kernel = new BusHost(new ManualClock(1_000), new SequentialIds());
  const portfolio = new Portfolio();
  const strategy = new GridStrategy({ instrument: catalogInstrument, profitOf: (gridId) => portfolio.gridProfit(gridId) });
  kernel.add(portfolio).add(strategy);
  const venue = new FakeVenue(kernel);
  const trails: GridTrailed[] = [];
  kernel.bus.on('GridTrailed', (m) => trails.push(m));
  return { kernel, strategy, venue, trails };
}

/** BTCUSDT at 100000, 1 % arithmetic, 100 USDT per level, the account holding the base its sells need. */
function preview(over: Partial<GridParams>, levels = 3): GridPreview {
  const res = buildGridPreview({
    params: { symbol: 'BTCUSDT', levels, spacingPct: fx('1'), amountQuote: fx('100'), spacing: 'arithmetic', ...over },
    instrument: catalogInstrument('BTCUSDT') as Instrument,
    referencePrice: fx('100000'),
    baseFree: fx('1'),
    quoteFree: fx('1000000'),
    makerFee: fx('0.001'),
    takerFee: fx('0.001'),
  });
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

/** Orders as the venue received them, from index `from` on: id, type, price, quantity. */
const sent = (venue: FakeVenue, from = 0) =>
  venue.submitted.slice(from).map((i) => [i.clientOrderId, i.type, show(i.price), show(i.quantity)]);

describe('trailing up (trail=PRICE)', () => {
  it('moves one line per trade above the top once every sell has filled; a gap re-arms the old top; the limit stops it', () => {
    const { strategy, venue, trails } = setup();
    expect(strategy.startGrid(preview({ trailUp: { limit: fx('106000') } })).ok).toBe(true);
    // Buys on 97000..99000 (-3..-1), sells on 101000..103000 (+1..+3).
    expect(strategy.summaries()[0]?.trail).toMatchObject({ low: -3, high: 3, movesUp: 0, lowPrice: fx('97000'), highPrice: fx('103000') });

    // Above the top, but the sells still rest: no move.
    venue.tick('BTCUSDT', fx('103500'));
    expect(trails).toEqual([]);
    for (const level of [1, 2, 3]) venue.fill(venue.at('SELL', level).clientOrderId);
    const before = venue.submitted.length;
    // Every sell filled (each re-armed a buy one line down): the next trade above 103000 moves the grid once.
    venue.tick('BTCUSDT', fx('103500'));
    expect(venue.cancels.map((c) => c.clientOrderId)).toEqual(['tg_G1_1_B-3']);
    // 100 / 104000 = 0.00096 (the new top's level quantity), bought at market sized for the 0.1 % taker fee.
    expect(sent(venue, before)).toEqual([['tg_G1_10_B4', 'MARKET', undefined, '0.00097']]);
    expect(trails).toHaveLength(1);
    expect(trails[0]).toMatchObject({
      direction: 'up',
      low: -2,
      high: 4,
      lowPrice: fx('98000'),
      highPrice: fx('104000'),
      canceled: 'tg_G1_1_B-3',
      moves: 1,
      price: fx('103500'),
    });
    expect(trails[0]?.placed).toEqual([{ clientOrderId: 'tg_G1_10_B4', side: 'BUY', type: 'MARKET', level: 4, quantity: fx('0.00097') }]);

    // One move per trade: while the market buy is in flight, its sell is pending, so nothing moves.
    venue.tick('BTCUSDT', fx('103600'));
    expect(trails).toHaveLength(1);
    venue.fill('tg_G1_10_B4', { price: fx('103500') });
    // What arrived (0.00097 − 0.00000097 fee) pays the sell of 0.00096 at the new top; the rest is dust.
    expect(sent(venue, before + 1)).toEqual([['tg_G1_11_S4', 'LIMIT', '104000', '0.00096']]);
    expect(strategy.summaries()[0]?.dustBase).toBe(fx('0.00000903'));

    // The new top sell fills and re-arms a buy at 103000; the market then gaps past the next line (105000).
    venue.fill('tg_G1_11_S4');
    expect(venue.at('BUY', 3).price).toBe(fx('103000'));
    const beforeGap = venue.submitted.length;
    venue.tick('BTCUSDT', fx('106000'));
    // No sell under the market: the old top line (104000) gets a buy, sized for the maker fee.
    expect(venue.cancels.at(-1)?.clientOrderId).toBe('tg_G1_2_B-2');
    expect(sent(venue, beforeGap)).toEqual([['tg_G1_13_B4', 'LIMIT', '104000', '0.00097']]);
    expect(trails.at(-1)).toMatchObject({ low: -1, high: 5, highPrice: fx('105000'), moves: 2 });

    // Still above the top with no sell: the next trade moves again, to 106000 (at the limit, not past it).
    venue.tick('BTCUSDT', fx('106000'));
    expect(trails.at(-1)).toMatchObject({ low: 0, high: 6, highPrice: fx('106000'), moves: 3, canceled: 'tg_G1_3_B-1' });
    expect(sent(venue, beforeGap + 1)).toEqual([['tg_G1_14_B5', 'LIMIT', '105000', '0.00096']]);

    // The next top line, 107000, would pass the limit: no move, recorded once; the grid stays an ordinary grid.
    const atLimit = venue.submitted.length;
    const cancels = venue.cancels.length;
    venue.tick('BTCUSDT', fx('107000'));
    venue.tick('BTCUSDT', fx('108000'));
    expect(venue.submitted.length).toBe(atLimit);
    expect(venue.cancels.length).toBe(cancels);
    expect(trails).toHaveLength(3);
    const s = strategy.summaries()[0]!;
    expect(s.trail).toMatchObject({ low: 0, high: 6, movesUp: 3, upLimitReached: true });
    expect(s.issues?.filter((i) => i.code === 'TRAIL_LIMIT')).toHaveLength(1);
    // No order of the grid is ever above the limit.
    expect(venue.submitted.every((i) => i.price === undefined || i.price <= fx('106000'))).toBe(true);
  });

  it('refuses a limit at or under the ladder top line, naming the argument with an example', () => {
    const res = buildGridPreview({
      params: {
        symbol: 'BTCUSDT',
        levels: 3,
        spacingPct: fx('1'),
        amountQuote: fx('100'),
        spacing: 'arithmetic',
        trailUp: { limit: fx('103000') },
      },
      instrument: catalogInstrument('BTCUSDT') as Instrument,
      referencePrice: fx('100000'),
      baseFree: fx('1'),
      quoteFree: fx('1000000'),
      makerFee: fx('0.001'),
      takerFee: fx('0.001'),
    });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.message).toMatch(/^trail=103000 must be above the ladder's top line 103000: .*like trail=113300/);
  });
});

describe('the lines beyond the ladder', () => {
  it('continue its rule and rounding: inside the ladder they are its prices, beyond it they keep climbing (and falling)', () => {
    const btc = catalogInstrument('BTCUSDT') as Instrument;
    const ref = fx('64123.45');
    const forms: GridParams[] = [
      { symbol: 'BTCUSDT', levels: 5, spacingPct: fx('0.7'), amountQuote: fx('100'), spacing: 'arithmetic' },
      { symbol: 'BTCUSDT', levels: 5, spacingPct: fx('0.7'), amountQuote: fx('100'), spacing: 'geometric' },
      {
        symbol: 'BTCUSDT',
        levels: 0,
        spacingPct: fx('0'),
        amountQuote: fx('100'),
        spacing: 'arithmetic',
        range: { lower: fx('60000'), upper: fx('66000'), grids: 7 },
      },
      {
        symbol: 'BTCUSDT',
        levels: 0,
        spacingPct: fx('0'),
        amountQuote: fx('100'),
        spacing: 'geometric',
        range: { lower: fx('60000'), upper: fx('66000'), grids: 7 },
      },
    ];
    for (const form of forms) {
      const resolved = resolveRangeParams(form, btc, ref);
      if (!resolved.ok) throw new Error(resolved.error.message);
      const params = resolved.value;
      const n = params.levels;
      const prices = gridLevelPrices(params, btc, ref);
      for (let level = -n; level <= n; level++) {
        const placed = prices[level + n]!;
        if (placed > 0n) expect(linePrice(params, btc, ref, level)).toBe(placed);
      }
      // Beyond: strictly monotonic, on the tick, and the geometric ratio (or arithmetic step) carried on.
      let prev = linePrice(params, btc, ref, -n - 3)!;
      for (let level = -n - 2; level <= n + 8; level++) {
        const p = linePrice(params, btc, ref, level)!;
        expect(p).toBeGreaterThan(prev);
        expect(p % btc.filters.priceFilter.tickSize).toBe(0n);
        prev = p;
      }
    }
    // The range form's arithmetic lines go on 6000/7 apart: 64285.71 (line 5) is level 0, so line 8 is level 3,
    // 60000 + 8·6000/7 = 66857.142… up to 66857.15; line −1 is level −6, 59142.857… down to 59142.85.
    const r = resolveRangeParams(forms[2]!, btc, ref);
    if (!r.ok) throw new Error(r.error.message);
    expect([3, 4, -6].map((level) => show(linePrice(r.value, btc, ref, level)))).toEqual(['66857.15', '67714.29', '59142.85']);
  });
});

describe('a trailing order refused for a passing reason', () => {
  it('waits like any re-arm, and while it waits the grid does not move again', () => {
    const { strategy, venue, trails } = setup();
    expect(strategy.startGrid(preview({ trailUp: {} })).ok).toBe(true);
    for (const level of [1, 2, 3]) venue.fill(venue.at('SELL', level).clientOrderId);
    venue.denyNext = { code: 'STALE_MARKET_DATA', count: 1 };
    venue.tick('BTCUSDT', fx('103500'));
    expect(trails).toHaveLength(1);
    expect(strategy.summaries()[0]?.waiting).toMatchObject([{ cause: 'stale', count: 1 }]);
    // The next trade: still above the top, but the held buy stands for the new top's sell: no second move; it is sent again.
    const n = venue.submitted.length;
    venue.tick('BTCUSDT', fx('103600'));
    expect(trails).toHaveLength(1);
    expect(sent(venue, n)).toEqual([['tg_G1_10_B4', 'MARKET', undefined, '0.00097']]);
    venue.fill('tg_G1_10_B4', { price: fx('103600') });
    expect(venue.at('SELL', 4).price).toBe(fx('104000'));
  });
});

describe('trailing down (trail-down)', () => {
  it('mirrors trailing up below the bottom line, and a snapshot round trip keeps the window and goes on trailing', () => {
    const { strategy, venue, trails } = setup();
    expect(strategy.startGrid(preview({ trailDown: {} }, 2)).ok).toBe(true);
    // Buys 98000 (-2), 99000 (-1); sells 101000, 102000.
    for (const level of [-1, -2]) venue.fill(venue.at('BUY', level).clientOrderId);
    const before = venue.submitted.length;
    venue.tick('BTCUSDT', fx('97500'));
    // The highest sell goes; the new bottom line 97000 gets a buy (100 / 97000 = 0.00103, sized up to 0.00104).
    expect(venue.cancels.map((c) => c.clientOrderId)).toEqual(['tg_G1_4_S2']);
    expect(sent(venue, before)).toEqual([['tg_G1_7_B-3', 'LIMIT', '97000', '0.00104']]);
    expect(trails.at(-1)).toMatchObject({ direction: 'down', low: -3, high: 1, lowPrice: fx('97000'), highPrice: fx('101000'), moves: 1 });
    venue.tick('BTCUSDT', fx('97400'));
    expect(trails).toHaveLength(1);
    venue.fill('tg_G1_7_B-3');
    // A gap through the next line (96000): no buy above the market; the old bottom line gets a sell.
    venue.tick('BTCUSDT', fx('95500'));
    expect(venue.cancels.at(-1)?.clientOrderId).toBe('tg_G1_3_S1');
    expect(sent(venue).at(-1)).toEqual(['tg_G1_9_S-3', 'LIMIT', '97000', '0.00103']);
    expect(trails.at(-1)).toMatchObject({ low: -4, high: 0, moves: 2 });

    // Saved and read back through the store's schema, then restored: the window, the moves and the ids go on.
    const snap = strategy.exportGrid('G1')!;
    const parsed = gridSnapshot.safeParse(JSON.parse(encodeJson(snap)));
    expect(parsed.success).toBe(true);
    const again = setup();
    again.strategy.importGrids([parsed.data as GridSnapshot]);
    expect(again.strategy.exportGrid('G1')).toEqual(snap);
    expect(again.strategy.summaries()[0]?.trail).toEqual(strategy.summaries()[0]?.trail);
    expect(again.strategy.summaries()[0]?.params.trailDown).toEqual({});
    again.venue.tick('BTCUSDT', fx('95000'));
    expect(again.venue.cancels.map((c) => c.clientOrderId)).toEqual(['tg_G1_5_S0']);
    expect(sent(again.venue)).toEqual([['tg_G1_10_S-4', 'LIMIT', '96000', '0.00104']]);
    expect(again.trails.at(-1)).toMatchObject({ low: -5, high: -1, lowPrice: fx('95000'), moves: 3 });
  });

  it('is off by default: a grid without trail options never moves', () => {
    const { strategy, venue, trails } = setup();
    expect(strategy.startGrid(preview({})).ok).toBe(true);
    for (const level of [1, 2, 3]) venue.fill(venue.at('SELL', level).clientOrderId);
    const n = venue.submitted.length;
    venue.tick('BTCUSDT', fx('110000'));
    expect(trails).toEqual([]);
    expect(venue.submitted.length).toBe(n);
    expect(strategy.summaries()[0]?.trail).toBeUndefined();
  });
});
