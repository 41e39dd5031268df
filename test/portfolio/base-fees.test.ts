import { describe, expect, it } from 'vitest';
import { type Side, fx } from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { Portfolio } from '../../src/portfolio/index.js';
import { aFill } from '../kit/builders.js';

/** Binance takes a buy's commission in the base asset: the position is what actually arrived. */
describe('portfolio with fees paid in base', () => {
  function setup() {
    const kernel = new BusHost(new ManualClock(1_000), new SequentialIds());
    const portfolio = new Portfolio({ baseAssetOf: (s) => (s === 'BTCUSDT' ? 'BTC' : undefined) });
    kernel.add(portfolio);
    let id = 0;
    // The fee valued in quote follows from the fill (a BTC fee at the fill price), as the tracker values it.
    const fill = (side: Side, qty: string, price: string, commission: string, commissionAsset: string) =>
      kernel.bus.publish(
        aFill({
          clientOrderId: `tg_m_${++id}`,
          side,
          owner: { kind: 'manual' },
          tradeId: id,
          price: fx(price),
          quantity: fx(qty),
          commission: fx(commission),
          commissionAsset,
        }),
      );
    return { portfolio, fill };
  }

  it('holds what arrived, keeps the average, and nets PnL to the cash that moved', () => {
    const { portfolio, fill } = setup();
    fill('BUY', '1', '100', '0.001', 'BTC');
    let p = portfolio.position('BTCUSDT')!;
    expect(p.quantity).toBe(fx('0.999'));
    expect(p.avgCost).toBe(fx('100'));
    expect(p.fees).toBe(fx('0.1'));

    fill('SELL', '0.999', '110', '0.10989', 'USDT');
    p = portfolio.position('BTCUSDT')!;
    expect(p.quantity).toBe(0n);
    expect(p.realizedPnl).toBe(fx('9.99'));
    // Spent 100, received 109.89 − 0.10989: the owner is up 9.78011, and realized − fees says exactly that.
    expect(p.realizedPnl - p.fees).toBe(fx('9.78011'));
  });

  it('goes exactly flat when a sell closes a position built from fee-netted buys', () => {
    const { portfolio, fill } = setup();
    fill('BUY', '0.5', '100', '0.0005', 'BTC');
    fill('BUY', '0.5', '90', '0.0005', 'BTC');
    fill('SELL', '0.999', '95', '0.094905', 'USDT');
    const p = portfolio.position('BTCUSDT')!;
    expect(p.quantity).toBe(0n);
    expect(p.realizedPnl - p.fees).toBe(fx('0.999') * 95n - fx('95') - fx('0.094905'));
  });
});

describe('free balance between a fill and the venue snapshot', () => {
  it('counts what a fill brought in until the snapshot that includes it replaces the figure, never twice', () => {
    const kernel = new BusHost(new ManualClock(1_000), new SequentialIds());
    const portfolio = new Portfolio({ baseAssetOf: () => 'BTC' });
    kernel.add(portfolio);
    kernel.bus.publish({ type: 'BalancesReported', balances: [{ asset: 'BTC', free: 0n, locked: 0n }], time: 1 });
    kernel.bus.publish(
      aFill({
        clientOrderId: 'tg_G1_1_B0',
        time: 2,
        price: fx('100'),
        quantity: fx('1'),
        commission: fx('0.001'),
        commissionAsset: 'BTC',
        isMaker: false,
      }),
    );
    expect(portfolio.freeBalance('BTC')).toBe(fx('0.999')); // a re-arm placed now can sell what arrived
    kernel.bus.publish({ type: 'BalancesReported', balances: [{ asset: 'BTC', free: fx('0.999'), locked: 0n }], time: 3 });
    expect(portfolio.freeBalance('BTC')).toBe(fx('0.999'));
  });
});
