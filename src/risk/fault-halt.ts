import type { Component, ComponentContext } from '../engine/index.js';
import type { TradingStateMachine } from './trading-state.js';

/**
 * Halts trading when any component faults: a component whose handler threw may hold half-changed state (an order not
 * tracked, a fill not booked), so nothing new goes out until the owner has read the log and restarted. Cancels still pass.
 */
export class FaultHalt implements Component {
  readonly name = 'fault-halt';

  constructor(private readonly state: Pick<TradingStateMachine, 'set'>) {}

  attach(context: ComponentContext): void {
    context.bus.on('ComponentFaulted', (m) => this.state.set('HALTED', `${m.component} failed on ${m.messageType}: ${m.error}`));
  }
}
