import { type ConnectionOptions, type Job, type Queue, WaitingError, Worker } from 'bullmq';
import { type OrderIntent, decodeJson, encodeJson } from '../../domain/index.js';
import { settlesWithin } from '../../engine/index.js';
import { CANCEL_QUEUE, type EncodedJob, type JobOutcome, type OrderJob, PLACE_QUEUE } from './order-jobs.js';
import { GiveBack, OrderProcessor, type ProcessorOptions } from './order-processor.js';

export interface OrderWorkersOptions extends ProcessorOptions {
  readonly connection: ConnectionOptions;
  /** BullMQ's key prefix: the bot's KEY_PREFIX, so every process of one bot shares the queues. */
  readonly prefix: string;
  /** Placements in flight at once in this process (cancels get as many again of their own). */
  readonly concurrency: number;
  readonly log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** The workers of one process: run in the bot by default, or alone in `telegrid worker` processes on the same Redis. */
export interface OrderWorkers {
  /** Lets the jobs in hand finish, then stops taking new ones. */
  close(): Promise<void>;
  /** True until `close`: the fast lane sends through this process only while its workers run. */
  accepting(): boolean;
  /** Sends a placement the fast lane granted (see OrderProcessor.placeAdmitted). */
  placeAdmitted(intent: OrderIntent): Promise<JobOutcome>;
}

/**
 * Starts a worker on each queue. A job the rate budget refuses waits in its worker, without using an attempt, and
 * placements get the order budget in the order they were queued (see OrderProcessor); anything else thrown is retried
 * with backoff.
 */
export function startOrderWorkers(o: OrderWorkersOptions): OrderWorkers {
  const processor = new OrderProcessor(o);
  const closing = new AbortController();
  const make = (name: string): Worker => {
    const worker = new Worker(
      name,
      async (job: Job<EncodedJob>, token?: string) => {
        try {
          // Started before (a retry, a crash, given back at a close): a re-run costs one query, cheap next to a double order.
          const rerun = job.attemptsStarted > 1 || job.stalledCounter > 0;
          // A placement's place in the line is its job in BullMQ's active list, found by its id.
          const line = name === PLACE_QUEUE ? job.id : undefined;
          const run = { rerun, closing: closing.signal, ...(line === undefined ? {} : { line }) };
          return encodeJson(await processor.process(decodeJson<OrderJob>(job.data.payload), run));
        } catch (error) {
          if (!(error instanceof GiveBack)) throw error;
          // Closing with the job still waiting for budget (an order window can outlast the close's grace): back to the
          // head of the wait list, where the next worker of any process takes it first, ahead of every placement queued
          // after it (two given back by one close may swap places between themselves).
          await job.moveToWait(token);
          throw new WaitingError();
        }
      },
      // Stalled jobs come back to wait after a crash: placements are idempotent by client order id, so that is safe.
      { connection: o.connection, prefix: o.prefix, concurrency: o.concurrency, autorun: true },
    );
    worker.on('failed', (job, error) => o.log.warn({ jobId: job?.id, attempts: job?.attemptsMade }, `order job failed: ${error.message}`));
    worker.on('error', (error) => o.log.warn({ err: error }, `order worker (${name}): ${error.message}`));
    return worker;
  };
  const workers = [make(PLACE_QUEUE), make(CANCEL_QUEUE)];
  return {
    accepting: () => !closing.signal.aborted,
    placeAdmitted: (intent) => processor.placeAdmitted(intent),
    async close() {
      closing.abort();
      await Promise.all(workers.map((w) => closeWithin(w, o.log)));
    },
  };
}

/**
 * How long a graceful close may take. Jobs in hand finish well within it (a request is bounded by EXCHANGE_TIMEOUT_MS
 * far less often than it answers in milliseconds); what outlasts it is a connection caught reconnecting (BullMQ waits for
 * ever on a command sent as Redis came back), which must not keep a stopping bot alive.
 */
const CLOSE_GRACE_MS = 5_000;

/**
 * Closes gracefully, or cuts the connections after the grace. A job cut off this way is re-run by the next worker as a
 * stalled job, and a re-run asks the exchange before it places, so nothing is placed twice.
 */
async function closeWithin(part: Worker | Queue, log: OrderWorkersOptions['log']): Promise<void> {
  if ((await settlesWithin(part.close(), CLOSE_GRACE_MS)) !== 'late') return;
  log.warn(
    { queue: part.name },
    `order ${part instanceof Worker ? 'worker' : 'queue'} did not close within ${CLOSE_GRACE_MS} ms; its connections are cut`,
  );
  if ((await settlesWithin(part.disconnect(), CLOSE_GRACE_MS)) === 'late')
    log.warn({ queue: part.name }, 'its connections did not close either; left to the process exit');
}
