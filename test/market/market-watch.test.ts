import { describe, expect, it } from 'vitest';
import { type TradeTick, fx } from '../../src/domain/index.js';
import { MessageBus, BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { MarketWatch } from '../../src/market/index.js';

const tick = (symbol: string, price: string, time: number): TradeTick => ({
  symbol,
  price: fx(price),
  quantity: fx('1'),
  time,
  tradeId: time,
  isBuyerMaker: false,
});

describe('MarketWatch', () => {
  it('keeps the last price and time per symbol from the bus', () => {
    const kernel = new BusHost(new ManualClock(0), new SequentialIds());
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

  it('calls a market stale once no trade was received within the limit, or none ever was', () => {
    const clock = new ManualClock(10_000);
    const watch = new MarketWatch({ clock });
    watch.observe(tick('BTCUSDT', '1', 10_000));
    expect(watch.isStale('BTCUSDT', 15_000, 5000)).toBe(false);
    expect(watch.isStale('BTCUSDT', 15_001, 5000)).toBe(true);
    expect(watch.isStale('ETHUSDT', 0, 5000)).toBe(true);
  });

  it('reports the last trade, and its age since it was received on the injected clock', () => {
    const clock = new ManualClock(12_000);
    const watch = new MarketWatch({ clock });
    watch.observe(tick('BTCUSDT', '95000', 10_000));
    expect(watch.lastSeen('BTCUSDT')).toEqual({ price: fx('95000'), time: 10_000, receivedAt: 12_000 });
    clock.advance(2_000);
    expect(watch.ageMs('BTCUSDT')).toBe(2000);
    expect(watch.ageMs('BTCUSDT', 12_500)).toBe(500);
    expect(watch.lastSeen('ETHUSDT')).toBeUndefined();
    expect(watch.ageMs('ETHUSDT')).toBeUndefined();
  });

  it("measures age from arrival, never from the exchange's trade time: a replayed 2020 trade received now is fresh", () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const watch = new MarketWatch({ clock });
    watch.observe(tick('BTCUSDT', '7195.24', Date.UTC(2020, 0, 1)));
    expect(watch.ageMs('BTCUSDT')).toBe(0);
    expect(watch.isStale('BTCUSDT', clock.now(), 30_000)).toBe(false);
    clock.advance(30_001);
    expect(watch.isStale('BTCUSDT', clock.now(), 30_000)).toBe(true);
    // A late tick keeps the newer price but still proves the stream alive.
    watch.observe(tick('BTCUSDT', '7000', Date.UTC(2019, 0, 1)));
    expect(watch.lastSeen('BTCUSDT')).toMatchObject({ price: fx('7195.24'), receivedAt: clock.now() });
  });

  it('ignores a late tick', () => {
    const watch = new MarketWatch();
    watch.observe(tick('BTCUSDT', '2', 20));
    watch.observe(tick('BTCUSDT', '1', 10));
    expect(watch.quote('BTCUSDT')).toMatchObject({ lastPrice: fx('2'), lastTime: 20 });
  });

  it('stops listening when unsubscribed', () => {
    const bus = new MessageBus();
    const watch = new MarketWatch();
    const off = watch.listen(bus);
    off();
    bus.publish({ type: 'TradeTicked', tick: tick('BTCUSDT', '1', 1) });
    expect(watch.symbols()).toEqual([]);
  });
});
