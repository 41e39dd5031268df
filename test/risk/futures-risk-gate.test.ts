import { describe, expect, it } from 'vitest';
import {
  FLAT_POSITION,
  type Fixed,
  type FuturesPosition,
  type Instrument,
  type LiquidationMargin,
  catalogInstrument,
  fx,
} from '../../src/domain/index.js';
import type { FuturesRiskView, RiskLimits } from '../../src/risk/index.js';
import { btcBrackets } from '../domain/futures/brackets-file.js';
import { anIntent } from '../kit/builders.js';
import { FakeRiskView, riskGateRig } from '../kit/risk-rig.js';

/** The perpetual BTCUSDT.P at x5 on isolated margin, flat, 1,000 USDT available, mark 95,000. */
class FakeFutures implements FuturesRiskView {
  positionNow: FuturesPosition = FLAT_POSITION;
  lev = 5;
  available = fx('1000');
  isolated = fx('0');
  position() {
    return this.positionNow;
  }
  leverage() {
    return this.lev;
  }
  brackets() {
    return btcBrackets();
  }
  mark() {
    return fx('95000');
  }
  availableMargin() {
    return this.available;
  }
  liquidationMargin(_symbol: string, added: Fixed): LiquidationMargin {
    return { mode: 'isolated', wallet: this.isolated + added };
  }
}

function setup(limits: RiskLimits = {}) {
  const view = new FakeRiskView({ 'BTCUSDT.P': '95000' });
  const btc = catalogInstrument('BTCUSDT') as Instrument;
  view.instrument = (s: string) => (s === 'BTCUSDT.P' ? { ...btc, symbol: 'BTCUSDT.P' } : catalogInstrument(s));
  const futures = new FakeFutures();
  Object.assign(view, { futures });
  const rig = riskGateRig(limits, view);
  const perp = (over: Parameters<typeof anIntent>[0] = {}) => anIntent({ symbol: 'BTCUSDT.P', ...over });
  return { ...rig, futures, perp };
}

describe('RiskGate on a perpetual', () => {
  it('judges margin, not spot balances: a sell with no BTC held opens a short', () => {
    const { submit, perp } = setup();
    // 0.01 BTC at 95,000 on x5 needs 190 USDT of margin; no BTC is needed to sell.
    expect(submit(perp({ side: 'SELL', quantity: fx('0.01') }))[0]?.type).toBe('PlaceOrder');
  });

  it('reserves approved margin until the venue has it, so a burst cannot overspend', () => {
    const { submit, perp, futures } = setup();
    futures.available = fx('380');
    expect(submit(perp({ quantity: fx('0.01') }))[0]?.type).toBe('PlaceOrder');
    expect(submit(perp({ quantity: fx('0.01') }))[0]?.type).toBe('PlaceOrder');
    const third = submit(perp({ quantity: fx('0.01') }))[0];
    expect(third).toMatchObject({ type: 'OrderDenied', code: 'INSUFFICIENT_MARGIN' });
    expect(third?.type === 'OrderDenied' && third.numbers).toEqual({ required: '190', available: '0', reserved: '380' });
  });

  it('denies leverage over the limit', () => {
    const { submit, perp, futures } = setup({ maxLeverage: 3 });
    expect(submit(perp())[0]).toMatchObject({
      type: 'OrderDenied',
      code: 'MAX_LEVERAGE',
      message: 'BTCUSDT.P is at x5, over the x3 limit',
    });
    futures.lev = 3;
    expect(submit(perp())[0]?.type).toBe('PlaceOrder');
  });

  it('denies an order that leaves liquidation within the setting; a reduce-only one passes with no margin', () => {
    const { submit, perp, futures } = setup({ minLiquidationDistancePct: fx('15') });
    futures.lev = 20;
    // On x20 isolated, 0.01 BTC bought at 95,000 with 47.5 USDT of margin liquidates about 4.6 % below.
    const d = submit(perp({ quantity: fx('0.01') }))[0];
    expect(d).toMatchObject({ type: 'OrderDenied', code: 'NEAR_LIQUIDATION' });
    futures.positionNow = { amount: fx('0.01'), entryPrice: fx('95000'), entryNotional: fx('950'), openingFees: 0n };
    futures.available = 0n;
    expect(submit(perp({ side: 'SELL', quantity: fx('0.01'), reduceOnly: true, reducesPosition: true }))[0]?.type).toBe('PlaceOrder');
  });

  it('denies perpetual orders when the bot has no USD-M account', () => {
    const view = new FakeRiskView({ 'BTCUSDT.P': '95000' });
    const btc = catalogInstrument('BTCUSDT') as Instrument;
    view.instrument = (s: string) => (s === 'BTCUSDT.P' ? { ...btc, symbol: 'BTCUSDT.P' } : catalogInstrument(s));
    const { submit } = riskGateRig({}, view);
    expect(submit(anIntent({ symbol: 'BTCUSDT.P' }))[0]).toMatchObject({ type: 'OrderDenied', code: 'UNKNOWN_SYMBOL' });
  });
});
