import { type ConnectionOptions, DelayedError, type Job, Queue, Worker } from 'bullmq';
import { decodeJson, encodeJson } from '../../domain/index.js';
import { settlesWithin } from '../../engine/index.js';
import { CANCEL_QUEUE, type EncodedJob, type OrderJob, PLACE_QUEUE } from './order-jobs.js';
import { OrderProcessor, type ProcessorOptions, WaitForBudget } from './order-processor.js';

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
}

/**
 * Starts a worker on each queue. A job that must wait for rate budget waits as a delayed job without using an attempt
 * (BullMQ's manual rate limit pauses the queue for every worker meanwhile); anything else thrown is retried with backoff.
 */
export function startOrderWorkers(o: OrderWorkersOptions): OrderWorkers {
  const processor = new OrderProcessor(o);
  const make = (name: string): { worker: Worker; queue: Queue } => {
    // Only for the rate-limit pause: the queue's settings (the events stream's length) are the bot's to write.
    const queue = new Queue(name, { connection: o.connection, prefix: o.prefix, skipMetasUpdate: true });
    queue.on('error', (error: Error) => o.log.warn({ err: error }, `order queue (${name}) connection: ${error.message}`));
    const worker = new Worker(
      name,
      async (job: Job<EncodedJob>, token?: string) => {
        try {
          // attemptsStarted counts budget waits too: a re-run then costs one query, which is cheap next to a double order.
          const rerun = job.attemptsStarted > 1 || job.stalledCounter > 0;
          return encodeJson(await processor.process(decodeJson<OrderJob>(job.data.payload), rerun));
        } catch (error) {
          if (!(error instanceof WaitForBudget)) throw error;
          const wait = Math.max(1, o.time.realMs(error.waitMs));
          // The queue's rate limit keeps every worker from taking more jobs only to put them back. This job waits as a
          // delayed job, not back in the wait list: BullMQ may hand a job put back under a rate limit to a worker at
          // once and hold it "active" until the limit ends, where the kill switch could not drop it (it would be
          // reported as still unknown for up to a whole order window); a delayed job is dropped with the rest.
          await queue.rateLimit(wait);
          await job.moveToDelayed(Date.now() + wait, token);
          throw new DelayedError();
        }
      },
      // Stalled jobs come back to wait after a crash: placements are idempotent by client order id, so that is safe.
      { connection: o.connection, prefix: o.prefix, concurrency: o.concurrency, autorun: true },
    );
    worker.on('failed', (job, error) => o.log.warn({ jobId: job?.id, attempts: job?.attemptsMade }, `order job failed: ${error.message}`));
    worker.on('error', (error) => o.log.warn({ err: error }, `order worker (${name}): ${error.message}`));
    return { worker, queue };
  };
  const parts = [make(PLACE_QUEUE), make(CANCEL_QUEUE)];
  return {
    async close() {
      await Promise.all(parts.map((p) => closeWithin(p.worker, o.log)));
      await Promise.all(parts.map((p) => closeWithin(p.queue, o.log)));
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
