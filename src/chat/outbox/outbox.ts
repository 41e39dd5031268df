import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type Clock, systemClock } from '../../engine/index.js';
import { planMessage, TELEGRAM_TEXT_LIMIT } from './digest.js';
import { type Notification, type NotificationKind, type NotificationLevel, toStored, URGENT_KINDS } from './notification.js';
import { type ClaimLimits, OutboxStore, type SetAside } from './outbox-store.js';

/**
 * What a send came to. Shaped so the grammY transport's own SendResult (`{ok, kind, retryAfterMs | description,
 * delivered}`) fits as it is: a rate limit is recognised by retryAfterMs, any other failure by ok: false.
 */
export type OutboxSendResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly retryAfterMs: number }
  | { readonly ok: false; readonly error?: string; readonly description?: string };

/**
 * The transport's sendMessage (e.g. `(id, text, o) => transport.notify(id, text, o)`). It must time out well inside
 * the outbox's leaseMs (see OutboxOptions.leaseMs). Texts are at most 4096 characters, so they are never split.
 */
export type OutboxSend = (chatId: number, text: string, options: { readonly silent: boolean }) => Promise<OutboxSendResult>;

export interface OutboxTimers {
  /** Resolves after ms of the outbox's time; tests resolve it when they move their clock. */
  sleep(ms: number): Promise<void>;
}

export interface OutboxLog {
  warn(obj: object, msg: string): void;
}

interface RateRule {
  readonly limit: number;
  readonly windowMs: number;
}

export interface OutboxOptions {
  readonly redis: Redis;
  /** Every key lives under `${keyPrefix}:outbox:*`. */
  readonly keyPrefix: string;
  readonly send: OutboxSend;
  readonly clock?: Clock;
  readonly timers?: OutboxTimers;
  /** Per kind: 'on' (default), 'silent' or 'off'. */
  readonly levels?: Partial<Record<NotificationKind, NotificationLevel>>;
  /** The unit of a fill digest's amounts when the fill does not name it. */
  readonly quoteAssetOf?: (symbol: string) => string | undefined;
  /** Private chats (positive ids): default 1 message per 1000 ms. */
  readonly privateRate?: RateRule;
  /** Groups (negative ids): default 1 per 3000 ms, i.e. 20 a minute evenly spaced and never 2 inside a second. */
  readonly groupRate?: RateRule;
  /** Across all chats of this bot (every process on the prefix): default 30 per 1000 ms. */
  readonly globalRate?: RateRule;
  /** Error answers (not 429s) a notification survives before it is logged and dropped: default 3. */
  readonly maxAttempts?: number;
  /** How long a chat waits after an error answer before the next attempt: default 5000 ms × the attempt so far. */
  readonly errorBackoffMs?: number;
  /**
   * How long a claim on a chat holds against other processes (default 120 000 ms). A process that dies mid-send
   * leaves its claim; another takes the chat over only after this, so the send port must give up well before.
   */
  readonly leaseMs?: number;
  /** What to do with a message a dead process may have sent: 'resend' (default, flagged as maybe repeated) or 'drop'. */
  readonly onUncertain?: 'resend' | 'drop';
  /** How often the loop looks for work other processes queued: default 1000 ms. */
  readonly idlePollMs?: number;
  /** How many waiting ids of one queue a message is planned from: default 1000. */
  readonly readLimit?: number;
  readonly textLimit?: number;
  readonly log?: OutboxLog;
}

export interface OutboxStats {
  /** Messages Telegram accepted, notifications they carried, notifications given up after maxAttempts errors. */
  readonly messages: number;
  readonly notes: number;
  readonly dropped: number;
}

const realTimers: OutboxTimers = {
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()),
};

const quiet: OutboxLog = { warn: () => undefined };

const LEVEL_DEFAULTS: Readonly<Record<NotificationKind, NotificationLevel>> = {
  fill: 'on',
  denial: 'on',
  position: 'on',
  round_trip: 'on',
  unknown_order: 'on',
  kill: 'on',
  recovery: 'on',
  data: 'on',
  error: 'on',
  state: 'on',
};

function checkRule(name: string, rule: RateRule): RateRule {
  if (!Number.isSafeInteger(rule.limit) || rule.limit < 1 || !Number.isSafeInteger(rule.windowMs) || rule.windowMs < 1) {
    throw new RangeError(`${name}: limit and windowMs must be whole numbers ≥ 1`);
  }
  return rule;
}

/**
 * Every message the bot sends on its own goes through here: stored in Redis before `enqueue` resolves, paced per chat
 * and globally, merged into digests when several wait, and removed only once Telegram accepted it.
 *
 * Delivery per message: CLAIM (lock the chat, take a rate slot) → plan from the queue heads → COMMIT (ids into the
 * in-flight record) → send → ACK (forget them) or FAIL (back to the queue heads, chat paused). Telegram's sendMessage
 * is not idempotent, so the one window that cannot be made exact is a crash between send and ACK; the record then
 * says "sending", and whoever takes the chat over after the lease resends it under a "maybe repeated" header (or drops
 * it, with onUncertain 'drop'). Everything else, including a clean stop() and restart, delivers each id exactly once.
 */
export class Outbox {
  private readonly store: OutboxStore;
  private readonly send: OutboxSend;
  private readonly clock: Clock;
  private readonly timers: OutboxTimers;
  private readonly levels: Readonly<Record<NotificationKind, NotificationLevel>>;
  private readonly unitOf: (symbol: string) => string;
  private readonly privateLimits: ClaimLimits;
  private readonly groupLimits: ClaimLimits;
  private readonly maxAttempts: number;
  private readonly errorBackoffMs: number;
  private readonly leaseMs: number;
  private readonly idlePollMs: number;
  private readonly readLimit: number;
  private readonly textLimit: number;
  private readonly log: OutboxLog;
  private readonly owner = randomUUID();
  /** Chats this instance is delivering to right now. */
  private readonly busy = new Set<string>();
  /** When a chat is worth asking Redis about again (what CLAIM last said); a hint only, Redis decides. */
  private readonly notBefore = new Map<string, number>();
  private running: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private counts = { messages: 0, notes: 0, dropped: 0 };

  constructor(options: OutboxOptions) {
    this.store = new OutboxStore(options.redis, options.keyPrefix);
    this.send = options.send;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? realTimers;
    this.levels = { ...LEVEL_DEFAULTS, ...options.levels };
    const quoteOf = options.quoteAssetOf;
    this.unitOf = (symbol) => quoteOf?.(symbol) ?? '';
    const privateRate = checkRule('privateRate', options.privateRate ?? { limit: 1, windowMs: 1000 });
    const groupRate = checkRule('groupRate', options.groupRate ?? { limit: 1, windowMs: 3000 });
    const globalRate = checkRule('globalRate', options.globalRate ?? { limit: 30, windowMs: 1000 });
    this.maxAttempts = options.maxAttempts ?? 3;
    this.errorBackoffMs = options.errorBackoffMs ?? 5000;
    this.leaseMs = options.leaseMs ?? 120_000;
    const shared = {
      owner: this.owner,
      leaseMs: this.leaseMs,
      globalLimit: globalRate.limit,
      globalWindowMs: globalRate.windowMs,
      onUncertain: options.onUncertain ?? 'resend',
    };
    this.privateLimits = { ...shared, chatLimit: privateRate.limit, chatWindowMs: privateRate.windowMs };
    this.groupLimits = { ...shared, chatLimit: groupRate.limit, chatWindowMs: groupRate.windowMs };
    this.idlePollMs = options.idlePollMs ?? 1000;
    this.readLimit = options.readLimit ?? 1000;
    this.textLimit = options.textLimit ?? TELEGRAM_TEXT_LIMIT;
    this.log = options.log ?? quiet;
    if (!Number.isSafeInteger(this.maxAttempts) || this.maxAttempts < 1) throw new RangeError('maxAttempts must be ≥ 1');
  }

  /** Stores the notification (resolves once it is in Redis) and returns its id; undefined when its kind is 'off'. */
  async enqueue(note: Notification): Promise<string | undefined> {
    const level = this.levels[note.kind];
    if (level === 'off') return undefined;
    const urgent = note.urgent ?? URGENT_KINDS.has(note.kind);
    const stored = toStored(note, urgent, level === 'silent', this.clock.now());
    const chat = String(note.chatId);
    const id = await this.store.enqueue(chat, urgent, stored);
    this.notBefore.delete(chat);
    this.wake();
    return id;
  }

  /** Starts the delivery loop (idempotent). */
  start(): void {
    if (this.running !== undefined) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** Stops the loop after the sends under way finished and were recorded; what waits stays in Redis for the next start. */
  async stop(): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    this.stopping = true;
    this.wake();
    await running;
    this.running = undefined;
  }

  stats(): OutboxStats {
    return { ...this.counts };
  }

  /** Notifications waiting (queued or in flight) for a chat, as Redis holds them. */
  async pending(chatId: number): Promise<number> {
    return this.store.pending(String(chatId));
  }

  /**
   * One delivery pass over every chat with something waiting: at most one message per chat, sends awaited. Returns
   * ms until a chat may be due again, or undefined when nothing waits. The loop calls it; tests may drive it directly.
   */
  async pump(): Promise<number | undefined> {
    const now = this.clock.now();
    const chats = await this.store.chats();
    let next: number | undefined;
    const due = (ms: number): void => {
      next = next === undefined ? ms : Math.min(next, ms);
    };
    // allSettled: a Redis error in one chat must not let the loop move on while other chats' sends are still under way.
    const outcomes = await Promise.allSettled(
      chats.map(async (chat) => {
        if (this.busy.has(chat)) return;
        const hint = this.notBefore.get(chat);
        if (hint !== undefined && hint > now) {
          due(hint - now);
          return;
        }
        this.busy.add(chat);
        try {
          const wait = await this.deliver(chat, now);
          if (wait === undefined) {
            this.notBefore.delete(chat);
          } else {
            if (wait > 0) this.notBefore.set(chat, now + wait);
            due(wait);
          }
        } finally {
          this.busy.delete(chat);
        }
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return next;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const woke = this.nextWake();
      let next: number | undefined;
      try {
        next = await this.pump();
      } catch (err) {
        // Redis down or a script error: keep the loop alive and retry at the idle pace.
        this.log.warn({ err }, 'outbox: delivery pass failed');
        next = this.idlePollMs;
      }
      if (this.stopping) break;
      if (next === 0) continue;
      await Promise.race([this.timers.sleep(Math.min(next ?? this.idlePollMs, this.idlePollMs)), woke]);
    }
  }

  private nextWake(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.wakeUp = () => {
        this.wakeUp = undefined;
        resolve();
      };
    });
  }

  private wake(): void {
    if (this.wakeUp !== undefined) this.wakeUp();
    else this.woken = true;
  }

  /** One message to one chat; returns ms until the chat may send again (0: at once), undefined when nothing waits. */
  private async deliver(chat: string, now: number): Promise<number | undefined> {
    const limits = chat.startsWith('-') ? this.groupLimits : this.privateLimits;
    const claim = await this.store.claim(chat, now, limits);
    if (claim.settled > 0) {
      this.log.warn(
        { chatId: chat, notifications: claim.settled, policy: limits.onUncertain },
        'outbox: took over a message a stopped process may have sent',
      );
    }
    if (claim.setAside) await this.reportSetAside(chat, [claim.setAside]);
    if (claim.kind === 'empty') return undefined;
    if (claim.kind === 'wait') return claim.ms;

    const { urgent, routine, setAside } = await this.store.heads(chat, this.readLimit);
    if (setAside.length > 0) await this.reportSetAside(chat, setAside);
    const plan = planMessage(urgent, routine, now, this.unitOf, this.textLimit);
    const ids = plan === undefined ? [] : [...plan.urgentIds, ...plan.routineIds];
    const committed = await this.store.commit(chat, {
      owner: this.owner,
      leaseUntil: now + this.leaseMs,
      sending: true,
      u: plan?.urgentIds ?? [],
      r: plan?.routineIds ?? [],
    });
    if (!committed || plan === undefined || plan.noteCount === 0) {
      // Nothing to say (or the lease was lost): release the chat, settling any ids whose records were gone.
      await this.ack(chat, committed ? ids : []);
      return 0;
    }

    let result: OutboxSendResult;
    try {
      result = await this.send(Number(chat), plan.text, { silent: plan.silent });
    } catch (err) {
      // A thrown send counts as a definite failure (retried): a transport that may have delivered should answer, not throw.
      result = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (result.ok) {
      await this.ack(chat, ids);
      this.counts.messages++;
      this.counts.notes += plan.noteCount;
      return 0;
    }
    const after = this.clock.now();
    if ('retryAfterMs' in result) {
      await this.store.fail(chat, this.owner, plan.urgentIds, plan.routineIds, false, this.maxAttempts, after + result.retryAfterMs);
      return Math.max(1, after + result.retryAfterMs - now);
    }
    const error =
      ('error' in result ? result.error : undefined) ?? ('description' in result ? result.description : undefined) ?? 'send failed';
    const attempt = (await this.store.attempts(ids)) + 1;
    const pause = this.errorBackoffMs * attempt;
    const dropped = await this.store.fail(chat, this.owner, plan.urgentIds, plan.routineIds, true, this.maxAttempts, after + pause);
    this.log.warn({ chatId: chat, error, attempt, dropped: dropped.length }, 'outbox: send failed');
    this.counts.dropped += dropped.length;
    return Math.max(1, after + pause - now);
  }

  /**
   * Says once, in the log and in the chat, what was set aside: each entry is moved out as it is found, so it is never
   * found (or told) again. The owner learns a notification is missing and where it is kept.
   */
  private async reportSetAside(chat: string, entries: readonly SetAside[]): Promise<void> {
    for (const e of entries) {
      this.log.warn({ chatId: chat, key: this.store.deadKey, field: e.field, why: e.why }, 'outbox: an unreadable entry was set aside');
    }
    const one = entries.length === 1;
    const what = one ? 'A stored notification' : `${entries.length} stored notifications`;
    const fields = entries.map((e) => e.field).join(', ');
    const text =
      `⚠️ ${what} could not be read and ${one ? 'was' : 'were'} set aside, ` +
      `so ${one ? 'it' : 'they'} will not arrive (${entries[0]?.why}). ` +
      `Kept in Redis hash ${this.store.deadKey}, ${fields}.`;
    try {
      await this.enqueue({ chatId: Number(chat), kind: 'error', text });
    } catch (err) {
      this.log.warn({ err, chatId: chat }, 'outbox: could not queue the notice of an entry set aside');
    }
  }

  private async ack(chat: string, ids: readonly string[]): Promise<void> {
    const mine = await this.store.ack(chat, this.owner, ids);
    if (!mine) this.log.warn({ chatId: chat }, 'outbox: a send outlived its lease; another process may repeat it');
  }
}
