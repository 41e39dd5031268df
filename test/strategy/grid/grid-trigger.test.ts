import { describe, expect, it } from 'vitest';
import { type Fixed, type Instrument, catalogInstrument, encodeJson, fixed, format, fx } from '../../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../../src/engine/index.js';
import { Portfolio } from '../../../src/portfolio/index.js';
import { gridSnapshot } from '../../../src/store/schemas/grid.js';
import { type GridParams, type GridPreview, GridStrategy, buildGridPreview } from '../../../src/strategy/index.js';
import { FakeVenue } from './fake-venue.js';

const show = (v: Fixed | undefined) => (v === undefined ? undefined : format(v));

function setup() {
  const kernel = new BusHost(new ManualClock(1_000), new SequentialIds());
  const portfolio = new Portfolio();
  const strategy = new GridStrategy({ instrument: catalogInstrument, profitOf: (gridId) => portfolio.gridProfit(gridId) });
  kernel.add(portfolio).add(strategy);
  const venue = new FakeVenue(kernel);
  return { kernel, strategy, venue, portfolio };
}

/** A range grid 97000–103000 in 6 grids waiting for `trigger`, previewed with the market at `now`. */
function preview(trigger: string, now = '100000', over: Partial<GridParams> = {}, baseFree = '1'): GridPreview {
  const params: GridParams = {
    symbol: 'BTCUSDT',
    levels: 6,
    spacingPct: fx('0'),
    amountQuote: fx('100'),
    spacing: 'arithmetic',
    range: { lower: fx('97000'), upper: fx('103000'), grids: 6 },
    trigger: fx(trigger),
    ...over,
  };
  const res = buildGridPreview({
    params,
    instrument: catalogInstrument('BTCUSDT') as Instrument,
    referencePrice: fx(now),
    baseFree: fx(baseFree),
    quoteFree: fx('1000000'),
    makerFee: fx('0.001'),
    takerFee: fx('0.001'),
  });
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

const placed = (venue: FakeVenue) => venue.submitted.map((i) => [i.clientOrderId, i.type, show(i.price), show(i.quantity)]);

describe('a grid with a trigger price (at=PRICE)', () => {
  it('waits, placing nothing, until a trade reaches the trigger from below; then places the previewed ladder once', () => {
    const { strategy, venue } = setup();
    const p = preview('101000');
    const r = strategy.startGrid(p);
    expect(r).toEqual({ ok: true, value: { gridId: 'G1', requested: 0, placed: 0, waiting: 0, refused: [] } });
    expect(strategy.summaries()[0]).toMatchObject({ gridId: 'G1', status: 'waiting', openOrders: 0 });
    expect(venue.of('GridStarted')).toEqual([
      { type: 'GridStarted', gridId: 'G1', symbol: 'BTCUSDT', levels: 4, orders: 0, requested: 0, waitingFor: fx('101000') },
    ]);
    venue.tick('BTCUSDT', fx('100500'));
    venue.tick('BTCUSDT', fx('100999.99'));
    venue.tick('ETHUSDT', fx('101000'));
    expect(venue.submitted).toEqual([]);

    venue.tick('BTCUSDT', fx('101000.5'));
    // Priced at the trigger: 101000 is the line left out, buys on 97000..100000, sells on 102000 and 103000. Each buy
    // is sized up to deliver its level after the 0.1 % fee in base (0.00103 → 0.00104).
    expect(placed(venue)).toEqual([
      ['tg_G1_1_B-4', 'LIMIT', '97000', '0.00104'],
      ['tg_G1_2_B-3', 'LIMIT', '98000', '0.00103'],
      ['tg_G1_3_B-2', 'LIMIT', '99000', '0.00102'],
      ['tg_G1_4_B-1', 'LIMIT', '100000', '0.00101'],
      ['tg_G1_5_S1', 'LIMIT', '102000', '0.00098'],
      ['tg_G1_6_S2', 'LIMIT', '103000', '0.00097'],
    ]);
    expect(p.levels.map((l) => show(l.price))).toEqual(['97000', '98000', '99000', '100000', '102000', '103000']);
    expect(venue.of('GridStarted').at(-1)).toEqual({
      type: 'GridStarted',
      gridId: 'G1',
      symbol: 'BTCUSDT',
      levels: 4,
      orders: 6,
      requested: 6,
      waitingFor: fx('101000'),
      triggeredAt: fx('101000.5'),
      // The books the preview (priced at the trigger) confirmed, opened now: the account's 1 BTC covers the sells.
      startPrice: fx('101000'),
      quoteForBuys: p.quoteForBuys,
      baseForSells: fx('0.00195'),
      baseFromHoldings: fx('0.00195'),
    });
    expect(strategy.summaries()[0]).toMatchObject({ status: 'running', openOrders: 6 });
    venue.tick('BTCUSDT', fx('100000'));
    venue.tick('BTCUSDT', fx('101500'));
    expect(venue.submitted).toHaveLength(6);
  });

  it('fires on a trade that gaps through the trigger from above, with the market buy first when the sells need base', () => {
    const { strategy, venue, portfolio } = setup();
    // 99500 is halfway between two lines: the lower one, 99000, is left out; two buys below it, four sells above.
    const p = preview('99500', '100000', {}, '0');
    strategy.startGrid(p);
    venue.tick('BTCUSDT', fx('99500.01'));
    expect(venue.submitted).toEqual([]);
    expect(portfolio.gridPnl('G1')?.investment).toBeUndefined(); // nothing is invested while it waits
    venue.tick('BTCUSDT', fx('99000'));
    // Its books open when it fires, with the investment its preview (priced at the trigger) confirmed.
    expect(portfolio.gridPnl('G1')).toMatchObject({
      startPrice: fx('99500'),
      investment: p.quoteForBuys + fixed.mul(p.baseForSells, fx('99500'), 'halfEven'),
    });
    expect(venue.submitted.map((i) => [i.clientOrderId, i.type])).toEqual([
      ['tg_G1_1_B0', 'MARKET'],
      ['tg_G1_2_B-2', 'LIMIT'],
      ['tg_G1_3_B-1', 'LIMIT'],
    ]);
    expect(strategy.summaries()[0]?.status).toBe('starting');
    venue.fill('tg_G1_1_B0', { price: fx('99000') });
    expect(venue.submitted.slice(3).map((i) => [i.side, show(i.price)])).toEqual([
      ['SELL', '100000'],
      ['SELL', '101000'],
      ['SELL', '102000'],
      ['SELL', '103000'],
    ]);
  });

  it('a stop, or a stop-loss reached first, ends a waiting grid with nothing placed', () => {
    const { strategy, venue } = setup();
    strategy.startGrid(preview('101000'));
    strategy.startGrid(preview('99000', '100000', { stopLoss: fx('98000') }));
    expect(strategy.stopGrid('G1', 'user')).toEqual({ ok: true, value: { gridId: 'G1', canceled: 0 } });
    venue.tick('BTCUSDT', fx('97500')); // through G2's trigger and its stop-loss at once
    venue.tick('BTCUSDT', fx('102000'));
    expect(venue.submitted).toEqual([]);
    expect(strategy.summaries().map((g) => [g.gridId, g.status, g.stopReason])).toEqual([
      ['G1', 'stopped', 'user'],
      ['G2', 'stopped', 'stop_loss'],
    ]);
  });

  it('survives a restart while waiting: the snapshot (read by the store schema) brings back the trigger and its ladder', () => {
    const first = setup();
    first.strategy.startGrid(preview('101000'));
    const snap = first.strategy.exportGrid('G1')!;
    // As the store writes it (JSON with tagged bigints) and reads it back through its schema.
    const parsed = gridSnapshot.safeParse(JSON.parse(encodeJson(snap)));
    expect(parsed.error?.issues).toBeUndefined();
    expect(parsed.data).toEqual(snap);
    expect(snap.status).toBe('waiting');
    expect(snap.params.range).toEqual({ lower: fx('97000'), upper: fx('103000'), grids: 6 });

    const second = setup();
    second.strategy.importGrids([snap]);
    expect(second.strategy.summaries()[0]).toMatchObject({ status: 'waiting' });
    second.venue.tick('BTCUSDT', fx('100000'));
    expect(second.venue.submitted).toEqual([]);
    second.venue.tick('BTCUSDT', fx('101000'));
    expect(placed(second.venue).map(([id, , price]) => [id, price])).toEqual([
      ['tg_G1_1_B-4', '97000'],
      ['tg_G1_2_B-3', '98000'],
      ['tg_G1_3_B-2', '99000'],
      ['tg_G1_4_B-1', '100000'],
      ['tg_G1_5_S1', '102000'],
      ['tg_G1_6_S2', '103000'],
    ]);
    // Once started it restores as any running grid, its padded ladder included.
    const third = setup();
    third.strategy.importGrids([second.strategy.exportGrid('G1')!]);
    third.venue.tick('BTCUSDT', fx('101000'));
    expect(third.strategy.summaries()[0]).toMatchObject({ status: 'running', openOrders: 6 });
  });
});
