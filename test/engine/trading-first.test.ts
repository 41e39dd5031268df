import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TradingFirst } from '../../src/engine/index.js';

beforeEach(() => vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'clearTimeout'] }));
afterEach(() => vi.useRealTimers());

describe('TradingFirst', () => {
  it('runs off-path work on a later turn, in the order it was handed in', () => {
    const gate = new TradingFirst();
    const ran: string[] = [];
    gate.later(() => ran.push('a'));
    gate.later(() => ran.push('b'));
    expect(ran).toEqual([]);
    vi.runOnlyPendingTimers();
    expect(ran).toEqual(['a', 'b']);
  });

  it('holds the work while an order is on its way, and runs it on the turn after the last release', () => {
    const gate = new TradingFirst(20);
    const ran: string[] = [];
    const first = gate.hold();
    const second = gate.hold();
    gate.later(() => ran.push('line'));
    vi.advanceTimersByTime(5);
    expect(ran).toEqual([]);
    first();
    first(); // a second call of the same release counts nothing
    vi.advanceTimersByTime(1);
    expect(ran).toEqual([]);
    second();
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(ran).toEqual(['line']);
  });

  it('runs the work at most its bound late when orders keep coming', () => {
    const gate = new TradingFirst(20);
    const ran: string[] = [];
    gate.hold();
    gate.later(() => ran.push('first'));
    vi.advanceTimersByTime(19);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual(['first']);
    // Still held: the next work waits its own bound again.
    gate.later(() => ran.push('second'));
    vi.advanceTimersByTime(19);
    expect(ran).toEqual(['first']);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual(['first', 'second']);
  });
});
