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
  acquire(charge: Charge, now: number): Promise<Grant>;
  /** Resolves with the shared pause's end, which a longer pause set by another request may put after `until`. */
  pause(until: number): Promise<number>;
}

/** Binance's request weights (PROTOCOLS A.10) for what a job sends. */
const WEIGHT = { place: 1, cancel: 1, cancelAll: 1, getOrder: 4, openOrders: 6 } as const;

/** Without a Retry-After, a 429 is waited out this long; Binance's windows are a second to a minute. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 10_000;

export interface ProcessorOptions {
  readonly gateway: ExchangeGateway;
  readonly budget: Budget;
  readonly time: PipelineTime;
  /** How long an unknown placement is asked about before the owner is told it is still unknown. */
  readonly settleMs: number;
  /** How long an order must stay absent on the venue, asked at least twice, before it counts as never placed. */
  readonly absentConfirmMs: number;
}

/** The job must wait `waitMs` (clock time) without using an attempt: it waits as a delayed job, its queue rate-limited. */
export class WaitForBudget extends Error {
  constructor(readonly waitMs: number) {
    super(`rate budget exhausted for ${waitMs} ms`);
  }
}

/** Nothing reached the exchange and it is safe to try again (network refused, 5xx proven absent): BullMQ retries. */
class RetryLater extends Error {}

/**
 * What one order job does against the exchange. Every request is paid for in the shared rate budget first; a
 * placement is refused once trading is HALTED (the budget script reads the shared state atomically), so nothing queued
 * before a halt goes out after it. An unknown placement is settled by asking the exchange by client order id, and
 * placed again only once the exchange has said twice, over `absentConfirmMs`, that it never got it.
 */
export class OrderProcessor {
  constructor(private readonly o: ProcessorOptions) {}

  /** `rerun`: this job was started before (a crash mid-request, a stall): the exchange is asked before placing. */
  async process(job: OrderJob, rerun = false): Promise<JobOutcome> {
    switch (job.action) {
      case 'place':
        return this.place(job.intent, rerun || job.verify === true);
      case 'cancel':
        return this.cancel(job.symbol, job.clientOrderId);
      case 'sweep': {
        const gate = new SweepGate(this.o.time);
        const sweeps = await Promise.all(
          job.targets.map(async (t) => ({ symbol: t.symbol, sweep: await this.sweep(t.symbol, t.ask, job.timeoutMs, gate) })),
        );
        return { kind: 'sweep', sweeps };
      }
    }
  }

  private async place(intent: OrderIntent, rerun: boolean): Promise<JobOutcome> {
    // The risk gate approved it under the trading state of its time; the state now is read in the same atomic step.
    const kind = intent.reducesPosition ? 'reduce' : 'place';
    const grant = await this.o.budget.acquire({ kind, orders: 1, weight: WEIGHT.place }, this.o.time.now());
    if (!grant.granted) {
      if (grant.reason === 'halted')
        return { kind: 'rejected', code: 'TRADING_HALTED', message: 'trading was halted (or only reducing) before this order went out' };
      throw new WaitForBudget(grant.waitMs);
    }
    if (rerun) {
      // A process may have died with this request on the wire. Binance refuses a duplicate client id only while the
      // first order is open, so an order that already filled would be placed twice: ask first.
      const asked = await this.query(() => this.o.gateway.getOrder(intent.symbol, intent.clientOrderId), WEIGHT.getOrder);
      if (!asked.ok) throw new RetryLater(`${asked.error.code}: ${asked.error.message}`);
      if (asked.value) return { kind: 'report', report: asked.value };
    }
    const res = await this.o.gateway.placeOrder(orderRequestOf(intent));
    if (res.ok) return { kind: 'report', report: res.value };
    const failure = res.error;
    switch (failure.kind) {
      case 'rejected':
        return { kind: 'rejected', code: failure.code, message: failure.message };
      case 'rate_limited':
        throw await this.backOff(failure);
      case 'retryable':
        throw new RetryLater(`${failure.code}: ${failure.message}`);
      case 'unknown':
        return this.settle(intent, failure);
    }
  }

  /** Asks the exchange what became of a placement whose answer was lost, for at most `settleMs`. */
  private async settle(intent: OrderIntent, first: GatewayFailure): Promise<JobOutcome> {
    const { time, settleMs, absentConfirmMs } = this.o;
    const started = time.now();
    let absentSince: number | undefined;
    let pause = 100;
    for (;;) {
      const asked = await this.query(() => this.o.gateway.getOrder(intent.symbol, intent.clientOrderId), WEIGHT.getOrder);
      const now = time.now();
      if (asked.ok && asked.value) return { kind: 'report', report: asked.value };
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

  private async cancel(symbol: string, clientOrderId: string): Promise<JobOutcome> {
    const grant = await this.o.budget.acquire({ kind: 'cancel', orders: 0, weight: WEIGHT.cancel }, this.o.time.now());
    if (!grant.granted) {
      if (grant.reason === 'halted') throw new Error('unreachable: cancels pass a halt');
      throw new WaitForBudget(grant.waitMs);
    }
    const res = await this.o.gateway.cancelOrder(symbol, clientOrderId);
    if (res.ok) return { kind: 'report', report: res.value };
    const failure = res.error;
    switch (failure.kind) {
      case 'rejected': {
        // Usually "unknown order": it filled or was cancelled meanwhile. Its final state is worth more than the refusal.
        const asked = await this.query(() => this.o.gateway.getOrder(symbol, clientOrderId), WEIGHT.getOrder);
        if (asked.ok && asked.value) return { kind: 'report', report: asked.value };
        return { kind: 'rejected', code: failure.code, message: failure.message };
      }
      case 'rate_limited':
        throw await this.backOff(failure);
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

  /** A read the pipeline needs (settling, sweeping): paid for like any request, waiting in place for budget. */
  private async query<T>(call: () => Promise<Result<T, GatewayFailure>>, weight: number): Promise<Result<T, GatewayFailure>> {
    // Reads are never refused for a halt; only a budget wait or a pause keeps them back.
    await this.pay('query', weight);
    const res = await call();
    // A 429 on a read makes the whole job wait (delayed, no attempt used); a re-run asks the exchange first anyway.
    if (!res.ok && res.error.kind === 'rate_limited') throw await this.backOff(res.error);
    return res;
  }

  /** A 429/418 pauses every process's requests for Retry-After (or a safe default), without using the job's attempt. */
  private async backOff(failure: GatewayFailure): Promise<WaitForBudget> {
    const wait = failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
    await this.o.budget.pause(this.o.time.now() + wait);
    return new WaitForBudget(wait);
  }
}

/** Still on the book: the exchange would cancel it. */
function isOpen(report: ExecutionReport): boolean {
  return report.status === 'NEW' || report.status === 'PARTIALLY_FILLED';
}
