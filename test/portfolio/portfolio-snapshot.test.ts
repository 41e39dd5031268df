import { describe, expect, it } from 'vitest';
import { type Fixed, type Side, ZERO, fixed, fx, decodeJson, encodeJson } from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { MarketWatch } from '../../src/market/index.js';
import { Portfolio, type PortfolioState } from '../../src/portfolio/index.js';
import { portfolioState } from '../../src/store/schemas/index.js';
import { aFill, aTradeTicked } from '../kit/builders.js';
import { expectPlain } from '../kit/plain-data.js';
import { ownerFills, roundTrips } from './portfolio-events.js';

/** The store's own codec: a snapshot that survives it is plain data. */
const toJson = encodeJson;
const fromJson = decodeJson;

const DAY = 86_400_000;
const BASES: Record<string, string> = { BTCUSDT: 'BTC', ETHUSDT: 'ETH', BNBUSDT: 'BNB' };

function node(time = 10 * DAY + 1_000) {
  const clock = new ManualClock(time);
  const kernel = new BusHost(clock, new SequentialIds());
  const market = new MarketWatch();
  const portfolio = new Portfolio({ baseAssetOf: (s) => BASES[s], lastPrice: (s) => market.lastPrice(s) });
  kernel.add(market).add(portfolio);
  const published: string[] = [];
  kernel.bus.on('PositionChanged', (m) => published.push(m.type));
  const book = ownerFills(kernel);
  const fill = (symbol: string, side: Side, qty: string, price: string, fee: { commission: Fixed; asset: string; feeQuote?: Fixed }) =>
    book(symbol, side, qty, price, { commission: fee.commission, commissionAsset: fee.asset, feeQuote: fee.feeQuote ?? ZERO });
  const tick = (symbol: string, price: string) =>
    kernel.bus.publish(aTradeTicked({ symbol, price: fx(price), quantity: fx('1'), time: clock.now(), tradeId: 0 }));
  const balances = (...bs: [string, string, string][]) =>
    kernel.bus.publish({
      type: 'BalancesReported',
      balances: bs.map(([asset, free, locked]) => ({ asset, free: fx(free), locked: fx(locked) })),
      time: clock.now(),
    });
  const roundTrip = roundTrips(kernel);
  return { clock, kernel, portfolio, published, fill, tick, balances, roundTrip };
}

/** A portfolio with base-asset fees, a quote fee, an unpriced BNB fee, balances, pending credits and grids. */
function busy() {
  const a = node();
  a.balances(['USDT', '10000', '0'], ['BTC', '0', '0'], ['ETH', '1', '0']);
  a.tick('BTCUSDT', '100');
  a.fill('BTCUSDT', 'BUY', '1', '100', { commission: fx('0.001'), asset: 'BTC', feeQuote: fx('0.1') });
  a.fill('BTCUSDT', 'BUY', '0.5', '103', { commission: fx('0.0005'), asset: 'BTC', feeQuote: fx('0.0515') });
  a.fill('ETHUSDT', 'BUY', '2', '50', { commission: fx('0.01'), asset: 'BNB' }); // no BNBUSDT price yet: unpriced
  a.fill('BTCUSDT', 'SELL', '0.4', '110', { commission: fx('0.044'), asset: 'USDT', feeQuote: fx('0.044') });
  a.roundTrip('G1', 'BTCUSDT', '1.5');
  a.roundTrip('G2', 'ETHUSDT', '0.25');
  a.roundTrip('G1', 'BTCUSDT', '0.5');
  // G3 starts on ETHUSDT at 50 taking 1 ETH the account holds, and sells it at 51 (books since its start, fees per asset).
  a.kernel.bus.publish({
    type: 'GridStarted',
    gridId: 'G3',
    symbol: 'ETHUSDT',
    levels: 1,
    orders: 2,
    requested: 2,
    startPrice: fx('50'),
    quoteForBuys: fx('49'),
    baseForSells: fx('1'),
    baseFromHoldings: fx('1'),
  });
  a.kernel.bus.publish(
    aFill({
      clientOrderId: 'tg_G3_2_S1',
      symbol: 'ETHUSDT',
      side: 'SELL',
      owner: { kind: 'grid', gridId: 'G3' },
      price: fx('51'),
      quantity: fx('1'),
      time: a.clock.now(),
      tradeId: 99,
    }),
  );
  a.tick('BTCUSDT', '107');
  a.tick('ETHUSDT', '49');
  return a;
}

/** The last trades `busy()` left the market at. */
function marketAsIn(n: ReturnType<typeof node>): void {
  n.tick('BTCUSDT', '107');
  n.tick('ETHUSDT', '49');
}

const views = (p: Portfolio) => ({
  positions: p.positions(),
  pnl: p.pnl(),
  daily: p.dailyPnl(),
  balances: p.balances(),
  btc: p.freeBalance('BTC'),
  qty: p.positionQty('BTCUSDT'),
  grids: p.gridPnls(),
});

describe('portfolio state', () => {
  it('exports plain data that survives JSON', () => {
    const a = busy();
    const s = a.portfolio.exportState();
    expectPlain(s);
    expect(fromJson(toJson(s))).toEqual(s);
    expect(s.version).toBe(1);
    expect(s.credits.map((c) => c.asset)).toEqual(['BTC', 'ETH', 'USDT']);
    expect(s.unpricedFees).toEqual([{ asset: 'BNB', amount: fx('0.01') }]);
  });

  it('imports into a fresh portfolio with the same views, publishing nothing', () => {
    const a = busy();
    const b = node(a.clock.now());
    b.portfolio.importState(fromJson(toJson(a.portfolio.exportState())));
    expect(b.published).toEqual([]);
    // Prices are the market's, not saved with the portfolio: the restarted feed brings them.
    marketAsIn(b);
    expect(views(b.portfolio)).toEqual(views(a.portfolio));
    expect(b.portfolio.exportState()).toEqual(a.portfolio.exportState());
  });

  it('continues the same arithmetic after import', () => {
    const a = busy();
    const b = node(a.clock.now());
    b.portfolio.importState(fromJson(toJson(a.portfolio.exportState())));
    marketAsIn(b);
    for (const n of [a, b]) {
      n.clock.advance(1_000);
      n.fill('BTCUSDT', 'SELL', '1.0985', '111', { commission: fx('0.121'), asset: 'USDT', feeQuote: fx('0.121') });
      n.tick('BNBUSDT', '600');
      n.fill('ETHUSDT', 'SELL', '1', '52', { commission: fx('0.001'), asset: 'BNB' }); // priced now: 0.6 USDT
      n.balances(['BTC', '0', '0']); // the venue's snapshot replaces the BTC credit
      n.roundTrip('G2', 'ETHUSDT', '1');
    }
    expect(views(b.portfolio)).toEqual(views(a.portfolio));
    expect(b.portfolio.position('BTCUSDT')?.quantity).toBe(ZERO);
    expect(b.portfolio.exportState()).toEqual(a.portfolio.exportState());
  });

  it("keeps today's figures on the same day and drops them on the next", () => {
    const a = busy();
    const s = fromJson<PortfolioState>(toJson(a.portfolio.exportState()));
    const sameDay = node(a.clock.now() + 60_000);
    sameDay.portfolio.importState(s);
    marketAsIn(sameDay);
    expect(sameDay.portfolio.pnl().today).toBe(a.portfolio.pnl().today);
    const nextDay = node(11 * DAY + 5);
    nextDay.portfolio.importState(s);
    let unrealized = ZERO;
    for (const p of nextDay.portfolio.positions()) unrealized += p.unrealizedPnl;
    expect(nextDay.portfolio.dailyPnl()).toBe(unrealized);
    expect(nextDay.portfolio.pnl().realized).toBe(a.portfolio.pnl().realized);
  });

  it('until the feed brings a price, marks positions at their last fill', () => {
    const a = busy();
    const b = node(a.clock.now());
    b.portfolio.importState(fromJson<PortfolioState>(toJson(a.portfolio.exportState())));
    expect(b.portfolio.position('BTCUSDT')).not.toHaveProperty('lastPrice');
    const btc = a.portfolio.position('BTCUSDT');
    // Marked at the last fill (110) instead of the last trade (107).
    expect(b.portfolio.position('BTCUSDT')?.unrealizedPnl).toBe(
      (btc?.unrealizedPnl ?? ZERO) + fixed.mul(btc?.quantity ?? ZERO, fx('3'), 'halfEven'),
    );
    b.tick('BTCUSDT', '107');
    b.tick('ETHUSDT', '49');
    expect(b.portfolio.positions()).toEqual(a.portfolio.positions());
  });

  it('replaces whatever it held, and takes a full state as its initial one', () => {
    const a = busy();
    const s = fromJson<PortfolioState>(toJson(a.portfolio.exportState()));
    const b = node(a.clock.now());
    b.fill('XRPUSDT', 'BUY', '10', '1', { commission: ZERO, asset: 'USDT' });
    b.balances(['XRP', '10', '0']);
    b.portfolio.importState(s);
    marketAsIn(b);
    expect(views(b.portfolio)).toEqual(views(a.portfolio));

    const c = new Portfolio({ baseAssetOf: (x) => BASES[x], initial: s });
    expect(c.exportState()).toEqual(s);
  });

  it("keeps each grid's books and the fees per asset, and loads a state written before either existed", () => {
    const a = busy();
    const s = a.portfolio.exportState();
    expect(s.grids.find((g) => g.gridId === 'G3')?.since).toMatchObject({ startPrice: fx('50'), investment: fx('99'), base: ZERO });
    expect(s.feesByAsset?.map((f) => f.asset)).toEqual(['BNB', 'BTC', 'USDT']);
    // The store's schema takes it, and an older document without the new fields too.
    expect(portfolioState.parse(JSON.parse(toJson(s)))).toEqual(s);
    const { feesByAsset: _dropped, ...older } = { ...s, grids: s.grids.map(({ since: _since, ...g }) => g) };
    const loaded = portfolioState.parse(JSON.parse(toJson(older)));
    const b = node(a.clock.now());
    b.portfolio.importState(loaded);
    marketAsIn(b);
    expect(b.portfolio.gridPnl('G3')).toEqual({ gridId: 'G3', symbol: 'ETHUSDT', roundTrips: 0, gridProfit: ZERO });
    expect(b.portfolio.positions()).toEqual(a.portfolio.positions());
  });

  it('refuses an unknown version', () => {
    const a = busy();
    const s = a.portfolio.exportState();
    expect(() => node().portfolio.importState({ ...s, version: 2 as unknown as 1 })).toThrow(/version/);
  });
});
