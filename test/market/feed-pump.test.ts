import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type TradeTick, fx } from '../../src/domain/index.js';
import { MessageBus, ManualClock } from '../../src/engine/index.js';
import { FeedPump, type TickSource } from '../../src/market/index.js';
import { catalogSymbols, loadTape, syntheticTape } from '../../src/sandbox/tape/index.js';
import { FakeTimers } from './fake-timers.js';

const DATA = path.resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/data');

function tape(times: readonly number[]): TickSource {
  let i = 0;
  return {
    symbols: ['XUSDT'],
    next: (): TradeTick | undefined => {
      const time = times[i];
      if (time === undefined) return undefined;
      i++;
      return { symbol: 'XUSDT', price: fx('1'), quantity: fx('1'), time, tradeId: i, isBuyerMaker: false };
    },
  };
}

function recorder(bus: MessageBus, stamp: () => number = () => 0): Array<{ tick: TradeTick; at: number }> {
  const seen: Array<{ tick: TradeTick; at: number }> = [];
  bus.on('TradeTicked', (m) => seen.push({ tick: m.tick, at: stamp() }));
  return seen;
}

describe('FeedPump, synchronous drivers', () => {
  it('publishes a real tape in order, tick for tick', () => {
    const loaded = loadTape(path.join(DATA, 'TRXUSDT-trades-2025-03-04.csv'));
    if (!loaded.ok) throw new Error(loaded.error.message);
    const bus = new MessageBus();
    const seen = recorder(bus);
    const pump = new FeedPump(loaded.value, bus);
    expect(pump.symbols).toEqual(['TRXUSDT']);
    expect(pump.pump(4000)).toBe(4000);
    expect(pump.pump(1_000_000)).toBe(6000);
    expect(pump.ended).toBe(true);
    expect(pump.pump(1)).toBe(0);
    expect(pump.count).toBe(10_000);
    expect(seen.map((s) => s.tick)).toEqual(loaded.value.ticks);
  });

  it('pumps up to a market time and no further, then carries on', () => {
    const bus = new MessageBus();
    const seen = recorder(bus);
    const pump = new FeedPump(tape([10, 20, 20, 30, 45]), bus);
    expect(pump.pumpUntil(19)).toBe(1);
    expect(pump.nextTime()).toBe(20);
    expect(pump.pumpUntil(20)).toBe(2);
    expect(pump.pumpUntil(100)).toBe(2);
    expect(seen.map((s) => s.tick.time)).toEqual([10, 20, 20, 30, 45]);
    expect(pump.nextTime()).toBeUndefined();
  });

  it('moves a manual clock to each tick before handlers see it', () => {
    const bus = new MessageBus();
    const clock = new ManualClock(0);
    const seen = recorder(bus, () => clock.now());
    new FeedPump(tape([5, 7, 7, 9]), bus, { clock }).pump(10);
    expect(seen.map((s) => s.at)).toEqual([5, 7, 7, 9]);
    expect(clock.now()).toBe(9);
  });

  it('keeps order when a handler publishes in reaction to a tick', () => {
    const bus = new MessageBus();
    const order: string[] = [];
    bus.on('TradeTicked', (m) => {
      order.push(`tick${m.tick.tradeId}`);
      bus.publish({ type: 'TradingStateChanged', from: 'ACTIVE', to: 'ACTIVE', reason: String(m.tick.tradeId), time: m.tick.time });
    });
    bus.on('TradingStateChanged', (m) => order.push(`state${m.reason}`));
    new FeedPump(tape([1, 2]), bus).pump(2);
    expect(order).toEqual(['tick1', 'state1', 'tick2', 'state2']);
  });
});

describe('FeedPump, realtime driver on fake timers', () => {
  it('replays market time at speed× wall time', async () => {
    const timers = new FakeTimers();
    const bus = new MessageBus();
    const seen = recorder(bus, () => timers.now());
    const pump = new FeedPump(tape([1000, 2000, 2000, 6000, 12_000]), bus);
    const done = pump.runRealtime({ speed: 2, timers });
    expect(pump.running).toBe(true);
    expect(seen.map((s) => s.at)).toEqual([0]);
    timers.advance(499);
    expect(seen).toHaveLength(1);
    timers.advance(1);
    expect(seen.map((s) => s.at)).toEqual([0, 500, 500]);
    timers.advance(10_000);
    expect(seen.map((s) => s.at)).toEqual([0, 500, 500, 2500, 5500]);
    await expect(done).resolves.toBe('ended');
    expect(pump.running).toBe(false);
  });

  it('stops on request and keeps the next tick for later', async () => {
    const timers = new FakeTimers();
    const bus = new MessageBus();
    const seen = recorder(bus, () => timers.now());
    const pump = new FeedPump(tape([0, 100, 200, 300]), bus);
    const done = pump.runRealtime({ speed: 1, timers });
    timers.advance(150);
    pump.stop();
    await expect(done).resolves.toBe('stopped');
    expect(timers.pending).toBe(0);
    timers.advance(1000);
    expect(seen.map((s) => s.tick.time)).toEqual([0, 100]);
    expect(pump.pump(1)).toBe(1);
    expect(seen.map((s) => s.tick.time)).toEqual([0, 100, 200]);
  });

  it('can be stopped from a handler', async () => {
    const timers = new FakeTimers();
    const bus = new MessageBus();
    const pump = new FeedPump(tape([0, 0, 0, 0]), bus);
    bus.on('TradeTicked', (m) => {
      if (m.tick.tradeId === 2) pump.stop();
    });
    await expect(pump.runRealtime({ speed: 1, timers })).resolves.toBe('stopped');
    expect(pump.count).toBe(2);
  });

  it('yields to the event loop between batches when everything is due', async () => {
    const timers = new FakeTimers();
    const bus = new MessageBus();
    const pump = new FeedPump(tape(Array.from({ length: 25 }, (_, i) => i)), bus);
    const done = pump.runRealtime({ speed: Number.POSITIVE_INFINITY, timers, maxBatch: 10 });
    expect(pump.count).toBe(10);
    timers.advance(0);
    await expect(done).resolves.toBe('ended');
    expect(pump.count).toBe(25);
    expect(timers.delays).toEqual([0, 0]);
  });

  it('plays a minute of synthetic market in a wall second at 60×', async () => {
    const symbols = catalogSymbols(['BTCUSDT', 'ETHUSDT']);
    if (!symbols.ok) throw new Error(symbols.error.message);
    const timers = new FakeTimers();
    const bus = new MessageBus();
    const clock = new ManualClock(0);
    const pump = new FeedPump(syntheticTape({ symbols: symbols.value, seed: 1 }), bus, { clock });
    const first = recorder(bus, () => timers.now());
    void pump.runRealtime({ speed: 60, timers });
    timers.advance(1000);
    pump.stop();
    const span = clock.now() - (first[0]?.tick.time ?? 0);
    expect(span).toBeGreaterThan(59_000);
    expect(span).toBeLessThanOrEqual(60_000);
    const t0 = first[0]?.tick.time ?? 0;
    const late = first.filter((s) => {
      const due = (s.tick.time - t0) / 60;
      return s.at < due || s.at > due + 1;
    });
    expect(late).toEqual([]);
  });

  it('rejects, and stops, when a handler throws', async () => {
    const timers = new FakeTimers();
    const bus = new MessageBus();
    bus.on('TradeTicked', (m) => {
      if (m.tick.tradeId === 2) throw new Error('handler bug');
    });
    const pump = new FeedPump(tape([0, 10, 20]), bus);
    const done = pump.runRealtime({ speed: 1, timers });
    timers.advance(10);
    await expect(done).rejects.toThrow('handler bug');
    expect(pump.running).toBe(false);
  });

  it('refuses a second driver and a non-positive speed', () => {
    const timers = new FakeTimers();
    const pump = new FeedPump(tape([0, 1000]), new MessageBus());
    expect(() => pump.runRealtime({ speed: 0, timers })).toThrow(RangeError);
    void pump.runRealtime({ speed: 1, timers });
    expect(() => pump.runRealtime({ speed: 1, timers })).toThrow();
    expect(() => pump.pump(1)).toThrow();
    pump.stop();
  });
});
