import type { Redis } from 'ioredis';
import type { OrderIntent } from '../../domain/index.js';
import type { JobOutcome } from './order-jobs.js';
import type { PipelineTime } from './pipeline-time.js';
import type { Charge } from './rate-governor.js';

/** The replies to commands that rode on a state write, in the order they were sent. */
export type TxReplies = readonly (readonly [Error | null, unknown])[];
/** Commands sent right behind a state write, on its connection; their replies, in order. */
export type Ride = (redis: Redis) => Promise<unknown>[];

/** The bot's state in Redis, as the order pipeline needs it. */
export interface StateSaver {
  /** Resolves once everything changed so far is in Redis. */
  commit(): Promise<void>;
  /**
   * Writes everything changed so far with `ride`'s commands right behind it on the same connection. Resolves with their
   * replies once the state is in, or undefined when it did not go in.
   */
  commitWith(ride: Ride): Promise<TxReplies | undefined>;
}

/**
 * The fast lane, open when this process runs the order workers: a placement asks the shared budget right behind the
 * write that saves the state, on its connection (one round trip: Redis knows the order before the budget lets it go,
 * and the order goes only once both answered), and on a grant
 * this process sends it at once, with no job and no worker hop. Refused (a queued placement waits, the budget is
 * spent, a 429 pause runs), it is queued as before, and keeps its place in the line.
 */
export interface FastLane {
  readonly budget: { acquireOn(redis: Redis, charge: Charge, now: number): Promise<unknown>; prepare(): Promise<void> };
  readonly sender: {
    /** False once the workers close: from then on placements only queue. */
    accepting(): boolean;
    placeAdmitted(intent: OrderIntent): Promise<JobOutcome>;
  };
  /** Placements the lane sends at once at most; the rest of a burst (a grid's whole ladder) is queued. */
  readonly capacity: number;
  readonly time: PipelineTime;
}
