import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Fixed, fx, liquidationPrice, parseLeverageBrackets } from '../../../src/domain/index.js';
import type { FuturesEvent } from '../../../src/sandbox/futures/index.js';
import { kinds, limit, market, rig } from './fixtures.js';

const BTC_BRACKETS = parseLeverageBrackets(
  JSON.parse(
    readFileSync(new URL('../../../../shared/data/futures/um/json/BTCUSDT-ETHUSDT-leverageBracket.json', import.meta.url), 'utf8'),
  ),
).find((b) => b.symbol === 'BTCUSDT')!;

/** The liquidation fill among events: [order type, client id, price, qty, execution]. */
function liquidationFill(events: readonly FuturesEvent[]): [string, string, Fixed | undefined, Fixed | undefined, string] | undefined {
  for (const e of events)
    if (e.type === 'order' && e.order.type === 'LIQUIDATION')
      return [e.order.type, e.order.clientOrderId, e.fill?.price, e.fill?.quantity, e.execution];
  return undefined;
}

describe('FuturesEngine liquidation', () => {
  it('cross long x20: margin call first, then liquidated at exactly the price liquidationPrice() predicted', () => {
    const r = rig({ engine: { walletBalance: fx('1000') } });
    r.trade('60000');
    r.place(market('BUY', '0.3', 'long')); // notional 18000, IM 900, fee 9: wallet 991
    r.place(limit('BUY', '50000', '0.001', 'grid-bid'));
    const predicted = liquidationPrice(fx('0.3'), fx('18000'), BTC_BRACKETS, {
      mode: 'cross',
      wallet: fx('991'),
      otherMaintenance: 0n,
      otherUnrealizedPnl: 0n,
    })!.price;
    expect(r.position().liquidationPrice).toBe(predicted); // (991 − 18000)/(0.3·0.004 − 0.3) = 56924.36…
    expect(predicted).toBe(fx('56924.36412316'));

    expect(r.trade('56990')).toEqual([]); // margin ratio 0.0012·56990/(991 − 903) < 0.8
    const call = r.trade('56950'); // ratio 68.34/76 ≥ 0.8, balance still above maintenance
    expect(kinds(call)).toEqual(['marginCall']);
    expect(call[0]).toMatchObject({ crossWalletBalance: fx('991'), positions: [{ symbol: 'BTCUSDT', positionAmt: fx('0.3') }] });
    expect(r.trade('56940')).toEqual([]); // told once while it stays over the threshold
    expect(r.trade('57100')).toEqual([]); // back under: re-armed
    expect(kinds(r.trade('56950'))).toEqual(['marginCall']);

    r.clock.t += 1000;
    const crash = r.trade('56000'); // through the liquidation price in one trade
    expect(kinds(crash)).toEqual(['order:CANCELED:CANCELED', 'account:ORDER', 'order:CALCULATED:FILLED']);
    expect(liquidationFill(crash)).toEqual(['LIQUIDATION', `autoclose-${r.clock.t}`, predicted, fx('0.3'), 'CALCULATED']);
    expect(r.position()).toMatchObject({ positionAmt: 0n, liquidationPrice: 0n });
    expect(r.engine.openOrders()).toEqual({ ok: true, value: [] });
    // At the liquidation price the margin balance equals the maintenance margin; the clearance fee (1.25 % of the
    // notional) is larger, so it takes what is left and the wallet ends at zero, never below.
    const realized = r.engine.income().find((i) => i.incomeType === 'REALIZED_PNL')!.income;
    const clear = r.engine.income().find((i) => i.incomeType === 'INSURANCE_CLEAR')!.income;
    expect(realized).toBe(fx('-922.69076305')); // 0.3·(56924.36412316 − 60000), half-even
    expect(clear).toBe(-(fx('991') + realized));
    expect(r.engine.balances()[0]).toMatchObject({ walletBalance: 0n, availableBalance: 0n });
    expect(r.engine.getOrder('BTCUSDT', { clientOrderId: `autoclose-${r.clock.t}` })).toMatchObject({
      ok: true,
      value: { type: 'LIQUIDATION', status: 'FILLED', price: predicted, reduceOnly: true, side: 'SELL' },
    });
    // Nothing more happens once it is closed.
    expect(r.trade('50000')).toEqual([]);
  });

  it('isolated long x20: only the position wallet is lost, at the predicted price', () => {
    const r = rig();
    r.trade('60000');
    r.engine.setMarginType('BTCUSDT', 'ISOLATED', r.clock.t);
    r.place(market('BUY', '0.3', 'long')); // iw 900 − fee 9 = 891; cross 9100
    const predicted = liquidationPrice(fx('0.3'), fx('18000'), BTC_BRACKETS, { mode: 'isolated', wallet: fx('891') })!.price;
    expect(r.position().liquidationPrice).toBe(predicted);
    expect(kinds(r.trade('57300'))).toEqual(['marginCall']);
    const crash = r.trade('57000');
    expect(kinds(crash)).toEqual(['account:ORDER', 'order:CALCULATED:FILLED']); // the call was told at 57300
    expect(liquidationFill(crash)?.[2]).toBe(predicted);
    expect(r.engine.balances()[0]).toMatchObject({ walletBalance: fx('9100'), crossWalletBalance: fx('9100') });
    expect(r.position()).toMatchObject({ positionAmt: 0n, isolatedWallet: 0n });
  });

  it('cross short x20: liquidated on the way up at the predicted price', () => {
    const r = rig({ engine: { walletBalance: fx('1000') } });
    r.trade('60000');
    r.place(market('SELL', '0.3', 'short')); // wallet 991
    const predicted = liquidationPrice(fx('-0.3'), fx('18000'), BTC_BRACKETS, {
      mode: 'cross',
      wallet: fx('991'),
      otherMaintenance: 0n,
      otherUnrealizedPnl: 0n,
    })!.price;
    expect(predicted).toBe(fx('63051.12881806')); // (991 + 18000)/(0.3·0.004 + 0.3)
    const pump = r.trade('64000');
    expect(kinds(pump)).toEqual(['marginCall', 'account:ORDER', 'order:CALCULATED:FILLED']);
    expect(liquidationFill(pump)?.slice(2)).toEqual([predicted, fx('0.3'), 'CALCULATED']);
    expect(r.position().positionAmt).toBe(0n);
  });

  it('cross with two positions: the larger maintenance goes first at its predicted price, then the rest is judged afresh', () => {
    const r = rig({ engine: { walletBalance: fx('1500') } });
    r.trade('60000');
    r.trade('3000', '1', 'ETHUSDT');
    r.place(market('BUY', '0.2', 'btc')); // IM 600, fee 6
    r.place({ ...market('BUY', '2', 'eth'), symbol: 'ETHUSDT' }); // IM 300, fee 3: wallet 1491
    // BTC's maintenance (48) is the larger; ETH's 2·3000·0.004 = 24 and uPnL 0 are "the other positions".
    const predicted = liquidationPrice(fx('0.2'), fx('12000'), BTC_BRACKETS, {
      mode: 'cross',
      wallet: fx('1491'),
      otherMaintenance: fx('24'),
      otherUnrealizedPnl: 0n,
    })!.price;
    expect(r.position().liquidationPrice).toBe(predicted);
    r.clock.t += 1000;
    const crash = r.trade('52000');
    const fills = crash.flatMap((e) => (e.type === 'order' && e.fill ? [[e.order.clientOrderId, e.order.symbol, e.fill.price]] : []));
    expect(fills[0]).toEqual([`autoclose-${r.clock.t}-BTCUSDT`, 'BTCUSDT', predicted]);
    // The clearance fee takes what BTC's close left; ETH's maintenance is then uncovered and it is closed too.
    expect(fills.map((f) => f[1])).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect([r.position().positionAmt, r.position('ETHUSDT').positionAmt]).toEqual([0n, 0n]);
    expect(r.engine.balances()[0]).toMatchObject({ walletBalance: 0n });
  });

  it('the margin-call ratio is a setting', () => {
    const r = rig({ engine: { walletBalance: fx('1000'), marginCallRatio: fx('0.5') } });
    r.trade('60000');
    r.place(market('BUY', '0.3', 'long'));
    // At 57000: maintenance 68.4, balance 91: ratio 0.75 ≥ 0.5.
    expect(kinds(r.trade('57000'))).toEqual(['marginCall']);
  });

  it('funding that drains the margin liquidates in advance()', () => {
    const r = rig({ engine: { walletBalance: fx('1000') }, market: { fundingRate: fx('0.003') } });
    r.trade('60000');
    r.place(market('BUY', '0.3', 'long')); // wallet 991
    expect(r.trade('57000')).toEqual([]); // margin balance 91, maintenance 68.4: ratio 0.75
    const at8 = r.at(Date.UTC(2026, 0, 1, 8)); // funding 0.3·57000·0.003 = 51.3 → balance 39.7 < 68.4
    expect(kinds(at8)).toEqual(['account:FUNDING_FEE', 'marginCall', 'account:ORDER', 'order:CALCULATED:FILLED']);
    expect(r.position().positionAmt).toBe(0n);
  });
});
