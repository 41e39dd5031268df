import type { ExecutionReport } from '../domain/index.js';
import type { Component } from '../engine/index.js';

/** How a cancel (or a sweep of a symbol) ended, for the kill switch's receipt. */
export type CancelOutcome =
  { readonly ok: true; readonly reports: readonly ExecutionReport[] } | { readonly ok: false; readonly reason: string };

/** One symbol for the kill switch's sweep: the bot's orders there as it knows them, asked after if not listed. */
export interface SweepTarget {
  readonly symbol: string;
  readonly ask: readonly string[];
}

/**
 * What one sweep of a symbol learned from the exchange, order by order, for the kill switch's receipt. Every order it
 * was asked about, or found open, lands in exactly one list.
 */
export interface SweepOutcome {
  /** False when the exchange did not list the symbol's open orders in time: only the orders asked about were cancelled. */
  readonly listed: boolean;
  /** Why the listing failed, in the exchange's words. */
  readonly problem?: string;
  /** One cancel-all request (weight 1) replaced the per-order cancels: every order open on the symbol was the bot's. */
  readonly cancelAll: boolean;
  /** The exchange's word on each order settled: cancelled by this sweep, or how it had already ended (filled, cancelled). */
  readonly reports: readonly ExecutionReport[];
  /** Asked about, and the exchange has no such order: it was never placed. */
  readonly absent: readonly string[];
  /** Cancels the exchange refused, with its reason (the order is not known to have ended). */
  readonly refused: readonly { readonly clientOrderId: string; readonly reason: string }[];
  /** Cancels and questions that got no answer in time: still unknown, to be asked again. */
  readonly unanswered: readonly string[];
}

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
