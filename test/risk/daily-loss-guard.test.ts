import { describe, expect, it } from 'vitest';
import { type Fixed, type MessageOf, ZERO, fx } from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { DailyLossGuard, TradingStateMachine } from '../../src/risk/index.js';
import { aTradeTicked } from '../kit/builders.js';

function setup(maxDailyLoss?: Fixed) {
  const clock = new ManualClock(0);
  const kernel = new BusHost(clock, new SequentialIds());
  const view = {
    pnl: ZERO,
    calls: 0,
    dailyPnl() {
      this.calls++;
      return this.pnl;
    },
  };
  const state = new TradingStateMachine(kernel.bus, clock);
  const guard = new DailyLossGuard({ view, state, ...(maxDailyLoss !== undefined ? { maxDailyLoss } : {}) });
  kernel.add(guard);
  const changes: MessageOf<'TradingStateChanged'>[] = [];
  kernel.bus.on('TradingStateChanged', (m) => changes.push(m));
  const tick = () => kernel.bus.publish(aTradeTicked({ quantity: fx('0.1'), time: clock.now() }));
  const positionChanged = () =>
    kernel.bus.publish({
      type: 'PositionChanged',
      symbol: 'BTCUSDT',
      quantity: ZERO,
      avgCost: ZERO,
      realizedPnl: view.pnl,
      unrealizedPnl: ZERO,
      fees: ZERO,
      time: clock.now(),
    });
  return { clock, view, state, guard, changes, tick, positionChanged };
}

describe('DailyLossGuard', () => {
  it('halts on a PositionChanged at the limit and says why', () => {
    const { view, state, changes, positionChanged } = setup(fx('100'));
    view.pnl = fx('-99.99');
    positionChanged();
    expect(state.state()).toBe('ACTIVE');
    view.pnl = fx('-100.5');
    positionChanged();
    expect(state.state()).toBe('HALTED');
    expect(changes).toEqual([
      { type: 'TradingStateChanged', from: 'ACTIVE', to: 'HALTED', reason: 'max daily loss: -100.5 ≤ −100', time: 0 },
    ]);
    positionChanged();
    expect(changes).toHaveLength(1);
  });

  it('looks at the PnL on ticks at most once per second of clock time', () => {
    const { view, clock, state, tick } = setup(fx('100'));
    tick();
    expect(view.calls).toBe(1);
    view.pnl = fx('-150');
    for (let k = 0; k < 999; k++) {
      clock.advance(1);
      tick();
    }
    expect(view.calls).toBe(1);
    expect(state.state()).toBe('ACTIVE');
    clock.advance(1);
    tick();
    expect(view.calls).toBe(2);
    expect(state.state()).toBe('HALTED');
  });

  it('does not look at the PnL on ticks once halted', () => {
    const { view, clock, state, tick } = setup(fx('100'));
    state.set('HALTED', 'kill');
    clock.advance(5_000);
    tick();
    expect(view.calls).toBe(0);
  });

  it('costs nothing when the limit is off', () => {
    const { view, state, tick, positionChanged, guard } = setup();
    view.pnl = fx('-1000000');
    tick();
    positionChanged();
    expect(view.calls).toBe(0);
    expect(guard.check()).toBe(false);
    expect(state.state()).toBe('ACTIVE');
  });

  it('halts from REDUCING too', () => {
    const { view, state, guard } = setup(fx('10'));
    state.set('REDUCING', 'owner');
    view.pnl = fx('-10');
    expect(guard.check()).toBe(true);
    expect(state.describe()).toMatchObject({ state: 'HALTED', reason: 'max daily loss: -10 ≤ −10' });
  });
});
