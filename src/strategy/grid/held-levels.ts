import type { DenialCode, OrderIntent } from '../../domain/index.js';

/**
 * Why a re-arm waits instead of going out, which also says what releases it:
 * - `halt`: trading HALTED / REDUCING or the daily loss; released when trading is ACTIVE again.
 * - `stale`: the risk gate has no fresh price for the symbol; released by the symbol's next trade (or its feed's return).
 * - `rate_limit` / `exchange`: the exchange refused for a passing reason (a rate limit, a timeout, a 5xx, a clock skew);
 *   sent again on the symbol's first trade after a back-off that doubles with each attempt (see `retryDelayMs`).
 */
export type HoldCause = 'halt' | 'stale' | 'rate_limit' | 'exchange';

export interface HoldWhy {
  readonly cause: HoldCause;
  /** The refusal's code as the risk gate or the exchange gave it. */
  readonly code: string;
  /** When the level first waited: kept across re-holds, so "since" is how long the level has been missing. */
  readonly since: number;
  /** Time-based causes only: not sent again before this clock time. */
  readonly retryAt?: number;
  /** Exchange refusals of this level in a row (the back-off grows with them). */
  readonly attempts: number;
}

/** What `/grids` says about one cause: how many levels wait for it and since when (the oldest). */
export interface WaitingLevels {
  readonly cause: HoldCause;
  readonly count: number;
  readonly since: number;
}

/** Risk-gate refusals that pass on their own; every other denial is lasting (the owner's limits, funds, filters). */
const HELD_DENIALS: ReadonlyMap<DenialCode, HoldCause> = new Map<DenialCode, HoldCause>([
  ['TRADING_HALTED', 'halt'],
  ['TRADING_REDUCING', 'halt'],
  ['MAX_DAILY_LOSS', 'halt'],
  ['STALE_MARKET_DATA', 'stale'],
  ['NO_MARKET_DATA', 'stale'],
]);

/**
 * Exchange and pipeline codes (OrderRejected.code) that pass: the request was refused or lost before it could do
 * anything, for a reason that is not the order's. The list is written down in the grid README; anything not named here
 * (insufficient balance -2010, filter failures -1013, bad parameters -11xx, a 4xx, VENUE_REJECTED) is lasting.
 */
const HELD_REJECTIONS: ReadonlyMap<string, HoldCause> = new Map<string, HoldCause>([
  // The pipeline found trading halted just before it sent the order.
  ['TRADING_HALTED', 'halt'],
  // Rate limits: -1003 request weight, -1015 order count; 429 / 418 without a JSON body.
  ['BINANCE_-1003', 'rate_limit'],
  ['BINANCE_-1015', 'rate_limit'],
  ['HTTP_429', 'rate_limit'],
  ['HTTP_418', 'rate_limit'],
  // The adapter's own hold after a 429 (nothing was sent), as an executor without a retrying queue reports it.
  ['RATE_LIMIT_BACKOFF', 'rate_limit'],
  // Lost or refused by a struggling exchange: unknown error, disconnected, timeouts, overloaded, clock outside recvWindow.
  ['BINANCE_-1000', 'exchange'],
  ['BINANCE_-1001', 'exchange'],
  ['BINANCE_-1006', 'exchange'],
  ['BINANCE_-1007', 'exchange'],
  ['BINANCE_-1008', 'exchange'],
  ['BINANCE_-1021', 'exchange'],
  ['TIMEOUT', 'exchange'],
  ['GATEWAY_ERROR', 'exchange'],
  ['TRANSPORT', 'exchange'],
  // The reconciler's verdict on an outcome that was unknown: the exchange has no such order, so it was never placed.
  ['NOT_PLACED', 'exchange'],
]);

/** The cause a risk-gate denial waits for, or undefined when it is lasting. */
export function heldDenialCause(code: DenialCode): HoldCause | undefined {
  return HELD_DENIALS.get(code);
}

/** The cause an exchange rejection waits for, or undefined when it is lasting. */
export function heldRejectionCause(code: string): HoldCause | undefined {
  const named = HELD_REJECTIONS.get(code);
  if (named !== undefined) return named;
  // A 5xx from a proxy or the exchange's front, and a connection that failed, say nothing about the order itself.
  if (/^HTTP_5\d\d$/.test(code) || code.startsWith('NETWORK_')) return 'exchange';
  return undefined;
}

/** First retry 5 s after an exchange refusal, doubling per refusal in a row, at most 5 minutes apart: never a loop. */
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 300_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(attempts - 1, 16)));
}

/** The words `/grids` uses for a cause. */
export function holdCauseText(cause: HoldCause): string {
  switch (cause) {
    case 'halt':
      return 'trading halted';
    case 'stale':
      return 'stale market data';
    case 'rate_limit':
      return 'exchange rate limit';
    case 'exchange':
      return 'exchange error, retrying';
  }
}

/** How many of one strategy's grids hold any level: a quiet tick asks this alone, not every grid of its symbol. */
export class HeldCount {
  grids = 0;
}

/**
 * A grid's re-arms that wait, by client order id, each with why. A Map of intents (what the snapshot and the stop path
 * read) that also keeps the reasons: deleting or clearing an intent forgets its reason with it. An intent set without a
 * reason (a snapshot written before reasons were kept) is a halt's, the only hold there was then.
 */
export class HeldLevels extends Map<string, OrderIntent> {
  private readonly reasons = new Map<string, HoldWhy>();
  /** Levels (`SIDE level`) whose lasting refusal the owner has been told about, so it is told once, not per fill. */
  readonly toldLasting = new Set<string>();
  /** Set when restored from a snapshot with levels waiting: the symbol's first trade sends them all to be judged again. */
  restored = false;
  private counter: HeldCount | undefined;

  /** Counts this grid in `counter` while it holds any level, from now on (and now, if it holds some already). */
  countIn(counter: HeldCount): void {
    this.counter = counter;
    if (this.size > 0) counter.grids++;
  }

  hold(intent: OrderIntent, why: HoldWhy): void {
    this.set(intent.clientOrderId, intent);
    this.reasons.set(intent.clientOrderId, why);
  }

  override set(clientOrderId: string, intent: OrderIntent): this {
    const empty = this.size === 0;
    super.set(clientOrderId, intent);
    if (empty && this.counter !== undefined) this.counter.grids++;
    return this;
  }

  whyOf(clientOrderId: string): HoldWhy | undefined {
    if (!this.has(clientOrderId)) return undefined;
    return this.reasons.get(clientOrderId) ?? { cause: 'halt', code: 'TRADING_HALTED', since: 0, attempts: 0 };
  }

  override delete(clientOrderId: string): boolean {
    this.reasons.delete(clientOrderId);
    const deleted = super.delete(clientOrderId);
    if (deleted && this.size === 0 && this.counter !== undefined) this.counter.grids--;
    return deleted;
  }

  override clear(): void {
    const held = this.size > 0;
    this.reasons.clear();
    super.clear();
    if (held && this.counter !== undefined) this.counter.grids--;
  }

  /** Removes and returns, in the order they were held, the intents whose reason `pick` accepts. */
  take(pick: (why: HoldWhy) => boolean): { readonly intent: OrderIntent; readonly why: HoldWhy }[] {
    const out: { intent: OrderIntent; why: HoldWhy }[] = [];
    for (const [id, intent] of this) {
      const why = this.whyOf(id)!;
      if (pick(why)) out.push({ intent, why });
    }
    for (const { intent } of out) this.delete(intent.clientOrderId);
    return out;
  }

  /** Levels waiting, grouped by cause in the order first met, each with its oldest `since`. */
  waiting(): WaitingLevels[] {
    const byCause = new Map<HoldCause, { cause: HoldCause; count: number; since: number }>();
    for (const id of this.keys()) {
      const why = this.whyOf(id)!;
      const seen = byCause.get(why.cause);
      if (seen === undefined) byCause.set(why.cause, { cause: why.cause, count: 1, since: why.since });
      else {
        seen.count++;
        seen.since = Math.min(seen.since, why.since);
      }
    }
    return [...byCause.values()];
  }

  /** The reasons, for the snapshot (intents without one are left out: they read back as halts). */
  reasonsOut(): { readonly clientOrderId: string; readonly why: HoldWhy }[] {
    return [...this.keys()].flatMap((id) => {
      const why = this.reasons.get(id);
      return why === undefined ? [] : [{ clientOrderId: id, why }];
    });
  }
}
