import { describe, expect, it } from 'vitest';
import { type Fixed, type Instrument, ZERO, catalogInstrument, fixed, format, fx } from '../../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../../src/engine/index.js';
import { Portfolio } from '../../../src/portfolio/index.js';
import { type GridParams, type GridPreview, GridStrategy, buildGridPreview } from '../../../src/strategy/index.js';
import { FakeVenue } from './fake-venue.js';

const show = (v: Fixed | undefined) => (v === undefined ? undefined : format(v));

function setup() {
  const kernel = new BusHost(new ManualClock(1_000), new SequentialIds());
  // The portfolio is the one book of a grid's round trips and profit; the grid's summary reads it.
  const portfolio = new Portfolio();
  const strategy = new GridStrategy({ instrument: catalogInstrument, profitOf: (gridId) => portfolio.gridProfit(gridId) });
  kernel.add(portfolio).add(strategy);
  const venue = new FakeVenue(kernel);
  return { kernel, strategy, venue };
}

function preview(over: Partial<GridParams> = {}, ref = '100000', baseFree = '1'): GridPreview {
  const params: GridParams = { symbol: 'BTCUSDT', levels: 3, spacingPct: fx('1'), amountQuote: fx('100'), spacing: 'arithmetic', ...over };
  const res = buildGridPreview({
    params,
    instrument: catalogInstrument(params.symbol) as Instrument,
    referencePrice: fx(ref),
    baseFree: fx(baseFree),
    quoteFree: fx('1000000'),
    makerFee: fx('0.001'),
    takerFee: fx('0.001'),
  });
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

function started(s: GridStrategy, p: GridPreview): string {
  const r = s.startGrid(p);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.gridId;
}

describe('GridStrategy', () => {
  it('places the previewed ladder with deterministic ids and announces the grid', () => {
    const { strategy, venue } = setup();
    expect(started(strategy, preview())).toBe('G1');
    expect(venue.submitted.map((i) => [i.clientOrderId, i.type, show(i.price), show(i.quantity)])).toEqual([
      // each buy is its level quantity (0.00103, 0.00102, 0.00101) sized up for the 0.1 % fee taken in base
      ['tg_G1_1_B-3', 'LIMIT', '97000', '0.00104'],
      ['tg_G1_2_B-2', 'LIMIT', '98000', '0.00103'],
      ['tg_G1_3_B-1', 'LIMIT', '99000', '0.00102'],
      ['tg_G1_4_S1', 'LIMIT', '101000', '0.00099'],
      ['tg_G1_5_S2', 'LIMIT', '102000', '0.00098'],
      ['tg_G1_6_S3', 'LIMIT', '103000', '0.00097'],
    ]);
    for (const i of venue.submitted) {
      expect(i.owner).toEqual({ kind: 'grid', gridId: 'G1' });
      expect(i.reducesPosition).toBe(false);
    }
    // The sells' 0.00294 BTC come from the 1 BTC the account holds: they enter the grid's books at the start price.
    expect(venue.of('GridStarted')).toEqual([
      {
        type: 'GridStarted',
        gridId: 'G1',
        symbol: 'BTCUSDT',
        levels: 3,
        orders: 6,
        requested: 6,
        startPrice: fx('100000'),
        quoteForBuys: fx('302.80'), // the buys sized up to deliver their levels after the fee in base
        baseForSells: fx('0.00294'),
        baseFromHoldings: fx('0.00294'),
      },
    ]);
    expect(strategy.openOrderIds('G1')).toHaveLength(6);
    expect(strategy.summaries()[0]).toMatchObject({ gridId: 'G1', status: 'running', openOrders: 6, roundTrips: 0, startedAt: 1_000 });
  });

  it('re-arms a sell one level down sized up for the fee, a buy one level up for its level, a buy the dust pays at its level', () => {
    const { strategy, venue } = setup();
    started(strategy, preview());
    venue.fill(venue.at('SELL', 2).clientOrderId);
    const buy = venue.submitted.at(-1)!;
    // No dust yet: 0.00098 / 0.999 = 0.000980981 up to the step
    expect([buy.clientOrderId, buy.side, show(buy.price), show(buy.quantity)]).toEqual(['tg_G1_7_B1', 'BUY', '101000', '0.00099']);
    venue.fill(venue.at('BUY', -1).clientOrderId);
    const sell = venue.submitted.at(-1)!;
    // 0.00102 − 0.00000102 fee = 0.00101898 arrived: the level's 0.00101 is sold, the 0.00000898 rest is dust
    expect([sell.clientOrderId, sell.side, show(sell.price), show(sell.quantity)]).toEqual(['tg_G1_8_S0', 'SELL', '100000', '0.00101']);
    expect(show(strategy.summaries()[0]!.dustBase!)).toBe('0.00000898');
    venue.fill(venue.at('SELL', 3).clientOrderId);
    const again = venue.submitted.at(-1)!;
    // The dust covers this buy's 0.00000097 fee (the buy at 101 000 claims none): the level quantity itself
    expect([again.clientOrderId, again.side, show(again.price), show(again.quantity)]).toEqual(['tg_G1_9_B2', 'BUY', '102000', '0.00097']);
    expect(venue.submitted).toHaveLength(9);
  });

  it('re-arms only what a partial fill filled', () => {
    const { strategy, venue } = setup();
    started(strategy, preview());
    const id = venue.at('BUY', -2).clientOrderId;
    venue.fill(id, { quantity: fx('0.0005') });
    venue.fill(id, { quantity: fx('0.00053') });
    expect(venue.submitted.slice(6).map((i) => [i.side, show(i.price), show(i.quantity)])).toEqual([
      ['SELL', '99000', '0.00049'], // the level's 0.00102 × 0.0005 / 0.00103, floored to the step
      ['SELL', '99000', '0.00053'], // the rest of the level: together exactly 0.00102
    ]);
    expect(strategy.openOrderIds('G1')).not.toContain(id);
  });

  it('holds a re-arm under the minimum notional until the next fill makes it placeable', () => {
    const { strategy, venue } = setup();
    started(strategy, preview());
    const id = venue.at('BUY', -1).clientOrderId;
    // Each fill re-arms its share of the level's 0.00101 (of the buy's 0.00102), floored to the step.
    venue.fill(id, { quantity: fx('0.00003'), commission: ZERO }); // share 0.00002: 2 USDT at 100000, too small alone
    expect(venue.submitted).toHaveLength(6);
    venue.fill(id, { quantity: fx('0.00003'), commission: ZERO }); // share of 0.00006 is 0.00005: with the carry, 5 USDT
    expect(show(venue.submitted.at(-1)!.quantity)).toBe('0.00005');
    const closer = venue.submitted.at(-1)!.clientOrderId;
    venue.fill(closer, { commission: ZERO, feeQuote: ZERO });
    const trips = venue.of('GridRoundTrip');
    expect(trips.map((t) => show(t.quantity))).toEqual(['0.00002', '0.00003']);
    expect(show(trips.reduce((a, t) => a + t.profit, ZERO))).toBe('0.05'); // 0.00005 × 1000
  });

  it('books round trips exactly, allocating the opening fee pro rata across partial closes', () => {
    const { strategy, venue } = setup();
    started(strategy, preview());
    venue.fill(venue.at('BUY', -1).clientOrderId, { commission: fx('0.1'), commissionAsset: 'USDT' });
    const closer = venue.at('SELL', 0).clientOrderId;
    venue.fill(closer, { quantity: fx('0.0003') });
    venue.fill(closer, { quantity: fx('0.0003') });
    venue.fill(closer, { quantity: fx('0.00041') });
    const trips = venue.of('GridRoundTrip');
    expect(trips.map((t) => [show(t.quantity), show(t.buyPrice), show(t.sellPrice), show(t.feesQuote)])).toEqual([
      ['0.0003', '99000', '100000', '0.05970297'], // 0.1 × 3/10.1 = 0.02970297 + 0.03
      ['0.0003', '99000', '100000', '0.05970297'], // 0.07029703 × 3/7.1 = 0.02970297 + 0.03
      ['0.00041', '99000', '100000', '0.08159406'], // the rest, 0.04059406 + 0.041
    ]);
    for (const t of trips) {
      expect(t.gridId).toBe('G1');
      expect(t.buyQuote).toBe(fixed.mul(t.quantity, t.buyPrice));
      expect(t.sellQuote).toBe(fixed.mul(t.quantity, t.sellPrice));
      expect(t.profit).toBe(t.sellQuote - t.buyQuote - t.feesQuote);
    }
    const fees = trips.reduce((a, t) => a + t.feesQuote, ZERO);
    expect(show(fees)).toBe('0.201'); // 0.1 opening + 0.03 + 0.03 + 0.041 closing, to the last unit
    expect(show(trips.reduce((a, t) => a + t.profit, ZERO))).toBe('0.809'); // 101 − 99.99 − 0.201
    const s = strategy.summaries()[0]!;
    // The buy's 0.00102 (fee paid in USDT) arrived whole: 0.00101 sold, 0.00001 kept as the grid's dust.
    expect([s.roundTrips, show(s.profit), show(s.inventoryBase), show(s.dustBase!)]).toEqual([3, '0.809', '0.00001', '0.00001']);
  });

  it('counts sell→buy cycles too, and the closer re-arms an opener', () => {
    const { strategy, venue } = setup();
    started(strategy, preview());
    venue.fill(venue.at('SELL', 1).clientOrderId); // 0.00099 at 101000, fee 0.09999 USDT
    const buyBack = venue.at('BUY', 0);
    expect([show(buyBack.price), show(buyBack.quantity)]).toEqual(['100000', '0.001']); // 0.00099 / 0.999 up to the step
    venue.fill(buyBack.clientOrderId); // fee 0.000001 BTC = 0.1 USDT
    const [trip] = venue.of('GridRoundTrip');
    // The level's 0.00099 closes with the buy's whole fee; the 0.000009 BTC over it is dust, not a cost.
    expect([show(trip!.quantity), show(trip!.buyPrice), show(trip!.sellPrice), show(trip!.feesQuote), show(trip!.profit)]).toEqual([
      '0.00099',
      '100000',
      '101000',
      '0.19999',
      '0.79001',
    ]);
    expect(show(strategy.summaries()[0]!.dustBase!)).toBe('0.000009');
    expect(venue.submitted.at(-1)!.clientOrderId).toBe('tg_G1_8_S1');
  });

  it('never places an order on ticks, however far the price runs through the levels', () => {
    const { strategy, venue } = setup();
    started(strategy, preview());
    started(strategy, preview({ stopLoss: fx('50000'), takeProfit: fx('200000') }));
    const before = venue.log.length;
    for (let i = 0; i < 2_000; i++) venue.tick('BTCUSDT', fx(String(90_000 + ((i * 37) % 20_000))));
    expect(venue.log.length).toBe(before);
  });

  it('exits at the stop-loss: cancels, waits for the cancels, then sells the inventory at market', () => {
    const { strategy, venue } = setup();
    started(strategy, preview({ stopLoss: fx('95000'), takeProfit: fx('105000') }));
    venue.autoCancel = false;
    venue.fill(venue.at('BUY', -1).clientOrderId); // +0.00102 − 0.00000102 fee
    venue.tick('BTCUSDT', fx('95000.01'));
    expect(venue.cancels).toHaveLength(0);
    venue.tick('BTCUSDT', fx('95000'));
    expect(venue.cancels.map((c) => c.clientOrderId).sort()).toEqual(strategy.openOrderIds('G1').sort());
    expect(venue.cancels).toHaveLength(6);
    expect(venue.of('GridStopped')).toEqual([
      { type: 'GridStopped', gridId: 'G1', symbol: 'BTCUSDT', reason: 'stop_loss', triggerPrice: fx('95000') },
    ]);
    expect(venue.submitted.filter((i) => i.type === 'MARKET')).toHaveLength(0);
    // A buy fills before its cancel lands: it is inventory too, and it is not re-armed.
    venue.fill(venue.at('BUY', -2).clientOrderId); // +0.00103 − 0.00000103
    for (const c of venue.cancels) venue.cancel(c.clientOrderId);
    const exit = venue.submitted.at(-1)!;
    expect([exit.side, exit.type, show(exit.quantity), exit.reducesPosition, exit.owner]).toEqual([
      'SELL',
      'MARKET',
      '0.00204', // 0.00204795 down to the 0.00001 step
      true,
      { kind: 'grid', gridId: 'G1' },
    ]);
    expect(venue.submitted.filter((i) => i.type === 'MARKET')).toHaveLength(1);
    venue.fill(exit.clientOrderId, { price: fx('94990') });
    venue.tick('BTCUSDT', fx('90000'));
    expect(venue.submitted.filter((i) => i.type === 'MARKET')).toHaveLength(1);
    const s = strategy.summaries()[0]!;
    expect([s.status, s.stopReason, show(s.inventoryBase), s.openOrders]).toEqual(['stopped', 'stop_loss', '0.00000795', 0]);
    expect(s.dustBase).toBe(ZERO); // the exit sold the dust with the rest
  });

  it('exits at the take-profit', () => {
    const { strategy, venue } = setup();
    started(strategy, preview({ takeProfit: fx('105000') }, '100000', '0.001'));
    venue.fill(venue.at('BUY', 0).clientOrderId, { price: fx('100000') }); // the market buy: 0.00195 − fee
    venue.tick('BTCUSDT', fx('105000.5'));
    expect(venue.of('GridStopped')[0]).toMatchObject({ reason: 'take_profit', triggerPrice: fx('105000.5') });
    expect(venue.cancels).toHaveLength(6);
    const exit = venue.submitted.at(-1)!;
    expect([exit.type, exit.side, show(exit.quantity), exit.reducesPosition]).toEqual(['MARKET', 'SELL', '0.00194', true]);
  });

  it('buys the shortfall at market first and places the sells only once it has filled completely', () => {
    const { strategy, venue } = setup();
    started(strategy, preview({}, '100000', '0.001'));
    expect(venue.submitted.map((i) => [i.clientOrderId, i.type, show(i.quantity)])).toEqual([
      ['tg_G1_1_B0', 'MARKET', '0.00195'],
      ['tg_G1_2_B-3', 'LIMIT', '0.00104'],
      ['tg_G1_3_B-2', 'LIMIT', '0.00103'],
      ['tg_G1_4_B-1', 'LIMIT', '0.00102'],
    ]);
    expect(strategy.summaries()[0]!.status).toBe('starting');
    venue.fill('tg_G1_1_B0', { quantity: fx('0.001'), price: fx('100000') });
    expect(venue.submitted).toHaveLength(4);
    venue.fill('tg_G1_1_B0', { price: fx('100010') });
    expect(venue.submitted.slice(4).map((i) => i.clientOrderId)).toEqual(['tg_G1_5_S1', 'tg_G1_6_S2', 'tg_G1_7_S3']);
    expect(strategy.summaries()[0]!.status).toBe('running');
    expect(venue.of('GridRoundTrip')).toHaveLength(0);
  });

  it('records a denied re-arm once and does not retry it', () => {
    const { strategy, venue } = setup();
    started(strategy, preview());
    venue.denyNext = { code: 'MAX_OPEN_ORDERS_TOTAL', count: 5 };
    venue.fill(venue.at('BUY', -1).clientOrderId);
    expect(venue.submitted).toHaveLength(7);
    const s = strategy.summaries()[0]!;
    expect(s.issues).toEqual([
      { clientOrderId: 'tg_G1_7_S0', side: 'SELL', level: 0, code: 'MAX_OPEN_ORDERS_TOTAL', message: 'denied by the test', time: 1_000 },
    ]);
    expect(strategy.openOrderIds('G1')).not.toContain('tg_G1_7_S0');
    expect(s.openOrders).toBe(5);
  });

  it('frees the level of an order that ends without a fill', () => {
    const { strategy, venue } = setup();
    started(strategy, preview());
    venue.cancel('tg_G1_1_B-3');
    expect(strategy.openOrderIds('G1')).toEqual(['tg_G1_2_B-2', 'tg_G1_3_B-1', 'tg_G1_4_S1', 'tg_G1_5_S2', 'tg_G1_6_S3']);
    expect(venue.submitted).toHaveLength(6);
  });

  it('stop cancels the open orders and keeps the inventory', () => {
    const { strategy, venue } = setup();
    started(strategy, preview({ stopLoss: fx('90000') }));
    venue.fill(venue.at('BUY', -1).clientOrderId);
    venue.autoCancel = false;
    const r = strategy.stopGrid('G1', 'user');
    expect(r).toEqual({ ok: true, value: { gridId: 'G1', canceled: 6 } });
    expect(venue.of('GridStopped')).toEqual([{ type: 'GridStopped', gridId: 'G1', symbol: 'BTCUSDT', reason: 'user' }]);
    venue.fill(venue.at('BUY', -2).clientOrderId); // lands before the cancel: counted, not re-armed
    venue.tick('BTCUSDT', fx('80000'));
    expect(venue.submitted).toHaveLength(7);
    expect(venue.submitted.some((i) => i.type === 'MARKET')).toBe(false);
    expect(show(strategy.summaries()[0]!.inventoryBase)).toBe('0.00204795');
    const again = strategy.stopGrid('G1', 'user');
    expect(again.ok ? '' : again.error.code).toBe('GRID_ALREADY_STOPPED');
    const none = strategy.stopGrid('G9', 'user');
    expect(none.ok ? '' : none.error.code).toBe('GRID_NOT_FOUND');
  });

  it('runs two grids on two symbols independently', () => {
    const { strategy, venue } = setup();
    started(strategy, preview());
    started(strategy, preview({ symbol: 'ETHUSDT', levels: 2, amountQuote: fx('50'), stopLoss: fx('2900') }, '3000'));
    expect(venue.submitted.filter((i) => i.symbol === 'ETHUSDT').map((i) => [i.clientOrderId, show(i.price), show(i.quantity)])).toEqual([
      ['tg_G2_1_B-2', '2940', '0.0171'], // 0.017 / 0.999 up to the 0.0001 step
      ['tg_G2_2_B-1', '2970', '0.0169'],
      ['tg_G2_3_S1', '3030', '0.0165'],
      ['tg_G2_4_S2', '3060', '0.0163'],
    ]);
    venue.fill(venue.at('BUY', -1, 'G2').clientOrderId);
    expect([venue.submitted.at(-1)!.clientOrderId, show(venue.submitted.at(-1)!.price)]).toEqual(['tg_G2_5_S0', '3000']);
    venue.tick('BTCUSDT', fx('2000')); // another symbol's price: nothing happens to G2
    expect(venue.of('GridStopped')).toHaveLength(0);
    venue.tick('ETHUSDT', fx('2899.99'));
    expect(venue.of('GridStopped').map((m) => m.gridId)).toEqual(['G2']);
    expect(venue.cancels.every((c) => c.symbol === 'ETHUSDT')).toBe(true);
    expect(strategy.summaries().map((s) => [s.gridId, s.status])).toEqual([
      ['G1', 'running'],
      ['G2', 'stopped'],
    ]);
    venue.fill(venue.at('BUY', -1).clientOrderId);
    expect(venue.submitted.at(-1)!.clientOrderId).toBe('tg_G1_7_S0');
    const all = strategy.stopAll('kill');
    expect(all).toEqual({ gridIds: ['G1'], canceled: 6 });
  });

  it('refuses a preview for a symbol it has no filters for', () => {
    const { strategy } = setup();
    const p = preview();
    const r = strategy.startGrid({ ...p, params: { ...p.params, symbol: 'FOOUSDT' } });
    expect(r.ok ? '' : r.error.code).toBe('UNKNOWN_SYMBOL');
  });
});
