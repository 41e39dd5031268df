import { describe, expect, it } from 'vitest';
import type { MessageOf } from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { TradingStateMachine } from '../../src/risk/index.js';

function setup() {
  const clock = new ManualClock(1_000);
  const kernel = new BusHost(clock, new SequentialIds());
  const events: MessageOf<'TradingStateChanged'>[] = [];
  kernel.bus.on('TradingStateChanged', (m) => events.push(m));
  return { clock, events, sm: new TradingStateMachine(kernel.bus, clock) };
}

describe('TradingStateMachine', () => {
  it('starts ACTIVE unless told otherwise', () => {
    const { sm } = setup();
    expect(sm.state()).toBe('ACTIVE');
    const kernel = new BusHost(new ManualClock(), new SequentialIds());
    expect(new TradingStateMachine(kernel.bus, kernel.clock, 'HALTED').state()).toBe('HALTED');
  });

  it('publishes each change with from, to, reason and the clock time', () => {
    const { sm, clock, events } = setup();
    expect(sm.set('REDUCING', 'owner asked')).toBe(true);
    clock.advance(500);
    expect(sm.set('HALTED', 'kill switch')).toBe(true);
    clock.advance(500);
    expect(sm.set('ACTIVE', 'resumed')).toBe(true);
    expect(events).toEqual([
      { type: 'TradingStateChanged', from: 'ACTIVE', to: 'REDUCING', reason: 'owner asked', time: 1_000 },
      { type: 'TradingStateChanged', from: 'REDUCING', to: 'HALTED', reason: 'kill switch', time: 1_500 },
      { type: 'TradingStateChanged', from: 'HALTED', to: 'ACTIVE', reason: 'resumed', time: 2_000 },
    ]);
    expect(sm.state()).toBe('ACTIVE');
    expect(sm.describe()).toEqual({ state: 'ACTIVE', reason: 'resumed', since: 2_000 });
  });

  it('publishes nothing when the state does not change', () => {
    const { sm, events } = setup();
    expect(sm.set('ACTIVE', 'again')).toBe(false);
    sm.set('HALTED', 'first');
    expect(sm.set('HALTED', 'second')).toBe(false);
    expect(events.map((e) => e.reason)).toEqual(['first']);
    expect(sm.describe().reason).toBe('first');
  });
});
