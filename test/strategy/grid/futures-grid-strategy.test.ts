import { describe, expect, it } from 'vitest';
import { type Fixed, type Instrument, catalogInstrument, fixed, format, fx } from '../../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../../src/engine/index.js';
import { Portfolio } from '../../../src/portfolio/index.js';
import { type FuturesGridTerms, type GridPreview, GridStrategy, buildFuturesGridPreview } from '../../../src/strategy/index.js';
import { btcBrackets } from '../../domain/futures/brackets-file.js';
import { FakeVenue } from './fake-venue.js';

const show = (v: Fixed | undefined) => (v === undefined ? undefined : format(v));
const PERP = { ...(catalogInstrument('BTCUSDT') as Instrument), symbol: 'BTCUSDT.P' };
/** Futures fees are in USDT on both sides. */
const usdtFee = (price: string, qty: Fixed) => {
  const fee = fixed.mul(fixed.mul(fx(price), qty, 'halfEven'), fx('0.0002'), 'halfEven');
  return { price: fx(price), commission: fee, commissionAsset: 'USDT', feeQuote: fee };
};

function setup() {
  const kernel = new BusHost(new ManualClock(1_000), new SequentialIds());
  const portfolio = new Portfolio();
  const instrument = (s: string) => (s === 'BTCUSDT.P' ? PERP : catalogInstrument(s));
  const strategy = new GridStrategy({ instrument, profitOf: (gridId) => portfolio.gridProfit(gridId), lastPrice: () => fx('100000') });
  kernel.add(portfolio).add(strategy);
  return { kernel, strategy, venue: new FakeVenue(kernel) };
}

function preview(futures: FuturesGridTerms): GridPreview {
  const r = buildFuturesGridPreview({
    params: { symbol: 'BTCUSDT.P', levels: 3, spacingPct: fx('1'), amountQuote: fx('100'), spacing: 'arithmetic', futures },
    instrument: PERP,
    referencePrice: fx('100000'),
    makerFee: fx('0.0002'),
    takerFee: fx('0.0005'),
    brackets: btcBrackets(),
    fundingRate: fx('0.0001'),
    fundingIntervalHours: 8,
    walletBalance: fx('10000'),
    minLiquidationDistancePct: fx('15'),
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('GridStrategy on a perpetual', () => {
  it('a short grid sells its opening short at market first, then places the buys that close it', () => {
    const { strategy, venue } = setup();
    const r = strategy.startGrid(preview({ mode: 'short', leverage: 3, margin: 'isolated' }));
    expect(r.ok && r.value.waiting).toBe(3);
    expect(venue.submitted.map((i) => [i.clientOrderId, i.side, i.type, show(i.quantity)])).toEqual([
      ['tg_G1_1_S0', 'SELL', 'MARKET', '0.00306'],
      ['tg_G1_2_S1', 'SELL', 'LIMIT', '0.00099'],
      ['tg_G1_3_S2', 'SELL', 'LIMIT', '0.00098'],
      ['tg_G1_4_S3', 'SELL', 'LIMIT', '0.00097'],
    ]);
    venue.fill('tg_G1_1_S0', usdtFee('100000', fx('0.00306')));
    expect(venue.submitted.slice(4).map((i) => [i.clientOrderId, i.side, show(i.price), show(i.quantity)])).toEqual([
      ['tg_G1_5_B-3', 'BUY', '97000', '0.00103'],
      ['tg_G1_6_B-2', 'BUY', '98000', '0.00102'],
      ['tg_G1_7_B-1', 'BUY', '99000', '0.00101'],
    ]);
    // Fees in USDT: no buy is sized up for a fee in base.
    expect(strategy.summaries()[0]!.status).toBe('running');
    expect(show(strategy.summaries()[0]!.inventoryBase)).toBe('-0.00306');
  });

  it('a neutral grid opens nothing: its sells above open shorts that the buys re-armed below close as round trips', () => {
    const { strategy, venue } = setup();
    strategy.startGrid(preview({ mode: 'neutral', leverage: 2, margin: 'cross' }));
    expect(venue.submitted.every((i) => i.type === 'LIMIT')).toBe(true);
    const sell = venue.at('SELL', 1);
    venue.fill(sell.clientOrderId, usdtFee('101000', sell.quantity));
    const rebuy = venue.at('BUY', 0);
    expect(show(rebuy.quantity)).toBe(show(sell.quantity));
    venue.fill(rebuy.clientOrderId, usdtFee('100000', rebuy.quantity));
    const [trip] = venue.of('GridRoundTrip');
    const fees = usdtFee('101000', sell.quantity).feeQuote + usdtFee('100000', rebuy.quantity).feeQuote;
    expect(trip?.profit).toBe(fixed.mul(sell.quantity, fx('1000'), 'halfEven') - fees);
    expect(show(strategy.summaries()[0]!.inventoryBase)).toBe('0');
  });

  it('/stop closes a futures grid position with a reduce-only market order once its cancels have reported', () => {
    const { strategy, venue } = setup();
    strategy.startGrid(preview({ mode: 'short', leverage: 3, margin: 'isolated' }));
    venue.fill('tg_G1_1_S0', usdtFee('100000', fx('0.00306')));
    strategy.stopGrid('G1', 'user');
    const exit = venue.submitted.at(-1)!;
    expect([exit.side, exit.type, show(exit.quantity), exit.reduceOnly, exit.reducesPosition]).toEqual([
      'BUY',
      'MARKET',
      '0.00306',
      true,
      true,
    ]);
  });

  it('the kill switch stop sends nothing new on a futures grid either', () => {
    const { strategy, venue } = setup();
    strategy.startGrid(preview({ mode: 'long', leverage: 3, margin: 'isolated' }));
    venue.fill('tg_G1_1_B0', usdtFee('100000', venue.at('BUY', 0).quantity));
    const before = venue.submitted.length;
    strategy.stopGrid('G1', 'kill');
    expect(venue.submitted).toHaveLength(before);
  });

  it('a liquidation of its perpetual stops the grid (reason liquidated): nothing re-armed, no exit, its holding gone', () => {
    const { kernel, strategy, venue } = setup();
    strategy.startGrid(preview({ mode: 'long', leverage: 20, margin: 'isolated' }));
    venue.fill('tg_G1_1_B0', usdtFee('100000', venue.at('BUY', 0).quantity));
    const buy = venue.at('BUY', -1);
    venue.fill(buy.clientOrderId, usdtFee('99000', buy.quantity));
    // The venue cancels the symbol's orders first (as Binance does), then closes the position with its own order.
    for (const i of venue.submitted.filter((o) => venue.isLive(o.clientOrderId))) venue.cancel(i.clientOrderId);
    const before = venue.submitted.length;
    const held = strategy.summaries()[0]!.inventoryBase!;
    kernel.bus.publish({
      type: 'PositionLiquidated',
      report: {
        clientOrderId: 'autoclose-1',
        exchangeOrderId: '9',
        symbol: 'BTCUSDT.P',
        side: 'SELL',
        type: 'LIQUIDATION',
        timeInForce: 'IOC',
        status: 'FILLED',
        price: fx('0'),
        origQty: held,
        cumQty: held,
        avgPrice: fx('95123.4'),
        reduceOnly: true,
        positionSide: 'BOTH',
        time: 2_000,
      },
    });
    const g = strategy.summaries()[0]!;
    expect([g.status, g.stopReason, show(g.inventoryBase)]).toEqual(['stopped', 'liquidated', '0']);
    expect(g.issues?.at(-1)).toMatchObject({ code: 'LIQUIDATED' });
    expect(venue.submitted).toHaveLength(before); // no re-arm, no exit
    expect(venue.of('GridStopped').at(-1)).toMatchObject({ reason: 'liquidated', triggerPrice: fx('95123.4') });
  });
});
