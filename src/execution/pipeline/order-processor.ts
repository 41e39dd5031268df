import { type ExecutionReport, type OrderIntent, type Result, isBotOrder } from '../../domain/index.js';
import type { ExchangeGateway, GatewayFailure } from '../../exchange/index.js';
import type { SweepOutcome } from '../executor.js';
import type { JobOutcome, OrderJob } from './order-jobs.js';
import type { PipelineTime } from './pipeline-time.js';
import { SweepGate } from './sweep-gate.js';
import type { Charge, Grant } from './rate-governor.js';
import { orderRequestOf } from '../intent-messages.js';

/** The part of the governor a processor needs; the real one lives in Redis and is shared by every process. */
interface Budget {
  /** `line`: a placement's job id, which keeps its place in the queue's line for the order budget. */
  acquire(charge: Charge, now: number, line?: string): Promise<Grant>;
  /**
   * Resolves with the shared pause's end, which a longer pause set by another request may put after `until`; `line`: the
   * placement that met the 429, back to waiting in its place in the line.
   */
  pause(until: number, line?: string): Promise<number>;
}

/** Binance's request weights (PROTOCOLS A.10) for what a job sends. */
const WEIGHT = { place: 1, cancel: 1, cancelAll: 1, getOrder: 4, openOrders: 6 } as const;

/** What placing `intent` costs in the budget; 'reduce' passes REDUCING (see Charge). */
export function placementCharge(intent: OrderIntent): Charge {
  return { kind: intent.reducesPosition ? 'reduce' : 'place', orders: 1, weight: WEIGHT.place };
}

/** A placement the budget refused for a halt (or REDUCING, for one that does not reduce): nothing went out. */
export const HALTED_BEFORE_SENT: JobOutcome = {
  kind: 'rejected',
  code: 'TRADING_HALTED',
  message: 'trading was halted (or only reducing) before this order went out',
};

/** Without a Retry-After, a 429 is waited out this long; Binance's windows are a second to a minute. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 10_000;

/**
 * How often (clock ms) a job refused by the budget asks again, at most: a halt (the kill switch) ends a placement's
 * wait within this, not when the order window slides, and the budget's own wait is kept when it is shorter.
 */
export const BUDGET_POLL_MS = 100;

export interface ProcessorOptions {
  readonly gateway: ExchangeGateway;
  readonly budget: Budget;
  readonly time: PipelineTime;
  /** How long an unknown placement is asked about before the owner is told it is still unknown. */
  readonly settleMs: number;
  /** How long an order must stay absent on the venue, asked at least twice, before it counts as never placed. */
  readonly absentConfirmMs: number;
}

/** What the worker knows of one run of a job. */
export interface JobRun {
  /** This job was started before (a crash mid-request, a stall, a retry): the exchange is asked before placing. */
  readonly rerun?: boolean;
  /** A placement's job id in the placement queue: its place in the line for the order budget (see ACQUIRE_SCRIPT). */
  readonly line?: string;
  /** Aborted when the worker closes: a job still waiting for budget then stops waiting (GiveBack). */
  readonly closing?: AbortSignal;
}

/** The worker closes while the job waits for budget: nothing of it went out, and it goes back to the queue. */
export class GiveBack extends Error {
  constructor() {
    super('the worker is closing while this job waits for rate budget');
  }
}

/** Nothing reached the exchange and it is safe to try again (network refused, 5xx proven absent): BullMQ retries. */
class RetryLater extends Error {}

/** The exchange answered 429/418 and every process's requests are paused: the job runs again when the pause ends. */
class RateLimited extends Error {}

/**
 * What one order job does against the exchange. Every request is paid for in the shared rate budget first; a
 * placement is refused once trading is HALTED (the budget script reads the shared state atomically), so nothing queued
 * before a halt goes out after it. An unknown placement is settled by asking the exchange by client order id, and
 * placed again only once the exchange has said twice, over `absentConfirmMs`, that it never got it.
 *
 * A job the budget refuses waits in place, in its worker, asking again every BUDGET_POLL_MS; placements keep their
 * queue order through the budget's line. It is not put back in the queue: BullMQ would put it at the back (a delayed
 * job is promoted behind every job still waiting), and later placements would overtake it.
 */
export class OrderProcessor {
  constructor(private readonly o: ProcessorOptions) {}

  async process(job: OrderJob, run: JobRun = {}): Promise<JobOutcome> {
    let rerun = run.rerun === true;
    for (;;) {
      try {
        return await this.processOnce(job, { ...run, rerun });
      } catch (error) {
        if (!(error instanceof RateLimited)) throw error;
        // Run again in place without using an attempt: its budget request waits for the shared pause (a halt still ends
        // the wait), and a placement asks the exchange first, as any run after a request went out.
        rerun = true;
      }
    }
  }

  private async processOnce(job: OrderJob, run: JobRun): Promise<JobOutcome> {
    switch (job.action) {
      case 'place':
        return this.place(job.intent, run.rerun === true || job.verify === true, run);
      case 'cancel':
        return this.cancel(job.symbol, job.clientOrderId, run);
      case 'sweep': {
        const gate = new SweepGate(this.o.time);
        const sweeps = await Promise.all(
          job.targets.map(async (t) => ({ symbol: t.symbol, sweep: await this.sweep(t.symbol, t.ask, job.timeoutMs, gate) })),
        );
        return { kind: 'sweep', sweeps };
      }
    }
  }

  private async place(intent: OrderIntent, rerun: boolean, run: JobRun): Promise<JobOutcome> {
    // The risk gate approved it under the trading state of its time; the state now is read in the same atomic step.
    if (!(await this.admit(placementCharge(intent), run))) return HALTED_BEFORE_SENT;
    if (rerun) {
      // A process may have died with this request on the wire. Binance refuses a duplicate client id only while the
      // first order is open, so an order that already filled would be placed twice: ask first.
      const asked = await this.query(() => this.o.gateway.getOrder(intent.symbol, intent.clientOrderId), WEIGHT.getOrder, run);
      if (!asked.ok) throw new RetryLater(`${asked.error.code}: ${asked.error.message}`);
      if (asked.value) return { kind: 'report', report: asked.value, asked: true };
    }
    return this.send(intent, run);
  }

  /**
   * A placement the budget granted already (the executor's fast lane, right behind the write that saved it) goes out at
   * once. A refusal, a report or an outcome settled by asking is returned; what must be tried again (nothing reached
   * the exchange, or a 429 paused the budget) throws, and the caller queues it as a job that asks the exchange first.
   */
  placeAdmitted(intent: OrderIntent): Promise<JobOutcome> {
    return this.send(intent, {});
  }

  private async send(intent: OrderIntent, run: JobRun): Promise<JobOutcome> {
    const res = await this.o.gateway.placeOrder(orderRequestOf(intent));
    if (res.ok) return { kind: 'report', report: res.value };
    const failure = res.error;
    switch (failure.kind) {
      case 'rejected':
        return { kind: 'rejected', code: failure.code, message: failure.message };
      case 'rate_limited':
        throw await this.backOff(failure, run);
      case 'retryable':
        throw new RetryLater(`${failure.code}: ${failure.message}`);
      case 'unknown':
        return this.settle(intent, failure, run);
    }
  }

  /**
   * Waits in place until the budget grants `charge`: true, or false when a halt refuses it (a placement). Asked again
   * every BUDGET_POLL_MS at most, so the wait ends at once when trading is halted; a placement refused as 'behind'
   * waits for the one taken from the queue before it, which the budget serves first.
   */
  private async admit(charge: Charge, run: JobRun): Promise<boolean> {
    const { time, budget } = this.o;
    for (;;) {
      const grant = await budget.acquire(charge, time.now(), run.line);
      if (grant.granted) return true;
      if (grant.reason === 'halted') return false;
      await sleepUnless(time, grant.waitMs > 0 ? Math.min(grant.waitMs, BUDGET_POLL_MS) : BUDGET_POLL_MS, run.closing);
      if (run.closing?.aborted) throw new GiveBack();
    }
  }

  /** Asks the exchange what became of a placement whose answer was lost, for at most `settleMs`. */
  private async settle(intent: OrderIntent, first: GatewayFailure, run: JobRun): Promise<JobOutcome> {
    const { time, settleMs, absentConfirmMs } = this.o;
    const started = time.now();
    let absentSince: number | undefined;
    let pause = 100;
    for (;;) {
      const asked = await this.query(() => this.o.gateway.getOrder(intent.symbol, intent.clientOrderId), WEIGHT.getOrder, run);
      const now = time.now();
      if (asked.ok && asked.value) return { kind: 'report', report: asked.value, asked: true };
      if (asked.ok) {
        // Absent now may be "not yet" (the matching engine can lag the timeout): only a lasting absence means never placed.
        if (absentSince === undefined) absentSince = now;
        else if (now - absentSince >= absentConfirmMs)
          throw new RetryLater(`${first.code}: the exchange does not have the order after ${now - absentSince} ms; placing it again`);
      }
      if (now - started >= settleMs) {
        return {
          kind: 'unknown',
          code: first.code,
          message: `${first.message}; the exchange was asked for ${Math.round((now - started) / 1000)} s without a definite answer`,
        };
      }
      await time.sleep(pause);
      pause = Math.min(pause * 2, 2_000);
    }
  }

  private async cancel(symbol: string, clientOrderId: string, run: JobRun): Promise<JobOutcome> {
    // Cancels pass a halt, and spend no order budget: the worker puts none in the placements' line.
    if (!(await this.admit({ kind: 'cancel', orders: 0, weight: WEIGHT.cancel }, run))) throw new Error('unreachable: cancels pass a halt');
    const res = await this.o.gateway.cancelOrder(symbol, clientOrderId);
    if (res.ok) return { kind: 'report', report: res.value };
    const failure = res.error;
    switch (failure.kind) {
      case 'rejected': {
        // Usually "unknown order": it filled or was cancelled meanwhile. Its final state is worth more than the refusal.
        const asked = await this.query(() => this.o.gateway.getOrder(symbol, clientOrderId), WEIGHT.getOrder, run);
        if (asked.ok && asked.value) return { kind: 'report', report: asked.value };
        return { kind: 'rejected', code: failure.code, message: failure.message };
      }
      case 'rate_limited':
        throw await this.backOff(failure, run);
      case 'retryable':
      case 'unknown':
        // A cancel is safe to repeat: the exchange refuses a second one for an order already gone.
        throw new RetryLater(`${failure.code}: ${failure.message}`);
    }
  }

  /**
   * The kill switch's sweep of one symbol (see the `sweep` job). Never the owner's own orders: a cancel-all goes out only
   * when the exchange has just listed every open order on the symbol as the bot's; when it cannot list them, the orders
   * the bot knows are cancelled one by one. Cancels go out together, each paid for in the budget.
   */
  private async sweep(symbol: string, ask: readonly string[], timeoutMs: number, gate: SweepGate): Promise<SweepOutcome> {
    const gw = this.o.gateway;
    const reports: ExecutionReport[] = [];
    const absent: string[] = [];
    const refused: { clientOrderId: string; reason: string }[] = [];
    const unanswered: string[] = [];
    const cancelOne = async (clientOrderId: string): Promise<void> => {
      const res = await this.paid(gate, 'cancel', WEIGHT.cancel, () => this.timed(gw.cancelOrder(symbol, clientOrderId), timeoutMs));
      if (res.ok) return void reports.push(res.value);
      if (res.error.kind !== 'rejected') return void unanswered.push(clientOrderId);
      // Usually "unknown order": it filled or was cancelled meanwhile. Its final state is worth more than the refusal.
      const asked = await this.paid(gate, 'query', WEIGHT.getOrder, () => this.timed(gw.getOrder(symbol, clientOrderId), timeoutMs));
      if (asked.ok && asked.value && !isOpen(asked.value)) reports.push(asked.value);
      else refused.push({ clientOrderId, reason: `${res.error.code}: ${res.error.message}` });
    };

    /** How one order ended when it was not (or no longer) on the book: the exchange's report, or absent. */
    const lookUp = async (clientOrderId: string): Promise<void> => {
      const asked = await this.paid(gate, 'query', WEIGHT.getOrder, () => this.timed(gw.getOrder(symbol, clientOrderId), timeoutMs));
      if (!asked.ok) unanswered.push(clientOrderId);
      else if (asked.value === undefined) absent.push(clientOrderId);
      // Landed after the listing (a placement that was in flight): cancelled like the rest.
      else if (isOpen(asked.value)) await cancelOne(clientOrderId);
      else reports.push(asked.value);
    };
    const listing = await this.paid(gate, 'query', WEIGHT.openOrders, () => this.timed(gw.openOrders(symbol), timeoutMs));
    if (!listing.ok) {
      await Promise.all(ask.map(cancelOne));
      const problem = `${listing.error.code}: ${listing.error.message}`;
      return { listed: false, problem, cancelAll: false, reports, absent, refused, unanswered };
    }
    const open = listing.value;
    const bot = open.map((o) => o.clientOrderId).filter(isBotOrder);
    let cancelAll = false;
    let oneByOne = bot;
    let askAfter = ask;
    if (bot.length > 0 && bot.length === open.length) {
      const all = await this.paid(gate, 'cancel', WEIGHT.cancelAll, () => this.timed(gw.cancelAll(symbol), timeoutMs));
      if (all.ok) {
        cancelAll = true;
        reports.push(...all.value);
        // An order that filled between the listing and the cancel-all is not in its answer: asked after below.
        const done = new Set(all.value.map((r) => r.clientOrderId));
        oneByOne = [];
        askAfter = [...ask, ...bot.filter((id) => !done.has(id))];
      } else if (all.error.kind !== 'rejected') {
        // Sent, answer lost: whether it cancelled is not known until the exchange is asked again.
        unanswered.push(...bot);
        oneByOne = [];
      }
    }
    const cancelled = new Set(reports.map((r) => r.clientOrderId));
    const onBook = new Set(bot);
    const gone = [...new Set(askAfter)].filter((id) => !cancelled.has(id) && !unanswered.includes(id) && (cancelAll || !onBook.has(id)));
    await Promise.all([...oneByOne.map(cancelOne), ...gone.map(lookUp)]);
    return { listed: true, cancelAll, reports, absent, refused, unanswered };
  }

  /**
   * One request of a sweep, paid for in the budget; a 429 pauses every process's requests for its Retry-After and the
   * request is sent again when the pause ends. The job waits in place rather than going back to the queue, and every
   * request of the job waits at the job's one gate: the 429s of one round arrive a few ms apart, each moving the gate
   * later, and every sweep passes it at the last of them and sends together. One sending early (at its own 429's end)
   * would draw the next 429 alone and hold the others back for a whole extra Retry-After.
   */
  private async paid<T>(
    gate: SweepGate,
    kind: 'cancel' | 'query',
    weight: number,
    call: () => Promise<Result<T, GatewayFailure>>,
  ): Promise<Result<T, GatewayFailure>> {
    const { time } = this.o;
    for (;;) {
      await this.pay(kind, weight, gate);
      const res = await call();
      if (res.ok || res.error.kind !== 'rate_limited') return res;
      const until = time.now() + (res.error.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS);
      gate.closeUntil(until);
      // Other processes hold back too; a longer pause one of them set moves this job's gate with it.
      gate.closeUntil(await this.o.budget.pause(until));
    }
  }

  /**
   * Waits in place until the shared budget grants `weight` (a halt never refuses cancels or reads). A pause set by
   * another request moves `gate` to its end (an absolute time, the same for every waiter), so the job's requests held
   * back by it go out together when it ends.
   */
  private async pay(kind: 'cancel' | 'query', weight: number, gate = new SweepGate(this.o.time)): Promise<void> {
    const { time } = this.o;
    for (;;) {
      await gate.pass();
      const now = time.now();
      const grant = await this.o.budget.acquire({ kind, orders: 0, weight }, now);
      if (grant.granted || grant.reason === 'halted') return;
      if (grant.reason === 'paused') gate.closeUntil(now + grant.waitMs);
      else await time.sleep(grant.waitMs);
    }
  }

  /** The call's answer, or an unknown outcome once `ms` have passed without one (the request is left to finish alone). */
  private async timed<T>(call: Promise<Result<T, GatewayFailure>>, ms: number): Promise<Result<T, GatewayFailure>> {
    const late = this.o.time.sleep(ms).then((): Result<T, GatewayFailure> => ({
      ok: false,
      error: { kind: 'unknown', code: 'TIMEOUT', message: `no answer within ${ms} ms` },
    }));
    return Promise.race([call, late]);
  }

  /** A read a job needs (settling, a re-run, a refused cancel): paid for like any request, waiting in place for budget. */
  private async query<T>(call: () => Promise<Result<T, GatewayFailure>>, weight: number, run: JobRun): Promise<Result<T, GatewayFailure>> {
    // Reads are never refused for a halt; only a budget wait or a pause keeps them back.
    await this.pay('query', weight);
    const res = await call();
    // A 429 on a read runs the whole job again once the pause ends (no attempt used); a re-run asks the exchange first.
    if (!res.ok && res.error.kind === 'rate_limited') throw await this.backOff(res.error, run);
    return res;
  }

  /**
   * A 429/418 pauses every process's requests for Retry-After (or a safe default), without using the job's attempt; a
   * placement goes back to waiting in its place in the line (it did not go out).
   */
  private async backOff(failure: GatewayFailure, run: JobRun): Promise<RateLimited> {
    const wait = failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
    await this.o.budget.pause(this.o.time.now() + wait, run.line);
    return new RateLimited(`${failure.code}: rate limited for ${wait} ms`);
  }
}

/** Sleeps `ms` on the pipeline's clock, or less when `signal` aborts first (a closing worker does not wait a poll out). */
function sleepUnless(time: PipelineTime, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return time.sleep(ms);
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    void time.sleep(ms).then(done);
  });
}

/** Still on the book: the exchange would cancel it. */
function isOpen(report: ExecutionReport): boolean {
  return report.status === 'NEW' || report.status === 'PARTIALLY_FILLED';
}
