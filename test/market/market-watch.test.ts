import { describe, expect, it } from 'vitest';
import { type TradeTick, fx } from '../../src/domain/index.js';
import { Bus, Kernel, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { MarketWatch } from '../../src/market/index.js';

const tick = (symbol: string, price: string, time: number): TradeTick => ({ symbol, price: fx(price), quantity: fx('1'), time, tradeId: time, isBuyerMaker: false });

describe('MarketWatch', () => {
  it('keeps the last price and time per symbol from the bus', () => {
    const kernel = new Kernel(new ManualClock(0), new SequentialIds());
    const watch = new MarketWatch();
    kernel.add(watch);
    kernel.bus.publish({ type: 'TradeTicked', tick: tick('BTCUSDT', '95000', 1000) });
    kernel.bus.publish({ type: 'TradeTicked', tick: tick('ETHUSDT', '3400', 1500) });
    kernel.bus.publish({ type: 'TradeTicked', tick: tick('BTCUSDT', '95001.5', 2000) });
    expect(watch.lastPrice('BTCUSDT')).toBe(fx('95001.5'));
    expect(watch.lastTime('BTCUSDT')).toBe(2000);
    expect(watch.quote('ETHUSDT')).toEqual({ symbol: 'ETHUSDT', lastPrice: fx('3400'), lastTime: 1500 });
    expect(watch.symbols()).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(watch.snapshot()).toHaveLength(2);
    expect(watch.lastPrice('SOLUSDT')).toBeUndefined();
  });

  it('calls a market stale once it is older than the limit, or never traded', () => {
    const watch = new MarketWatch();
    watch.observe(tick('BTCUSDT', '1', 10_000));
    expect(watch.isStale('BTCUSDT', 15_000, 5000)).toBe(false);
    expect(watch.isStale('BTCUSDT', 15_001, 5000)).toBe(true);
    expect(watch.isStale('ETHUSDT', 0, 5000)).toBe(true);
  });

  it("reports the last trade and its age on the injected clock", () => {
    const clock = new ManualClock(12_000);
    const watch = new MarketWatch({ clock });
    watch.observe(tick('BTCUSDT', '95000', 10_000));
    expect(watch.lastSeen('BTCUSDT')).toEqual({ price: fx('95000'), time: 10_000 });
    expect(watch.ageMs('BTCUSDT')).toBe(2000);
    expect(watch.ageMs('BTCUSDT', 10_500)).toBe(500);
    expect(watch.lastSeen('ETHUSDT')).toBeUndefined();
    expect(watch.ageMs('ETHUSDT')).toBeUndefined();
  });

  it('ignores a late tick', () => {
    const watch = new MarketWatch();
    watch.observe(tick('BTCUSDT', '2', 20));
    watch.observe(tick('BTCUSDT', '1', 10));
    expect(watch.quote('BTCUSDT')).toMatchObject({ lastPrice: fx('2'), lastTime: 20 });
  });

  it('stops listening when unsubscribed', () => {
    const bus = new Bus();
    const watch = new MarketWatch();
    const off = watch.listen(bus);
    off();
    bus.publish({ type: 'TradeTicked', tick: tick('BTCUSDT', '1', 1) });
    expect(watch.symbols()).toEqual([]);
  });
});
