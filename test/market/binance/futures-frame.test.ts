import { describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import { isMark, isSkip, parseFuturesFrame } from '../../../src/market/index.js';

const frame = (data: object) => JSON.stringify({ stream: 'x', data });

describe('parseFuturesFrame', () => {
  it("reads an aggTrade as the perpetual's trade, with the aggregate id as its trade id", () => {
    const r = parseFuturesFrame(frame({ e: 'aggTrade', E: 2, s: 'BTCUSDT', a: 7, p: '40000.1', q: '0.005', f: 9, l: 10, T: 1, m: true }));
    expect(r).toEqual({ symbol: 'BTCUSDT.P', price: fx('40000.1'), quantity: fx('0.005'), time: 1, tradeId: 7, isBuyerMaker: true });
  });

  it('reads a markPriceUpdate with its signed funding rate and next funding time', () => {
    const r = parseFuturesFrame(
      frame({ e: 'markPriceUpdate', E: 5, s: 'ETHUSDT', p: '2500.12345678', i: '2500', P: '2500', r: '-0.00012', T: 9 }),
    );
    expect(isMark(r) && r.mark).toEqual({
      symbol: 'ETHUSDT.P',
      markPrice: fx('2500.12345678'),
      fundingRate: fx('-0.00012'),
      nextFundingTime: 9,
      time: 5,
    });
  });

  it('skips what it cannot read, never throws', () => {
    for (const text of [
      'nope',
      frame({ e: 'trade', s: 'BTCUSDT' }),
      frame({ e: 'aggTrade', s: 'BTCUSDT', a: 1, p: '0', q: '1', T: 1, m: false }),
    ]) {
      expect(isSkip(parseFuturesFrame(text))).toBe(true);
    }
  });
});
