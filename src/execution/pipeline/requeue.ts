import type { OrderRecord } from '../../domain/index.js';
import type { QueueExecutor } from './queue-executor.js';

/** Sent to the queue and never answered (`new`), or answered without an outcome (`unknown`): the exchange may not have it. */
export function isUnanswered(rec: OrderRecord): boolean {
  return rec.status === 'new' || rec.status === 'unknown';
}

/**
 * Queues again every placement the exchange may not have seen: orders still `new` (sent to the queue, never answered)
 * or `unknown`. The one path for a restart and for Redis coming back, so both send the order exactly as it was decided
 * (its intent whole: a flattening order still reduces, an IOC is still IOC). Each job asks the exchange before it
 * places, and its job id (the client order id) keeps a job still queued from running twice. Returns how many.
 */
export async function requeuePlacements(orders: readonly OrderRecord[], executor: Pick<QueueExecutor, 'resume'>): Promise<number> {
  let requeued = 0;
  for (const rec of orders) {
    if (!isUnanswered(rec)) continue;
    requeued++;
    await executor.resume(rec.intent);
  }
  return requeued;
}
