/**
 * A component's life, after NautilusTrader's component state table, cut to what telegrid needs: attached to the host
 * (READY), started (RUNNING), stopped (STOPPED), or FAULTED when one of its handlers threw. FAULTED is final for the
 * process: the component's state may be half-changed, so it hears nothing more and trading stays halted until a restart.
 */
export type ComponentState = 'READY' | 'RUNNING' | 'STOPPED' | 'FAULTED';

const MOVES: Readonly<Record<ComponentState, readonly ComponentState[]>> = {
  READY: ['RUNNING', 'STOPPED', 'FAULTED'],
  RUNNING: ['STOPPED', 'FAULTED'],
  // A component stopped at shutdown can still be found to have thrown while the last messages drained.
  STOPPED: ['FAULTED'],
  FAULTED: [],
};

/** The state after `to`, or the current one when the move is not in the table. */
export function moveComponent(from: ComponentState, to: ComponentState): ComponentState {
  return MOVES[from].includes(to) ? to : from;
}
