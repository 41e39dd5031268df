import { describe, expect, it } from 'vitest';
import { kinds, limit, rig } from './fixtures.js';

describe('FuturesEngine countdownCancelAll', () => {
  it('arms, refreshes and fires once the clock reaches the deadline: every open order of that symbol only', () => {
    const r = rig();
    r.trade('60000');
    r.trade('3000', '1', 'ETHUSDT');
    const t0 = r.clock.t;
    r.place(limit('BUY', '59000', '0.001', 'b1'));
    r.place(limit('SELL', '61000', '0.001', 'a1'));
    r.place({ ...limit('BUY', '2900', '0.02', 'e1'), symbol: 'ETHUSDT' });
    expect(r.engine.countdownCancelAll('BTCUSDT', 10_000, t0).ok).toBe(true);
    expect(r.at(t0 + 5_000)).toEqual([]);
    r.engine.countdownCancelAll('BTCUSDT', 10_000, t0 + 5_000); // refreshed: now due at t0 + 15 s
    expect(r.at(t0 + 14_999)).toEqual([]);
    const fired = r.at(t0 + 15_000);
    expect(kinds(fired)).toEqual(['order:CANCELED:CANCELED', 'order:CANCELED:CANCELED']);
    expect(fired.map((e) => e.type === 'order' && [e.order.clientOrderId, e.time])).toEqual([
      ['b1', t0 + 15_000],
      ['a1', t0 + 15_000],
    ]);
    const open = r.engine.openOrders();
    expect(open.ok && open.value.map((o) => o.clientOrderId)).toEqual(['e1']);
    // Fired once: disarmed afterwards.
    r.place(limit('BUY', '59000', '0.001', 'b2'));
    expect(r.at(t0 + 60_000)).toEqual([]);
  });

  it('0 disarms; a negative countdown or an unknown symbol is refused', () => {
    const r = rig();
    r.trade('60000');
    r.place(limit('BUY', '59000', '0.001', 'b1'));
    r.engine.countdownCancelAll('BTCUSDT', 1_000, r.clock.t);
    r.engine.countdownCancelAll('BTCUSDT', 0, r.clock.t);
    expect(r.at(r.clock.t + 5_000)).toEqual([]);
    expect(r.engine.countdownCancelAll('BTCUSDT', -1, r.clock.t)).toMatchObject({ ok: false, error: { binanceCode: -1102 } });
    expect(r.engine.countdownCancelAll('NOPE', 1_000, r.clock.t)).toMatchObject({ ok: false, error: { binanceCode: -1121 } });
  });

  it('a trade past the deadline fires it too (the hub advances the clock on every trade)', () => {
    const r = rig();
    r.trade('60000');
    r.place(limit('BUY', '59000', '0.001', 'b1'));
    r.engine.countdownCancelAll('BTCUSDT', 1_000, r.clock.t);
    r.clock.t += 1_000;
    expect(kinds(r.trade('60001'))).toEqual(['order:CANCELED:CANCELED']);
  });
});
