import { describe, expect, it } from 'vitest';
import { FundingRateSeries, format, fundingWalletChange, fx } from '../../../src/domain/index.js';
import type { FuturesEvent } from '../../../src/sandbox/futures/index.js';
import { START, kinds, market, rig } from './fixtures.js';

const H = 3_600_000;
const DAY0 = Date.UTC(2026, 0, 1);
const funding = (events: readonly FuturesEvent[]) => events.filter((e) => e.type === 'account' && e.reason === 'FUNDING_FEE');

describe('FuturesEngine funding', () => {
  it('settles at 08:00, 16:00 and 00:00: −positionAmt·mark·rate, floored, booked as FUNDING_FEE with an ACCOUNT_UPDATE', () => {
    const r = rig();
    r.trade('60000');
    r.place(market('BUY', '0.1', 'long')); // wallet 9997
    r.clock.t = DAY0 + 8 * H - 1;
    r.trade('60500');
    expect(r.at(DAY0 + 8 * H - 1)).toEqual([]);
    const at8 = r.at(DAY0 + 8 * H);
    // 0.1·60500·0.0001 = 0.605: the long pays.
    expect(at8).toEqual([
      {
        type: 'account',
        time: DAY0 + 8 * H,
        reason: 'FUNDING_FEE',
        balances: [{ asset: 'USDT', walletBalance: fx('9996.395'), crossWalletBalance: fx('9996.395'), balanceChange: fx('-0.605') }],
        positions: [], // cross: balances only
      },
    ]);
    expect(r.at(DAY0 + 8 * H + 1)).toEqual([]); // once per settlement

    // A jump over two settlements settles each, in order, at the mark current then.
    r.trade('61000');
    const jumped = r.at(DAY0 + 24 * H + 5);
    expect(funding(jumped).map((e) => e.time)).toEqual([DAY0 + 16 * H, DAY0 + 24 * H]);
    expect(
      r.engine
        .income()
        .filter((i) => i.incomeType === 'FUNDING_FEE')
        .map((i) => [format(i.income), i.time, i.info]),
    ).toEqual([
      ['-0.605', DAY0 + 8 * H, 'FUNDING_FEE'],
      ['-0.61', DAY0 + 16 * H, 'FUNDING_FEE'],
      ['-0.61', DAY0 + 24 * H, 'FUNDING_FEE'],
    ]);
    expect(r.engine.balances()[0]?.walletBalance).toBe(fx('9997') - fx('1.825'));
  });

  it('rounds once by floor: the payer pays the ceiling, the receiver gets the floor (domain fundingWalletChange)', () => {
    const long = rig();
    const short = rig();
    for (const r of [long, short]) r.trade('60000.01');
    long.place(market('BUY', '0.00123', 'l', { reduceOnly: false }));
    short.place(market('SELL', '0.00123', 's'));
    // 0.00123·60000.01·0.0001 = 0.00738000123
    expect(fundingWalletChange(fx('0.00123'), fx('60000.01'), fx('0.0001'))).toBe(fx('-0.00738001'));
    expect(funding(long.at(DAY0 + 8 * H))[0]).toMatchObject({ balances: [{ balanceChange: fx('-0.00738001') }] });
    expect(funding(short.at(DAY0 + 8 * H))[0]).toMatchObject({ balances: [{ balanceChange: fx('0.00738') }] });
  });

  it('isolated: the position wallet pays, and the event carries that position', () => {
    const r = rig();
    r.trade('60000');
    r.engine.setMarginType('BTCUSDT', 'ISOLATED', r.clock.t);
    r.place(market('BUY', '0.1', 'long')); // iw 297
    const [e] = funding(r.at(DAY0 + 8 * H));
    expect(e?.type === 'account' && [e.balances[0]?.crossWalletBalance, e.positions.map((p) => [p.symbol, p.isolatedWallet])]).toEqual([
      fx('9700'),
      [['BTCUSDT', fx('296.4')]], // 297 − 0.6
    ]);
  });

  it('a replayed series: its rate at each settlement (negative: shorts pay), nothing where it has no row', () => {
    const csv = ['calc_time,funding_interval_hours,last_funding_rate', `${DAY0 + 8 * H + 3},8,-0.00025`].join('\n');
    const series = FundingRateSeries.fromFiles([{ name: 'test.csv', text: csv }]);
    if (!series.ok) throw new Error(series.error.message);
    const r = rig({ market: { fundingSeries: { BTCUSDT: series.value } } });
    r.trade('60000');
    r.place(market('SELL', '0.1', 'short'));
    const events = r.at(DAY0 + 24 * H);
    expect(kinds(events)).toEqual(['account:FUNDING_FEE']); // 16:00 and 00:00 are past the series: none settled
    expect(events[0]).toMatchObject({ time: DAY0 + 8 * H, balances: [{ balanceChange: fx('-1.5') }] }); // −(−0.1)·60000·(−0.00025)
  });

  it('a position opened after a settlement owes nothing for it; the clock starts at the engine start', () => {
    const r = rig({ start: DAY0 + 8 * H + 1 });
    r.trade('60000');
    r.place(market('BUY', '0.1', 'long'));
    expect(funding(r.at(DAY0 + 16 * H - 1))).toEqual([]);
    expect(funding(r.at(DAY0 + 16 * H))).toHaveLength(1);
    expect(START).toBeLessThan(DAY0 + 8 * H);
  });
});
