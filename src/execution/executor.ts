import type { ExecutionReport } from '../domain/index.js';
import type { Component } from '../engine/index.js';

/** How a cancel (or a sweep of a symbol) ended, for the kill switch's receipt. */
export type CancelOutcome =
  { readonly ok: true; readonly reports: readonly ExecutionReport[] } | { readonly ok: false; readonly reason: string };

/**
 * What the engine asks of execution besides the bus's PlaceOrder/CancelOrder: the in-process DirectExecutor (tests,
 * benchmarks) and the BullMQ pipeline both provide it.
 */
export interface Executor extends Component {
  /** Resolves when every order action handed to it so far has been answered. */
  settled(): Promise<void>;
  /** Cancels one order at top priority; callers asking for the same order while one is out share its answer. */
  cancel(symbol: string, clientOrderId: string): Promise<CancelOutcome>;
}
