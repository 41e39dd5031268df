import { type ConnectionOptions, type JobsOptions, Queue, QueueEvents } from 'bullmq';
import { type OrderIntent, decodeJson, encodeJson } from '../../domain/index.js';
import type { ComponentContext, TradingFirst } from '../../engine/index.js';
import type { CancelOutcome, Executor, SweepOutcome, SweepTarget } from '../executor.js';
import {
  CANCEL_QUEUE,
  type EncodedJob,
  type JobOutcome,
  type OrderJob,
  PLACE_QUEUE,
  SWEEP_JOB_ID,
  cancelJobId,
  placeJobId,
} from './order-jobs.js';
import { orderSentOf } from '../intent-messages.js';
import type { FastLane, StateSaver, TxReplies } from './fast-lane.js';
import { HALTED_BEFORE_SENT, placementCharge } from './order-processor.js';
import { grantOf } from './rate-governor.js';

export interface QueueExecutorOptions {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly log: { warn(obj: object, msg: string): void };
  /**
   * The bot's state: written before a batch of placements is enqueued (or right before their fast-lane grants, on the
   * same connection), so the state in Redis knows every order before it can exist on the exchange, and a restart can
   * always tell its own orders apart.
   */
  readonly state?: StateSaver;
  /** When this process runs the order workers: placements granted behind the state's write are sent at once. */
  readonly fastLane?: FastLane;
  /**
   * Held from the dispatch that places orders until they are queued or (the fast lane's) answered: the owner's
   * notifications and the audit wait meanwhile, off the trading path.
   */
  readonly tradingFirst?: Pick<TradingFirst, 'hold'>;
  /**
   * What the queues keep: their event streams trimmed to about `eventsMaxLen` (QUEUE_EVENTS_MAX_LEN), and at most
   * `finishedJobs` finished placements each of completed and failed (QUEUE_JOBS_KEEP). By default the settings' defaults.
   */
  readonly retention?: QueueRetention;
}

interface QueueRetention {
  readonly eventsMaxLen: number;
  readonly finishedJobs: number;
}

const QUEUE_RETENTION: QueueRetention = { eventsMaxLen: 10_000, finishedJobs: 1_000 };
/** A job not heard from for this long is looked up directly, in case its event was missed (trimmed, a reconnect). */
const STRAGGLER_MS = 3_000;

/** A job as this process knows it: which queue, and its id there. */
interface JobRef {
  readonly queue: 'place' | 'cancel';
  readonly jobId: string;
}

/** The fast lane's commands on a state write, and what they took from the batch once it was built. */
interface LaneRide {
  readonly lane: FastLane;
  readonly replies: Promise<TxReplies | undefined>;
  readonly taken: () => { readonly fast: readonly OrderIntent[]; readonly rest: readonly OrderIntent[] };
}

/** How a job ended, as the waiting caller hears it; a sweep's outcome order by order. */
type JobEnd = CancelOutcome & { readonly sweeps?: readonly { readonly symbol: string; readonly sweep: SweepOutcome }[] };

function keyOf(ref: JobRef): string {
  return `${ref.queue}/${ref.jobId}`;
}

/**
 * Retries for what never reached the exchange (exponential, with jitter so processes do not retry in step). A finished
 * placement is kept an hour (a failed one a day) so the same placement enqueued again (a retry, a restart) stays a no-op
 * and its outcome readable; BullMQ counts those ages in wall time, so the count bounds them too, whatever the clock. A
 * placement queued again after its job went asks the exchange before it places (`resume`), so nothing goes twice.
 */
function placeOptions(finishedJobs: number): JobsOptions {
  return {
    attempts: 8,
    backoff: { type: 'exponential', delay: 100, jitter: 0.5 },
    removeOnComplete: { age: 3_600, count: finishedJobs },
    removeOnFail: { age: 86_400, count: finishedJobs },
  };
}
/** Cancels free their id when done: a later cancel of the same order is a new request, not a duplicate. */
const CANCEL_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 200, jitter: 0.5 },
  removeOnComplete: true,
  removeOnFail: true,
};

/**
 * A sweep is tried once: the kill switch asks again itself, on its own schedule, with what it still does not know. Its
 * waits for rate budget (a 429) are waited out in place, without using the attempt.
 */
const SWEEP_OPTIONS: JobsOptions = { attempts: 1, removeOnComplete: true, removeOnFail: true };

/**
 * Execution over BullMQ: approved orders and cancels become jobs keyed by client order id, worked by whichever process
 * runs the workers; their outcomes come back through QueueEvents (so they arrive whatever process did the work) and are
 * published on the bus as the venue's reports or as submission failures.
 */
export class QueueExecutor implements Executor {
  readonly name = 'queue-executor';
  private ctx!: ComponentContext;
  private readonly place: Queue;
  private readonly cancels: Queue;
  private readonly placeEvents: QueueEvents;
  private readonly cancelEvents: QueueEvents;
  /** Placements of this dispatch on their way to the fast lane or the queue (their jobs are built only if queued). */
  private batch: OrderIntent[] = [];
  /** Placements the fast lane sent and has not heard back about, by job id, with the work that ends them. */
  private readonly inLane = new Map<string, Promise<void>>();
  private flushing: Promise<void> = Promise.resolve();
  /** Flushes started and not yet finished: with none, a new one's lane ride is handed to the state at once. */
  private flushesRunning = 0;
  /** Jobs this process enqueued and has not yet seen finish, with whoever waits for them. */
  private readonly pending = new Map<string, Array<(outcome: JobEnd) => void>>();
  /** Symbols a kill switch's sweep is working on: a cancel there meanwhile is the sweep's, not a request of its own. */
  private readonly sweeping = new Map<string, Promise<SweepOutcome>>();
  /** When each pending job was enqueued (wall ms), for the straggler check. */
  private readonly since = new Map<string, number>();
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private checking = false;
  private idle: Array<() => void> = [];
  private readonly placeOptions: JobsOptions;

  constructor(private readonly o: QueueExecutorOptions) {
    const opts = { connection: o.connection, prefix: o.prefix };
    const retention = o.retention ?? QUEUE_RETENTION;
    this.placeOptions = placeOptions(retention.finishedJobs);
    // The events stream is read live (QueueEvents from its end), so its length need only cover a burst while the reader
    // is behind; an outcome it missed is read from the job by the straggler check. These queues set it for every
    // process (BullMQ keeps it in the queue's meta); the workers' and the ops' queues leave it alone.
    const queueOpts = { ...opts, streams: { events: { maxLen: retention.eventsMaxLen } } };
    this.place = new Queue(PLACE_QUEUE, queueOpts);
    this.cancels = new Queue(CANCEL_QUEUE, queueOpts);
    this.placeEvents = new QueueEvents(PLACE_QUEUE, opts);
    this.cancelEvents = new QueueEvents(CANCEL_QUEUE, opts);
    // Connection trouble is the app's to report once (it watches Redis); here it is only logged, never thrown.
    const logError = (error: Error) => o.log.warn({ err: error }, `order queue connection: ${error.message}`);
    for (const queue of [this.place, this.cancels]) queue.on('error', logError);
    for (const events of [this.placeEvents, this.cancelEvents]) events.on('error', logError);
  }

  attach(ctx: ComponentContext): void {
    this.ctx = ctx;
    ctx.bus.handle('PlaceOrder', (m) => this.onPlace(m.intent));
    ctx.bus.handle('CancelOrder', (m) => void this.cancel(m.symbol, m.clientOrderId, m.reason));
    for (const [events, queue] of [
      [this.placeEvents, 'place'],
      [this.cancelEvents, 'cancel'],
    ] as const) {
      events.on('completed', ({ jobId, returnvalue }) => this.onCompleted({ queue, jobId }, returnvalue));
      events.on('failed', ({ jobId, failedReason }) => this.onFailed({ queue, jobId }, failedReason));
    }
  }

  async start(): Promise<void> {
    // Outcomes are only heard once the event readers are connected; nothing is enqueued before then.
    await Promise.all([
      this.placeEvents.waitUntilReady(),
      this.cancelEvents.waitUntilReady(),
      this.place.waitUntilReady(),
      this.cancels.waitUntilReady(),
      // The lane's first grants find the budget's script by hash.
      this.o.fastLane?.budget.prepare(),
    ]);
    this.watchdog = setInterval(() => void this.checkStragglers(), STRAGGLER_MS);
    this.watchdog.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.watchdog);
    await this.flushing;
    // What the lane sent is heard out (or queued again) before the queues close.
    await Promise.all(this.inLane.values());
    await Promise.all([this.placeEvents.close(), this.cancelEvents.close(), this.place.close(), this.cancels.close()]);
  }

  /** Resolves when every job this process enqueued so far has finished. */
  settled(): Promise<void> {
    if (this.pending.size === 0 && this.batch.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /**
   * Cancels one order at top priority; the promise tells how it ended (for receipts). While a sweep works on the
   * order's symbol (a grid stopped by the kill switch), the sweep's answer is the cancel's: no second request goes out.
   */
  cancel(symbol: string, clientOrderId: string, reason = 'cancel'): Promise<CancelOutcome> {
    const sweep = this.sweeping.get(symbol);
    if (sweep)
      return sweep.then((s): CancelOutcome => {
        const report = s.reports.find((r) => r.clientOrderId === clientOrderId);
        return report ? { ok: true, reports: [report] } : { ok: false, reason: 'left to the kill switch, which keeps asking the exchange' };
      });
    return this.enqueue(
      { queue: 'cancel', jobId: cancelJobId(clientOrderId) },
      { action: 'cancel', symbol, clientOrderId, reason },
      CANCEL_OPTIONS,
    );
  }

  /**
   * The kill switch's sweep of every target symbol in one job (see the `sweep` job): its reports are published like any
   * other. A symbol the job could not answer for (the queue unreachable, a worker gave up) has every order it asked
   * about unanswered.
   */
  sweep(targets: readonly SweepTarget[], timeoutMs: number): Promise<ReadonlyMap<string, SweepOutcome>> {
    const outcome = this.enqueue({ queue: 'cancel', jobId: SWEEP_JOB_ID }, { action: 'sweep', targets, timeoutMs }, SWEEP_OPTIONS).then(
      (end) => {
        const bySymbol = new Map((end.sweeps ?? []).map((s) => [s.symbol, s.sweep]));
        const problem = end.ok ? 'the sweep finished without an outcome' : end.reason;
        for (const t of targets)
          if (!bySymbol.has(t.symbol))
            bySymbol.set(t.symbol, {
              listed: false,
              problem,
              cancelAll: false,
              reports: [],
              absent: [],
              refused: [],
              unanswered: [...t.ask],
            });
        return bySymbol;
      },
    );
    for (const { symbol } of targets) {
      const mine = outcome.then((m) => m.get(symbol)!);
      this.sweeping.set(symbol, mine);
      void mine.then(() => {
        if (this.sweeping.get(symbol) === mine) this.sweeping.delete(symbol);
      });
    }
    return outcome;
  }

  /**
   * Removes every placement still waiting (or waiting to retry) from the queue, so nothing queued before a halt goes out
   * after it. Returns the client order ids removed; their orders are reported as not placed. A placement a worker holds
   * while it waits for the order budget is not removed here: it meets the halt at its next ask (BUDGET_POLL_MS) and
   * ends as refused (TRADING_HALTED), which the kill switch counts as dropped too.
   */
  async dropPlacements(): Promise<string[]> {
    await this.flushing;
    const queued = await this.place.getJobs(['waiting', 'prioritized', 'delayed']);
    await this.place.drain(true);
    // Those listed, and every placement this process still waits for: one a worker put back (a retry's backoff ending, a
    // closing worker giving it back) between the listing and the drain is gone too, and must be reported so, or its
    // order would stay "sent" for ever.
    // (The fast lane's are not: they were granted before the halt and are on their way; the sweep meets them there.)
    const pendingPlacements = [...this.pending.keys()]
      .filter((key) => key.startsWith('place/'))
      .map((key) => key.slice('place/'.length))
      .filter((id) => !this.inLane.has(id));
    const ids = [...new Set([...queued.flatMap((job) => (job.id ? [job.id] : [])), ...pendingPlacements])];
    const dropped: string[] = [];
    // Asked all at once: the kill switch is waiting, and ioredis pipelines concurrent commands.
    const states = await Promise.all(ids.map((id) => this.place.getJobState(id)));
    for (const [i, clientOrderId] of ids.entries()) {
      if (states[i] !== 'unknown') continue;
      dropped.push(clientOrderId);
      this.ctx.bus.publish({
        type: 'OrderSubmissionFailed',
        clientOrderId,
        outcome: 'rejected',
        code: 'TRADING_HALTED',
        message: 'removed from the queue by the kill switch before it was sent',
      });
      this.finish({ queue: 'place', jobId: clientOrderId }, { ok: false, reason: 'dropped' });
    }
    return dropped;
  }

  /**
   * Enqueues a placement again after a restart when its job is gone, or applies the outcome its job left behind.
   * The job id makes this safe whatever state the job is in.
   */
  async resume(intent: OrderIntent): Promise<void> {
    const ref: JobRef = { queue: 'place', jobId: placeJobId(intent.clientOrderId) };
    // Sent by this process's fast lane and not yet answered: its outcome is on its way.
    if (this.inLane.has(ref.jobId)) return;
    // The state first, then the job: a job read before it finished would carry no return value yet.
    const state = await this.place.getJobState(ref.jobId);
    if (state === 'completed' || state === 'failed') {
      const job = await this.place.getJob(ref.jobId);
      if (job && state === 'completed') return this.onCompleted(ref, job.returnvalue, true);
      if (job) return this.onFailed(ref, job.failedReason);
    }
    if (state !== 'unknown') {
      // Queued or being worked: its outcome arrives through the events like any other.
      if (!this.pending.has(keyOf(ref))) this.pending.set(keyOf(ref), []);
      this.since.set(keyOf(ref), Date.now());
      return;
    }
    // Its job is gone (expired, or Redis restarted empty): an earlier one may have placed it, so the worker asks first.
    void this.enqueue(ref, { action: 'place', intent, verify: true }, this.placeOptions);
  }

  private onPlace(intent: OrderIntent): void {
    this.ctx.bus.publish(orderSentOf(intent, this.ctx.clock.now()));
    const id = placeJobId(intent.clientOrderId);
    this.pending.set(keyOf({ queue: 'place', jobId: id }), []);
    this.since.set(keyOf({ queue: 'place', jobId: id }), Date.now());
    this.batch.push(intent);
    // One flush per bus dispatch: a grid's whole ladder goes out as one addBulk, after one state save.
    if (this.batch.length === 1) {
      const release = this.o.tradingFirst?.hold();
      // With no flush ahead, the fast lane's ride is handed to the state now, in the dispatch, so it joins the write the
      // dispatch schedules (asked for after it, it would wait for the next one). Behind a flush, it waits its turn: that
      // flush's queued jobs must be in the line before a lane grant is asked for.
      const ride = this.flushesRunning === 0 ? this.laneRide() : undefined;
      this.flushesRunning++;
      const flushed = this.flushing.then(() => this.flush(ride)).finally(() => this.flushesRunning--);
      // A failed flush must not stop the ones after it: the chain always continues (without waiting for the answers).
      this.flushing = flushed.then(
        () => undefined,
        (error: unknown) => this.o.log.warn({ err: error }, 'placements could not be queued'),
      );
      if (release)
        void flushed
          .then(
            (sent) => Promise.allSettled(sent),
            () => undefined,
          )
          .then(release);
    }
  }

  /**
   * The fast lane's ride on the state's next write, when the lane is open: the batch is taken when the write is built,
   * so what the dispatch placed meanwhile joins it, and up to the lane's room asks the budget right behind it.
   */
  private laneRide(): LaneRide | undefined {
    const { state, fastLane } = this.o;
    if (state === undefined || fastLane === undefined || !fastLane.sender.accepting()) return undefined;
    const ride: { fast: OrderIntent[]; rest: OrderIntent[] } = { fast: [], rest: [] };
    const replies = state.commitWith((redis) => {
      const taken = this.batch;
      this.batch = [];
      ride.fast = taken.splice(0, Math.max(0, fastLane.capacity - this.inLane.size));
      ride.rest = taken;
      return ride.fast.map((intent) => fastLane.budget.acquireOn(redis, placementCharge(intent), fastLane.time.now()));
    });
    return { lane: fastLane, replies, taken: () => ride };
  }

  /** Queues the batch, or sends it in the fast lane; returns the lane's sends (each settles once answered). */
  private async flush(early: LaneRide | undefined): Promise<Promise<void>[]> {
    const { state } = this.o;
    let jobs: OrderIntent[] = [];
    let sent: Promise<void>[] = [];
    const ride = early ?? this.laneRide();
    if (ride !== undefined) {
      const replies = await ride.replies;
      const { fast, rest } = ride.taken();
      const queued = this.admitted(fast, replies, ride.lane);
      sent = fast.flatMap((intent) => this.inLane.get(placeJobId(intent.clientOrderId)) ?? []);
      jobs = [...queued, ...rest];
    } else {
      // The dispatch that placed them is over (this runs on a later microtask): the state knows every one.
      if (state !== undefined) await state.commit();
      jobs = this.batch;
      this.batch = [];
    }
    if (jobs.length === 0) return sent;
    try {
      await this.place.addBulk(jobs.map((intent) => this.placementJob({ action: 'place', intent })));
    } catch (error) {
      // Redis is gone: the state already knows these orders, and the start-up recovery enqueues them again.
      this.o.log.warn({ err: error, orders: jobs.length }, 'placements could not be queued; they are retried on recovery');
      for (const intent of jobs)
        this.finish({ queue: 'place', jobId: placeJobId(intent.clientOrderId) }, { ok: false, reason: 'not queued' });
    }
    return sent;
  }

  /** A placement as the queue takes it: its job id is its client order id. */
  private placementJob(job: Extract<OrderJob, { action: 'place' }>): { name: string; data: EncodedJob; opts: JobsOptions } {
    return {
      name: 'place',
      data: { payload: encodeJson(job) },
      opts: { ...this.placeOptions, jobId: placeJobId(job.intent.clientOrderId) },
    };
  }

  /**
   * Sends the fast lane's granted placements and settles its halted ones; returns those the lane could not take (the
   * budget, a waiting line, a pause, no answer), in order, for the queue.
   */
  private admitted(fast: readonly OrderIntent[], replies: TxReplies | undefined, lane: FastLane): OrderIntent[] {
    const queued: OrderIntent[] = [];
    for (const [i, intent] of fast.entries()) {
      const [error, reply] = replies?.[i] ?? [new Error('the state was not saved'), undefined];
      const grant = error === null ? grantOf(reply) : undefined;
      const ref: JobRef = { queue: 'place', jobId: placeJobId(intent.clientOrderId) };
      if (grant?.granted === true) this.sendNow(ref, intent, lane);
      else if (grant?.reason === 'halted') this.onOutcome(ref, HALTED_BEFORE_SENT);
      else queued.push(intent);
    }
    return queued;
  }

  /** Sends a placement the lane granted; one that must be tried again is queued as a job that asks the exchange first. */
  private sendNow(ref: JobRef, intent: OrderIntent, lane: FastLane): void {
    this.since.delete(keyOf(ref));
    const sent = lane.sender.placeAdmitted(intent).then(
      (outcome) => {
        this.inLane.delete(ref.jobId);
        this.onOutcome(ref, outcome);
      },
      (error: unknown) => {
        this.inLane.delete(ref.jobId);
        this.o.log.warn({ err: error, jobId: ref.jobId }, 'a fast-lane placement goes to the queue, which asks the exchange first');
        this.since.set(keyOf(ref), Date.now());
        const { name, data, opts } = this.placementJob({ action: 'place', intent, verify: true });
        this.place.add(name, data, opts).catch((failure: unknown) => {
          this.o.log.warn({ err: failure, jobId: ref.jobId }, 'order job could not be queued');
          this.finish(ref, { ok: false, reason: 'the queue is unreachable' });
        });
      },
    );
    this.inLane.set(ref.jobId, sent);
  }

  private enqueue(ref: JobRef, job: OrderJob, opts: JobsOptions): Promise<JobEnd> {
    const result = new Promise<JobEnd>((resolve) => {
      const waiting = this.pending.get(keyOf(ref));
      if (waiting) waiting.push(resolve);
      else this.pending.set(keyOf(ref), [resolve]);
    });
    if (!this.since.has(keyOf(ref))) this.since.set(keyOf(ref), Date.now());
    const queue = ref.queue === 'place' ? this.place : this.cancels;
    queue.add(job.action, { payload: encodeJson(job) }, { ...opts, jobId: ref.jobId }).catch((error: unknown) => {
      this.o.log.warn({ err: error, jobId: ref.jobId }, 'order job could not be queued');
      this.finish(ref, { ok: false, reason: 'the queue is unreachable' });
    });
    return result;
  }

  /** `late`: read back from the job (a restart, a missed event) rather than heard as it finished. */
  private onCompleted(ref: JobRef, returnvalue: unknown, late = false): void {
    if (returnvalue === null || returnvalue === undefined) {
      this.o.log.warn({ jobId: ref.jobId }, 'a finished order job carried no outcome; the reconciler will ask the exchange');
      this.finish(ref, { ok: false, reason: 'finished without an outcome' });
      return;
    }
    this.onOutcome(ref, decodeJson<JobOutcome>(typeof returnvalue === 'string' ? returnvalue : JSON.stringify(returnvalue)), late);
  }

  /** A job's outcome (heard, read back late, or the fast lane's own) on the bus, and to whoever waits for it. */
  private onOutcome(ref: JobRef, outcome: JobOutcome, late = false): void {
    const bus = this.ctx.bus;
    const { jobId } = ref;
    const placement = ref.queue === 'place';
    switch (outcome.kind) {
      case 'report':
        // Heard late, its order's trades may have gone by unheard: the reconciler fetches any the report claims.
        if (late || outcome.asked === true) bus.publish({ type: 'OrderReported', report: outcome.report, late: true });
        else bus.publish({ type: 'OrderReported', report: outcome.report });
        this.finish(ref, { ok: true, reports: [outcome.report] });
        return;
      case 'sweep': {
        const reports = outcome.sweeps.flatMap((s) => s.sweep.reports);
        for (const report of reports) bus.publish({ type: 'OrderReported', report });
        this.finish(ref, { ok: true, reports, sweeps: outcome.sweeps });
        return;
      }
      case 'rejected':
      case 'unknown':
        if (placement) {
          bus.publish({
            type: 'OrderSubmissionFailed',
            clientOrderId: jobId,
            outcome: outcome.kind,
            code: outcome.code,
            message: outcome.message,
          });
        } else {
          this.o.log.warn({ jobId, code: outcome.code }, `cancel refused: ${outcome.message}`);
        }
        this.finish(ref, { ok: false, reason: `${outcome.code}: ${outcome.message}` });
        return;
    }
  }

  private onFailed(ref: JobRef, failedReason: string): void {
    const { jobId } = ref;
    if (ref.queue === 'place') {
      // Out of attempts, or stalled twice (a worker died with it): whether it reached the exchange is not known here. As
      // `unknown` the reconciler asks, and books it if the exchange has it or calls it never placed if not.
      this.ctx.bus.publish({
        type: 'OrderSubmissionFailed',
        clientOrderId: jobId,
        outcome: 'unknown',
        code: 'GAVE_UP',
        message: `the order job gave up: ${failedReason}`,
      });
    } else {
      this.o.log.warn({ jobId }, `cancel gave up: ${failedReason}`);
    }
    this.finish(ref, { ok: false, reason: failedReason });
  }

  /** Jobs whose outcome event never came (the stream was trimmed, Redis restarted): their finished state is read instead. */
  private async checkStragglers(): Promise<void> {
    if (this.checking) return; // a slow pass (Redis away) is not overlapped by the next
    this.checking = true;
    try {
      await this.checkStragglersOnce();
    } finally {
      this.checking = false;
    }
  }

  private async checkStragglersOnce(): Promise<void> {
    const cutoff = Date.now() - STRAGGLER_MS;
    for (const [key, at] of [...this.since]) {
      if (at > cutoff || !this.pending.has(key)) continue;
      const [queueName, jobId] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      const ref: JobRef = { queue: queueName === 'place' ? 'place' : 'cancel', jobId };
      const queue = ref.queue === 'place' ? this.place : this.cancels;
      try {
        const state = await queue.getJobState(jobId);
        if (state === 'completed' || state === 'failed') {
          const job = await queue.getJob(jobId);
          if (job && state === 'completed') this.onCompleted(ref, job.returnvalue, true);
          else if (job) this.onFailed(ref, job.failedReason);
        } else if (state === 'unknown' && ref.queue === 'cancel') {
          // Cancels free their ids when done, so a gone cancel finished unheard: the reconciler reads its effect.
          this.finish(ref, { ok: false, reason: 'finished without a report' });
        } else {
          this.since.set(key, Date.now());
        }
      } catch {
        // Redis is away: the next round asks again.
      }
    }
  }

  private finish(ref: JobRef, outcome: JobEnd): void {
    const waiting = this.pending.get(keyOf(ref));
    this.since.delete(keyOf(ref));
    if (waiting === undefined) return;
    this.pending.delete(keyOf(ref));
    for (const resolve of waiting) resolve(outcome);
    if (this.pending.size === 0 && this.batch.length === 0) {
      const idle = this.idle;
      this.idle = [];
      for (const resolve of idle) resolve();
    }
  }
}
