import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ORDER_QUEUES } from '../../domain/index.js';
import { bounded } from './bounded.js';

/** One order queue as `/limits` and `/health` show it. */
export interface QueueDepth {
  readonly name: string;
  /** Waiting, delayed (a budget or 429 wait) and prioritized jobs: everything not yet taken by a worker. */
  readonly waiting: number;
  readonly active: number;
  /** Wall time the oldest of those has waited since it was enqueued, ms. */
  readonly oldestAgeMs?: number;
}

const QUEUED_STATES = ['waiting', 'delayed', 'prioritized'] as const;

/**
 * Read-only handles on the pipeline's two BullMQ queues: job counts for `/limits` and `/health`, and BullMQ's own
 * Prometheus export. They share one connection of their own, closed with them (BullMQ leaves a shared connection open).
 * Not the bot's: BullMQ defines its ~60 scripts on the connection it is given, and ioredis copies a connection's whole
 * script table into every MULTI, so the state's write on every fill would pay for them.
 */
export class OrderQueues {
  private readonly queues: readonly Queue[];
  private readonly connection: Redis;

  constructor(redis: Redis, prefix: string) {
    this.connection = redis.duplicate();
    // A lost connection is the health check's to report (the bot's own PING); unheard, ioredis would print it.
    this.connection.on('error', () => undefined);
    this.queues = [ORDER_QUEUES.place, ORDER_QUEUES.cancel].map((name) => {
      // skipMetasUpdate: a reader writes nothing (BullMQ would reset the pipeline's events-stream length in the queue's meta).
      const queue = new Queue(name, { connection: this.connection, prefix, skipMetasUpdate: true });
      // A lost connection is the health check's to report (Redis's PING); BullMQ would print it to stderr otherwise.
      queue.on('error', () => undefined);
      return queue;
    });
  }

  async depths(now: number): Promise<QueueDepth[]> {
    return Promise.all(
      this.queues.map(async (queue) => {
        const counts = await queue.getJobCounts(...QUEUED_STATES, 'active');
        const waiting = QUEUED_STATES.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
        // Ascending from each state's oldest end: at most one job per state, then the earliest of them.
        const heads = waiting === 0 ? [] : await queue.getJobs([...QUEUED_STATES], 0, 0, true);
        const oldest = heads.reduce((min, job) => Math.min(min, job.timestamp), Number.POSITIVE_INFINITY);
        const depth = { name: queue.name, waiting, active: counts.active ?? 0 };
        return Number.isFinite(oldest) ? { ...depth, oldestAgeMs: Math.max(0, now - oldest) } : depth;
      }),
    );
  }

  /**
   * BullMQ's own export (`bullmq_job_count{queue,state}`), both queues under one HELP/TYPE header as the text format
   * requires. Its completed/failed totals are left out: they count only for workers started with BullMQ's `metrics`
   * option, which the pipeline does not use, so they would always read 0.
   */
  async prometheusText(labels: Record<string, string>): Promise<string> {
    const texts = await Promise.all(this.queues.map((q) => q.exportPrometheusMetrics(labels)));
    const samples = texts.flatMap((text) => text.split('\n').filter((line) => line.startsWith('bullmq_job_count{')));
    return ['# HELP bullmq_job_count Number of jobs in the queue by state', '# TYPE bullmq_job_count gauge', ...samples].join('\n');
  }

  async close(): Promise<void> {
    // Bounded: the connection may be waiting for a Redis that is gone; it is dropped either way.
    await bounded(() => Promise.all(this.queues.map((q) => q.close())));
    this.connection.disconnect();
  }
}
