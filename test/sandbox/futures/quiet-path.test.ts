import { describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import { limit, market, rig } from './fixtures.js';

describe('FuturesEngine quiet path', () => {
  it('a trade crossing nothing where there is no position, and a clock tick with nothing due, return one shared empty array', () => {
    const r = rig();
    r.trade('60000');
    r.place(limit('BUY', '59000', '0.01', 'bid'));
    r.trade('3000', '1', 'ETHUSDT');
    r.place({ ...market('BUY', '1', 'eth'), symbol: 'ETHUSDT', quantity: fx('0.1') }); // a position elsewhere
    const tick = { symbol: 'BTCUSDT', price: fx('59500'), quantity: fx('1'), time: r.clock.t, tradeId: 1, isBuyerMaker: false };
    const first = r.engine.onTrade(tick);
    const second = r.engine.onTrade({ ...tick, price: fx('60500') });
    expect(first).toBe(second);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first).toHaveLength(0);
    expect(r.engine.advance(r.clock.t + 1)).toBe(first);
  });
});
