import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../src/chat/index.js';
import {
  type Fixed,
  type Instrument,
  type OrderIntent,
  ZERO,
  catalogInstrument,
  format,
  fx,
  validateOrder,
} from '../../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../../src/engine/index.js';
import { Portfolio } from '../../../src/portfolio/index.js';
import { type GridPreview, type GridSnapshot, GridStrategy, buildGridPreview } from '../../../src/strategy/index.js';
import { FakeServices } from '../../chat/fake-services.js';
import { FakeVenue } from './fake-venue.js';

const BTC = catalogInstrument('BTCUSDT') as Instrument;
const show = (v: Fixed | undefined) => (v === undefined ? undefined : format(v));

/** The grid strategy on a bus with the portfolio (the one book of round trips) and a venue that fills on request. */
function setup() {
  const kernel = new BusHost(new ManualClock(1_000), new SequentialIds());
  const portfolio = new Portfolio();
  let last: Fixed | undefined;
  const strategy = new GridStrategy({
    instrument: catalogInstrument,
    profitOf: (gridId) => portfolio.gridProfit(gridId),
    makerFee: fx('0.001'),
    lastPrice: () => last,
  });
  kernel.add(portfolio).add(strategy);
  const venue = new FakeVenue(kernel);
  const setLast = (p: Fixed) => {
    last = p;
  };
  return { kernel, strategy, venue, portfolio, setLast };
}

/** `levels` each side of 100 000 (one by default), 1 % apart, 100 USDT per level: the level quantity at 99 000 is 0.00101 BTC. */
function preview(buyFeeInBase?: boolean, levels = 1): GridPreview {
  const res = buildGridPreview({
    params: { symbol: 'BTCUSDT', levels, spacingPct: fx('1'), amountQuote: fx('100'), spacing: 'arithmetic' },
    instrument: BTC,
    referencePrice: fx('100000'),
    baseFree: fx('1'),
    quoteFree: fx('1000000'),
    makerFee: fx('0.001'),
    takerFee: fx('0.001'),
    ...(buyFeeInBase !== undefined ? { buyFeeInBase } : {}),
  });
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

function started(s: GridStrategy, p: GridPreview): void {
  const r = s.startGrid(p);
  if (!r.ok) throw new Error(r.error.message);
}

/** Every order the grid sent passes every filter of the symbol, as the exchange will judge it. */
function expectAllValid(intents: readonly OrderIntent[], ref: Fixed): void {
  for (const i of intents) {
    const shape =
      i.type === 'MARKET'
        ? { side: i.side, type: i.type, quantity: i.quantity, referencePrice: ref }
        : { side: i.side, type: i.type, price: i.price, quantity: i.quantity };
    const check = validateOrder(BTC, shape);
    if (!check.ok) throw new Error(`${i.clientOrderId}: ${check.error.message}`);
  }
}

/**
 * Runs round trips on level −1/0: fills the latest buy at −1 (which re-arms a sell at 0), then that sell (which re-arms
 * the buy). `buyFill` names the fee of each buy (undefined: the kit's 0.1 % in base).
 */
function roundTrips(
  venue: FakeVenue,
  n: number,
  buyFill: (i: number, intent: OrderIntent) => Parameters<FakeVenue['fill']>[1] = () => ({}),
) {
  for (let i = 0; i < n; i++) {
    const buy = venue.at('BUY', -1);
    venue.fill(buy.clientOrderId, buyFill(i, buy));
    const sell = venue.at('SELL', 0);
    expect(sell.clientOrderId).not.toBe(buy.clientOrderId);
    venue.fill(sell.clientOrderId);
  }
}

describe('constant levels', () => {
  it('keeps a level quantity through 1,000 round trips with the fee taken in base, every order within the filters', () => {
    const { strategy, venue } = setup();
    const p = preview();
    expect([show(p.levels[0]!.quantity), show(p.levels[0]!.sellQuantity)]).toEqual(['0.00102', '0.00101']);
    started(strategy, p);
    roundTrips(venue, 1_000);

    const sells = venue.submitted.filter((i) => i.clientOrderId.endsWith('_S0'));
    const buys = venue.submitted.filter((i) => i.clientOrderId.endsWith('_B-1'));
    expect([sells.length, buys.length]).toEqual([1_000, 1_001]);
    // The sell is always the level quantity: no shrinking by a step. The buy is the level quantity sized up for the
    // 0.1 % fee (0.00102 brings 0.00101898: 0.00000898 of dust), or the level quantity itself while the dust covers
    // its fee (0.00101 brings 0.00100899: 0.00000101 drawn from the dust). The sized-up buys' surplus pays the other
    // buys' fees: about 1,001 × 101 / (898 + 101) ≈ 101 of the 1,001 buys are sized up, not all of them.
    expect(new Set(sells.map((i) => show(i.quantity)))).toEqual(new Set(['0.00101']));
    expect(new Set(buys.map((i) => show(i.quantity)))).toEqual(new Set(['0.00102', '0.00101']));
    expect(buys.filter((i) => i.quantity === fx('0.00102'))).toHaveLength(102);
    expect(show(venue.at('SELL', 0).quantity)).toBe('0.00101');
    expectAllValid(venue.submitted, fx('100000'));

    const trips = venue.of('GridRoundTrip');
    expect(trips).toHaveLength(1_000);
    expect(new Set(trips.map((t) => show(t.quantity)))).toEqual(new Set(['0.00101']));
    for (const t of trips) expect(t.profit).toBe(t.sellQuote - t.buyQuote - t.feesQuote);
    const s = strategy.summaries()[0]!;
    expect(s.issues).toEqual([]);
    // The dust is spent as it comes: after 1,000 round trips it is under one sized-up buy's surplus plus one fee.
    expect(s.dustBase).toBeGreaterThanOrEqual(ZERO);
    expect(s.dustBase).toBeLessThan(fx('0.00000999'));
    expect(s.inventoryBase).toBe(s.dustBase); // the last sell filled: all the grid holds is its dust
  });

  it('keeps a level quantity through 1,000 round trips with the fee paid in BNB, even when BNB runs out once', () => {
    const { strategy, venue } = setup();
    // The bot cannot know beforehand that BNB pays the fees: the opening buy is sized for a fee in base.
    started(strategy, preview());
    const bnb = { commission: fx('0.00012'), commissionAsset: 'BNB', feeQuote: fx('0.0756') };
    // Trip 500's buy finds no BNB: its fee is taken in base, which the dust of the first buy covers.
    roundTrips(venue, 1_000, (i) => (i === 500 ? {} : bnb));

    const sells = venue.submitted.filter((i) => i.clientOrderId.endsWith('_S0'));
    const buys = venue.submitted.filter((i) => i.clientOrderId.endsWith('_B-1'));
    expect(new Set(sells.map((i) => show(i.quantity)))).toEqual(new Set(['0.00101']));
    // Fees in BNB: the buy is the level quantity itself. After the one fee in base, the dust of the first buy covers
    // the next buy's fee too, so it stays the level quantity until BNB pays again.
    const buyQty = buys.map((i) => show(i.quantity));
    expect(buyQty[0]).toBe('0.00102');
    expect(buyQty.slice(1).filter((q) => q !== '0.00101')).toEqual([]);
    expect(show(venue.at('SELL', 0).quantity)).toBe('0.00101');
    expect(show(venue.at('BUY', -1).quantity)).toBe('0.00101');
    expectAllValid(venue.submitted, fx('100000'));
    expect(venue.of('GridRoundTrip').every((t) => t.quantity === fx('0.00101'))).toBe(true);
    const s = strategy.summaries()[0]!;
    expect(s.issues).toEqual([]);
    // 0.00001 from the first buy (sized up for a fee in base, paid in BNB), less the 0.00000101 base fee of trip 500.
    expect(show(s.dustBase)).toBe('0.00000899');
  });

  it('draws a taker fee over the sizing from the dust, and past the dust sells what there is once, then restores the level', () => {
    const { strategy, venue } = setup();
    started(strategy, preview());
    roundTrips(venue, 1); // dust 0.00000898, so the next buy is the level quantity 0.00101
    expect(show(venue.at('BUY', -1).quantity)).toBe('0.00101');
    // A fee of 0.000005 (say a taker fill at a worse rate): 0.001005 arrives, 0.000005 short of the level, which the
    // dust covers.
    roundTrips(venue, 1, () => ({ commission: fx('0.000005') }));
    expect(venue.submitted.filter((i) => i.clientOrderId.endsWith('_S0')).map((i) => show(i.quantity))).toEqual(['0.00101', '0.00101']);
    expect(show(strategy.summaries()[0]!.dustBase)).toBe('0.00000398');
    // A fee no dust can cover: 0.00098 arrives, 0.00003 short; the dust holds 0.00000398, so 0.00002602 is missing.
    const buy = venue.at('BUY', -1);
    expect(show(buy.quantity)).toBe('0.00101');
    venue.fill(buy.clientOrderId, { commission: fx('0.00003') });
    const sell = venue.at('SELL', 0);
    expect(show(sell.quantity)).toBe('0.00098'); // 0.00101 less 0.00002602 up to the step
    expect(show(strategy.summaries()[0]!.dustBase)).toBe('0.00000398'); // 0.00003 − 0.00002602 back to the dust
    expect(strategy.summaries()[0]!.issues?.map((i) => i.code)).toEqual(['LEVEL_SHORT']);
    venue.fill(sell.clientOrderId);
    expect(show(venue.at('BUY', -1).quantity)).toBe('0.00101'); // the level is whole again
    roundTrips(venue, 1);
    expect(show(venue.at('SELL', 0).quantity)).toBe('0.00101');
    expectAllValid(venue.submitted, fx('100000'));
  });

  it('lets the dust pay each buy fee once: buys waiting to fill claim their draw, the one the dust cannot cover is sized up', () => {
    const { strategy, venue } = setup();
    started(strategy, preview(true, 10));
    venue.fill(venue.at('BUY', -1).clientOrderId); // 0.00000898 of dust
    // A rise through all ten sells re-arms ten buys before any fills. Their fees in base, 0.00000099 for the level of
    // 0.00099 at 101 000 down to 0.0000009 at 110 000, add up to 0.00000855 for the first nine: the dust covers them, so
    // they are the level quantities; the tenth's 0.0000009 is more than the 0.00000043 left, so it is sized up.
    for (let k = 1; k <= 10; k++) venue.fill(venue.at('SELL', k).clientOrderId);
    const buys = [...Array(10).keys()].map((k) => show(venue.at('BUY', k).quantity));
    expect(buys).toEqual(['0.00099', '0.00098', '0.00097', '0.00096', '0.00095', '0.00094', '0.00093', '0.00092', '0.00091', '0.00091']);
    for (let k = 0; k < 10; k++) venue.fill(venue.at('BUY', k).clientOrderId);
    // Every sell re-armed above them is its whole level; no buy fell short.
    expect([...Array(10).keys()].map((k) => show(venue.at('SELL', k + 1).quantity))).toEqual([
      '0.00099',
      '0.00098',
      '0.00097',
      '0.00096',
      '0.00095',
      '0.00094',
      '0.00093',
      '0.00092',
      '0.00091',
      '0.0009',
    ]);
    const s = strategy.summaries()[0]!;
    expect(s.issues).toEqual([]);
    expect(show(s.dustBase)).toBe('0.00000952'); // 0.00000898 − 0.00000855 + the tenth buy's 0.00000909 surplus
  });

  it('re-arms a partly filled buy as exactly its level quantity in pieces', () => {
    const { strategy, venue } = setup();
    started(strategy, preview());
    const buy = venue.at('BUY', -1).clientOrderId;
    for (const q of ['0.00033', '0.00033', '0.00036']) venue.fill(buy, { quantity: fx(q) });
    const sells = venue.submitted.filter((i) => i.clientOrderId.endsWith('_S0'));
    // The level's 0.00101 × 0.00033 / 0.00102 = 0.00032676… → 0.00032; × 0.00066 / 0.00102 → 0.00065; then the rest.
    expect(sells.map((i) => show(i.quantity))).toEqual(['0.00032', '0.00033', '0.00036']);
    expect(sells.reduce((a, i) => a + i.quantity, ZERO)).toBe(fx('0.00101'));
    expect(strategy.summaries()[0]!.issues).toEqual([]);
  });

  it('tracks the dust, shows it in /grids and the preview, and sells it at market when the grid is stopped', async () => {
    const { strategy, venue, setLast } = setup();
    // Ten buys each side: a fall through all ten fills every buy, each sized up, before any sell brings a buy that
    // could spend the dust (0.00102 − 0.00000102 = 0.00101898 arrives for a level of 0.00101 at 99 000, and so on down).
    const p = preview(true, 10);
    started(strategy, p);
    for (let k = -1; k >= -10; k--) venue.fill(venue.at('BUY', k).clientOrderId);
    expect(show(strategy.summaries()[0]!.dustBase)).toBe('0.00008934');
    const held = strategy.summaries()[0]!.inventoryBase ?? ZERO;

    const services = new FakeServices();
    services.previewGrid = async () => ({ ok: true, value: p });
    services.gridList = strategy.summaries();
    const dispatcher = new Dispatcher({ services, clock: new ManualClock(0) });
    const say = async (text: string) => (await dispatcher.handle('chat-1', text)).text;
    expect(await say('/grid BTCUSDT 1 1')).toContain(
      'Each level keeps its size: buys 0.00102 to sell 0.00101 after the 0.1 % fee (taken in BTC); the rest is the grid',
    );
    expect(await say('/grids')).toContain('\n  dust: 0.00008934 BTC, sold when the grid ends');

    setLast(fx('100500'));
    const r = strategy.stopGrid('G1', 'user'); // the venue confirms the cancels at once
    expect(r.ok).toBe(true);
    const exit = venue.submitted.at(-1)!;
    // 8.98 USDT of dust at 100 500: over the 5 USDT minimum, sold down to the step.
    expect([exit.type, exit.side, show(exit.quantity), exit.reducesPosition]).toEqual(['MARKET', 'SELL', '0.00008', true]);
    expectAllValid([exit], fx('100500'));
    venue.fill(exit.clientOrderId, { price: fx('100500') });
    const s = strategy.summaries()[0]!;
    expect([s.status, show(s.dustBase), s.inventoryBase]).toEqual(['stopped', '0.00000934', held - fx('0.00008')]);
    services.gridList = strategy.summaries();
    expect(await say('/grids')).toContain('\n  dust: 0.00000934 BTC');
  });

  it('leaves dust under the minimum order and says so; the kill switch sends no dust order', () => {
    const small = setup();
    started(small.strategy, preview(true, 2));
    // Both buys fill, each sized up: 0.00000898 + 0.00000897; 0.00001 at 100 000 is 1 USDT, under the 5 USDT minimum.
    for (const k of [-1, -2]) small.venue.fill(small.venue.at('BUY', k).clientOrderId);
    small.setLast(fx('100000'));
    small.strategy.stopGrid('G1', 'user');
    expect(small.venue.submitted.some((i) => i.type === 'MARKET')).toBe(false);
    const issue = small.strategy.summaries()[0]!.issues!.at(-1)!;
    expect([issue.code, issue.message]).toEqual([
      'DUST_LEFT',
      '0.00001795 BTC of dust is left in the account: worth 1, under the minimum 5',
    ]);

    const killed = setup();
    started(killed.strategy, preview(true, 10));
    for (let k = -1; k >= -10; k--) killed.venue.fill(killed.venue.at('BUY', k).clientOrderId); // 0.00008934 of dust
    killed.strategy.stopAll('kill');
    expect(killed.venue.submitted.some((i) => i.type === 'MARKET')).toBe(false);
    expect(killed.strategy.summaries()[0]!.issues!.at(-1)!.code).toBe('DUST_LEFT');
  });

  it('restores a grid saved before level sizing: old orders keep the ladder quantity, new ones are sized', () => {
    const { strategy, venue } = setup();
    started(strategy, preview());
    venue.fill(venue.at('BUY', -1).clientOrderId); // sell 0.00101 at 0
    const now = strategy.exportGrid('G1')!;
    // What an older build wrote: no fee, dust or per-order quantities.
    const { feeRate: _f, feeInBase: _b, dust: _d, exitDustOnly: _x, ...rest } = now;
    const old = { ...rest, open: now.open.map(({ quantity: _q, levelQty: _l, carryLevel: _c, ...o }) => o) } as GridSnapshot;
    const fresh = setup();
    fresh.strategy.importGrids([old]);
    const restored = fresh.strategy.exportGrid('G1')!;
    expect([show(restored.feeRate), restored.feeInBase, show(restored.dust)]).toEqual(['0.001', true, '0']);
    const freshVenue = fresh.venue;
    // The restored sell at 0 fills (the venue learns of it as the original's), and re-arms the buy sized for its level.
    const sellId = venue.at('SELL', 0).clientOrderId;
    fresh.kernel.bus.publish({ ...venue.fill(sellId), time: 1_000 });
    expect(show(freshVenue.at('BUY', -1).quantity)).toBe('0.00102');
  });
});
