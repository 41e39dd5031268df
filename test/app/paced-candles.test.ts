import { describe, expect, it } from 'vitest';
import { pacedCandles, weightPerMinute } from '../../src/app/paced-candles.js';
import { ok } from '../../src/domain/index.js';
import type { CandleSource } from '../../src/market/index.js';

/** A pace on a hand clock: each wait moves the clock, so the calls' times are exactly what the pace chose. */
function handPace(weightPerMinute: number) {
  let t = 0;
  return { weightPerMinute, now: () => t, wait: async (ms: number) => void (t += ms), at: () => t };
}

describe('pacedCandles', () => {
  it('spends at most a quarter of the request weight after a burst of 30 calls: 1,000 symbols take 4 minutes', async () => {
    const pace = handPace(6_000);
    const calledAt: number[] = [];
    const source: CandleSource = { candles: async () => (calledAt.push(pace.at()), ok([])) };
    const paced = pacedCandles(source, pace);
    for (let i = 0; i < 3_000; i++) await paced.candles(`S${i}`, '1m', { limit: 1000 });
    expect(calledAt).toHaveLength(3_000);
    // The burst goes at once; then one klines call (weight 2) every 80 ms: 1,500 weight a minute of Binance's 6,000.
    expect(calledAt.slice(0, 30).every((t) => t === 0)).toBe(true);
    expect(calledAt[30]).toBe(80);
    expect(calledAt[2_999]).toBe(80 * 2_970);
    const lastMinute = calledAt.filter((t) => t > calledAt[2_999]! - 60_000).length;
    expect(lastMinute * 2).toBeLessThanOrEqual(1_500);
  });

  it('lets a bot of a few symbols read its history without waiting', async () => {
    const pace = handPace(6_000);
    const paced = pacedCandles({ candles: async () => ok([]) }, pace);
    for (let i = 0; i < 6; i++) await paced.candles('BTCUSDT', '1h', { limit: 10 });
    expect(pace.at()).toBe(0);
  });

  it('answers every call after stop at once with a failure, the exchange not asked', async () => {
    const pace = handPace(6_000);
    let asked = 0;
    const paced = pacedCandles({ candles: async () => (asked++, ok([])) }, pace);
    for (let i = 0; i < 40; i++) await paced.candles('BTCUSDT', '1m', { limit: 10 });
    paced.stop();
    const at = pace.at();
    const r = await paced.candles('BTCUSDT', '1m', { limit: 10 });
    expect(r.ok).toBe(false);
    expect(asked).toBe(40);
    expect(pace.at()).toBe(at);
  });

  it("reads the weight per minute from exchangeInfo's limits, Binance spot's 6,000 when none is given", () => {
    expect(weightPerMinute([{ rateLimitType: 'REQUEST_WEIGHT', limit: 6000, windowMs: 60_000 }])).toBe(6000);
    expect(
      weightPerMinute([
        { rateLimitType: 'ORDERS', limit: 50, windowMs: 10_000 },
        { rateLimitType: 'REQUEST_WEIGHT', limit: 100, windowMs: 1_000 },
      ]),
    ).toBe(6000);
    expect(weightPerMinute([])).toBe(6000);
  });
});
