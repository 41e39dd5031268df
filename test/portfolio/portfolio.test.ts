import { describe, expect, it } from 'vitest';
import { type Fixed, type MessageOf, type Side, ZERO, fx } from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { MarketWatch } from '../../src/market/index.js';
import { Portfolio, type PortfolioSnapshot } from '../../src/portfolio/index.js';
import { aTradeTicked } from '../kit/builders.js';
import { ownerFills, roundTrips } from './portfolio-events.js';

const DAY = 86_400_000;
let tradeId = 0;

function setup(initial?: PortfolioSnapshot) {
  const clock = new ManualClock(10 * DAY + 1_000);
  const kernel = new BusHost(clock, new SequentialIds());
  // The market's one view of prices, as the engine wires it: the portfolio reads it and keeps none of its own.
  const market = new MarketWatch();
  const portfolio = new Portfolio({ ...(initial ? { initial } : {}), lastPrice: (s) => market.lastPrice(s) });
  kernel.add(market).add(portfolio);
  const changes: MessageOf<'PositionChanged'>[] = [];
  kernel.bus.on('PositionChanged', (m) => changes.push(m));

  const book = ownerFills(kernel);
  const fill = (
    symbol: string,
    side: Side,
    qty: string,
    price: string,
    fee: { feeQuote?: Fixed; commission?: Fixed; commissionAsset?: string } = {},
  ) =>
    // Fees only where a test names them: the fee in quote (USDT) unless another asset is named.
    book(symbol, side, qty, price, {
      commission: fee.commission ?? fee.feeQuote ?? ZERO,
      commissionAsset: fee.commissionAsset ?? 'USDT',
      feeQuote: fee.feeQuote ?? ZERO,
    });
  const tick = (symbol: string, price: string) =>
    kernel.bus.publish(aTradeTicked({ symbol, price: fx(price), quantity: fx('1'), time: clock.now(), tradeId: ++tradeId }));
  const roundTrip = roundTrips(kernel);
  return { clock, kernel, portfolio, changes, fill, tick, roundTrip };
}

describe('Portfolio positions', () => {
  it('books buys and sells with exact average cost, realized PnL, fees and unrealized at the last trade', () => {
    const { portfolio, changes, fill, tick } = setup();
    tick('BTCUSDT', '100');
    fill('BTCUSDT', 'BUY', '1', '100', { feeQuote: fx('0.1') });
    fill('BTCUSDT', 'BUY', '1', '101', { feeQuote: fx('0.101') });
    tick('BTCUSDT', '103');
    fill('BTCUSDT', 'SELL', '0.5', '102', { feeQuote: fx('0.051') });

    expect(changes.map((c) => [c.quantity, c.avgCost, c.realizedPnl, c.unrealizedPnl, c.fees])).toEqual([
      [fx('1'), fx('100'), ZERO, ZERO, fx('0.1')],
      [fx('2'), fx('100.5'), ZERO, fx('-1'), fx('0.201')],
      [fx('1.5'), fx('100.5'), fx('0.75'), fx('3.75'), fx('0.252')],
    ]);
    expect(portfolio.position('BTCUSDT')).toEqual({
      symbol: 'BTCUSDT',
      quantity: fx('1.5'),
      avgCost: fx('100.5'),
      lastPrice: fx('103'),
      realizedPnl: fx('0.75'),
      unrealizedPnl: fx('3.75'),
      fees: fx('0.252'),
    });
    expect(portfolio.positionQty('BTCUSDT')).toBe(fx('1.5'));
  });

  it('never goes short on spot: a sell beyond the books takes the rest from earlier holdings at the sell price', () => {
    const { portfolio, fill, tick } = setup();
    fill('ETHUSDT', 'BUY', '2', '3000');
    // 3 of the 5 were held before the bot's books: they enter at the sell price and realize nothing.
    fill('ETHUSDT', 'SELL', '5', '3100');
    tick('ETHUSDT', '3050');
    expect(portfolio.position('ETHUSDT')).toMatchObject({ quantity: ZERO, avgCost: ZERO, realizedPnl: fx('200'), unrealizedPnl: ZERO });
    fill('ETHUSDT', 'BUY', '3', '3150');
    expect(portfolio.position('ETHUSDT')).toMatchObject({ quantity: fx('3'), avgCost: fx('3150'), realizedPnl: fx('200') });
  });

  it('marks a position at its last fill until the first trade is seen', () => {
    const { portfolio, changes, fill } = setup();
    fill('SOLUSDT', 'BUY', '10', '180');
    expect(changes[0]?.unrealizedPnl).toBe(ZERO);
    expect(portfolio.position('SOLUSDT')?.lastPrice).toBeUndefined();
  });

  it('books every OrderFilled exactly once', () => {
    const { portfolio, changes, fill } = setup();
    for (let k = 0; k < 10; k++) fill('BNBUSDT', 'BUY', '0.1', '650');
    expect(changes).toHaveLength(10);
    expect(portfolio.position('BNBUSDT')).toMatchObject({ quantity: fx('1'), avgCost: fx('650') });
  });

  it('lists positions by symbol, flat ones included', () => {
    const { portfolio, fill } = setup();
    fill('XRPUSDT', 'BUY', '10', '2');
    fill('XRPUSDT', 'SELL', '10', '2.1');
    fill('ADAUSDT', 'BUY', '10', '0.75');
    expect(portfolio.positions().map((p) => [p.symbol, p.quantity, p.realizedPnl])).toEqual([
      ['ADAUSDT', fx('10'), ZERO],
      ['XRPUSDT', ZERO, fx('1')],
    ]);
  });
});

describe('Portfolio prices, balances and fees', () => {
  it("marks positions at the market's last trade, read when asked", () => {
    const { portfolio, tick, fill } = setup();
    fill('BTCUSDT', 'BUY', '1', '95000');
    tick('BTCUSDT', '95000');
    tick('BTCUSDT', '95001.5');
    expect(portfolio.position('BTCUSDT')).toMatchObject({ lastPrice: fx('95001.5'), unrealizedPnl: fx('1.5') });
  });

  it('merges balance reports by asset (a report carries only what changed)', () => {
    const { portfolio, kernel } = setup();
    kernel.bus.publish({
      type: 'BalancesReported',
      balances: [
        { asset: 'USDT', free: fx('1000'), locked: ZERO },
        { asset: 'BTC', free: fx('0.5'), locked: fx('0.1') },
      ],
      time: 1,
    });
    kernel.bus.publish({ type: 'BalancesReported', balances: [{ asset: 'USDT', free: fx('900'), locked: fx('100') }], time: 2 });
    expect(portfolio.balances()).toEqual([
      { asset: 'BTC', free: fx('0.5'), locked: fx('0.1') },
      { asset: 'USDT', free: fx('900'), locked: fx('100') },
    ]);
    expect(portfolio.freeBalance('USDT')).toBe(fx('900'));
    expect(portfolio.freeBalance('ETH')).toBe(ZERO);
  });

  it('values a third-asset fee at its last trade, or keeps it aside as unpriced', () => {
    const { portfolio, fill, tick } = setup();
    fill('BTCUSDT', 'BUY', '0.01', '95000', { commission: fx('0.001'), commissionAsset: 'BNB' });
    expect(portfolio.position('BTCUSDT')?.fees).toBe(ZERO);
    expect(portfolio.pnl().unpricedFees).toEqual([{ asset: 'BNB', amount: fx('0.001') }]);
    tick('BNBUSDT', '650');
    fill('BTCUSDT', 'BUY', '0.01', '95000', { commission: fx('0.001'), commissionAsset: 'BNB' });
    expect(portfolio.position('BTCUSDT')?.fees).toBe(fx('0.65'));
    expect(portfolio.pnl().fees).toBe(fx('0.65'));
  });
});

describe('Portfolio PnL', () => {
  it('sums realized, unrealized and fees, and nets today by UTC day', () => {
    const { portfolio, fill, tick, clock } = setup();
    fill('BTCUSDT', 'BUY', '1', '100', { feeQuote: fx('0.1') });
    fill('BTCUSDT', 'SELL', '0.5', '110', { feeQuote: fx('0.055') });
    fill('ETHUSDT', 'SELL', '1', '50', { feeQuote: fx('0.05') });
    tick('BTCUSDT', '90');
    tick('ETHUSDT', '40');
    expect(portfolio.pnl()).toMatchObject({
      realized: fx('5'),
      // BTC 0.5 × (90 − 100) = −5; the ETH sold was held from before (no short on spot): it realized nothing.
      unrealized: fx('-5'),
      fees: fx('0.205'),
      today: fx('-0.205'),
    });
    expect(portfolio.dailyPnl()).toBe(fx('-0.205'));

    // Next UTC day: yesterday's realized and fees drop out, unrealized stays.
    clock.set(11 * DAY);
    expect(portfolio.pnl().today).toBe(fx('-5'));
    fill('BTCUSDT', 'SELL', '0.5', '80', { feeQuote: fx('0.04') });
    expect(portfolio.pnl()).toMatchObject({ realized: fx('-5'), unrealized: ZERO, today: fx('-10.04') });
    expect(portfolio.dailyPnl()).toBe(fx('-10.04'));
  });

  it('adds grid round trips per grid', () => {
    const { portfolio, roundTrip } = setup();
    roundTrip('G2', 'ETHUSDT', '0.8');
    roundTrip('G1', 'BTCUSDT', '1.5');
    roundTrip('G2', 'ETHUSDT', '0.75');
    expect(portfolio.pnl().grids).toEqual([
      { gridId: 'G1', symbol: 'BTCUSDT', roundTrips: 1, profit: fx('1.5') },
      { gridId: 'G2', symbol: 'ETHUSDT', roundTrips: 2, profit: fx('1.55') },
    ]);
  });

  it('comes back from a snapshot with the same positions, grids and today', () => {
    const a = setup();
    a.fill('BTCUSDT', 'BUY', '1', '100', { feeQuote: fx('0.1') });
    a.fill('BTCUSDT', 'SELL', '0.25', '120');
    a.roundTrip('G1', 'BTCUSDT', '1');
    const b = setup(a.portfolio.snapshot());
    expect(b.portfolio.positions()).toEqual(a.portfolio.positions());
    expect(b.portfolio.pnl()).toEqual(a.portfolio.pnl());
    b.fill('BTCUSDT', 'SELL', '0.75', '120');
    expect(b.portfolio.position('BTCUSDT')).toMatchObject({ quantity: ZERO, realizedPnl: fx('20') });
  });
});
