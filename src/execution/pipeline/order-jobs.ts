import { type ExecutionReport, ORDER_QUEUES, type OrderIntent } from '../../domain/index.js';
import type { SweepOutcome, SweepTarget } from '../executor.js';

/**
 * The two queues of the order pipeline. Cancels (and the kill switch's work) have a queue of their own, so no
 * placement backlog, and no pause of placements after a 429, ever stands in front of them. Their names are in the
 * key table (domain/redis-keys.ts): BullMQ keeps each under `<prefix>:<queue>:`.
 */
export const PLACE_QUEUE = ORDER_QUEUES.place;
export const CANCEL_QUEUE = ORDER_QUEUES.cancel;

/**
 * Job ids: a placement's (and a cancel's) is the order's client order id, so enqueueing the same action twice is a
 * no-op; a sweep's is its own (never a bot client id, which starts with tg_). BullMQ forbids ':' in ids.
 */
export function placeJobId(clientOrderId: string): string {
  return clientOrderId;
}

export function cancelJobId(clientOrderId: string): string {
  return clientOrderId;
}

/** The kill switch's sweep: one job for every symbol, so their requests leave together. */
export const SWEEP_JOB_ID = 'sweep-KILL';

/** Job payloads travel as our exact JSON (bigints kept) in one string field, since BullMQ stores plain JSON. */
export type OrderJob =
  /** `verify`: queued again at a restart, when an earlier job may have placed it: the exchange is asked first. */
  | { readonly action: 'place'; readonly intent: OrderIntent; readonly verify?: boolean }
  | { readonly action: 'cancel'; readonly symbol: string; readonly clientOrderId: string; readonly reason: string }
  /**
   * The kill switch's sweep, every target symbol at once: lists its open orders and cancels the bot's (one cancel-all
   * when every order there is the bot's), and asks after each of `ask` (the bot's orders on the symbol as it knows
   * them) that is not listed. Each request waits at most `timeoutMs`; what gets no answer is reported unanswered.
   */
  | { readonly action: 'sweep'; readonly targets: readonly SweepTarget[]; readonly timeoutMs: number };

export interface EncodedJob {
  readonly payload: string;
}

/** What a finished job reports back to the bot, whichever process ran it. */
export type JobOutcome =
  /** The venue's answer: the order as placed, or as it ended when cancelled (or found already done). */
  | {
      readonly kind: 'report';
      readonly report: ExecutionReport;
      /** The answer to asking about the order (a re-run, an unknown outcome settled), not to placing it. */
      readonly asked?: true;
    }
  /** The venue refused, or trading was halted before it went out: nothing reached the exchange. */
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string }
  /** Asked for longer than the settle window and still no answer: the owner is told; the reconciler keeps asking. */
  | { readonly kind: 'unknown'; readonly code: string; readonly message: string }
  | { readonly kind: 'sweep'; readonly sweeps: readonly { readonly symbol: string; readonly sweep: SweepOutcome }[] };
