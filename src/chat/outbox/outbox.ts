import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type Clock, systemClock } from '../../engine/index.js';
import type { ReplyPhoto } from '../registry.js';
import { CAPTION_LIMIT, type QueuedReply, type ReplySink, photoMessages, splitText } from '../telegram/index.js';
import { planMessage, TELEGRAM_TEXT_LIMIT, UNCERTAIN_HEADER } from './digest.js';
import { DirectLine } from './direct-line.js';
import { LocalPace } from './local-pace.js';
import {
  type Notification,
  type NotificationKind,
  type NotificationLevel,
  type StoredNote,
  storedEdit,
  storedPhoto,
  storedReplyPart,
  toStored,
  URGENT_KINDS,
} from './notification.js';
import type { OutboxEdit, OutboxLog, OutboxSend, OutboxSendPhoto, OutboxSendResult, OutboxTimers, Transmission } from './outbox-ports.js';
import { type ClaimLimits, OutboxStore, type SetAside } from './outbox-store.js';

interface RateRule {
  readonly limit: number;
  readonly windowMs: number;
}

export interface OutboxOptions {
  readonly redis: Redis;
  /** Every key lives under `${keyPrefix}:outbox:*`. */
  readonly keyPrefix: string;
  readonly send: OutboxSend;
  /** How an edit reaches Telegram; an outbox without one refuses edits (logged and counted as dropped). */
  readonly edit?: OutboxEdit;
  /** How a reply's picture reaches Telegram; an outbox without one refuses pictures as it refuses edits. */
  readonly sendPhoto?: OutboxSendPhoto;
  /**
   * The largest picture kept (default 1 MiB; Telegram takes 10 MB, but each waits in Redis as base64 and a chart is
   * about 90 KB). A bigger one is not sent: it is logged and the chat told instead.
   */
  readonly maxPhotoBytes?: number;
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
  /**
   * The wait after a chat's first transient error answer (5xx, network, timeout): default 1000 ms, doubled with each
   * error the waiting notes have had, up to errorBackoffCapMs.
   */
  readonly errorBackoffMs?: number;
  /** The longest wait between two attempts after errors: default 30 000 ms, so a recovered Telegram hears soon. */
  readonly errorBackoffCapMs?: number;
  /** Error answers a message on the in-memory direct line survives before it is given up: default 5 (about 15 s). */
  readonly directAttempts?: number;
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

/** What /limits and /metrics show of the outbox. Counts are this process's since it started. */
export interface OutboxStats {
  /** Messages and edits Telegram accepted (both paths). */
  readonly messages: number;
  /** Notifications, reply parts and edits those messages carried. */
  readonly notes: number;
  /** Given up: refused for good by Telegram (chat not found, bot blocked), or on the direct line after its retries. */
  readonly dropped: number;
  /** Transient error answers (5xx, network, timeout) after which a message in Redis waits to be tried again. */
  readonly retried: number;
  /** The last 429 Telegram answered: when (outbox clock, ms) and the wait it asked for. */
  readonly last429?: { readonly at: number; readonly retryAfterMs: number };
  /**
   * Waiting in Redis now across every chat, per lane (a message in flight counted in its lane), and the age of the
   * oldest waiting one; undefined while Redis is unreachable (the figures would wait for it).
   */
  readonly waiting?: { readonly urgent: number; readonly routine: number; readonly oldestAgeMs?: number };
  /** Waiting in memory on the direct line (alerts about Redis, replies while Redis is away). */
  readonly direct: number;
}

/**
 * The transport appends a tap's outcome (at most this long) to a confirmation preview when it edits it, so the reply
 * part carrying the buttons keeps that much room.
 */
const PREVIEW_OUTCOME_ROOM = 300;

const DEFAULT_MAX_PHOTO_BYTES = 1024 * 1024;

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
 * Every message the bot sends goes through here: notifications, command replies (ReplySink) and edits, stored in Redis
 * before the call resolves, paced per chat and globally, notifications merged into digests when several wait, and
 * removed only once Telegram accepted them.
 *
 * Delivery per message: CLAIM (lock the chat, take a rate slot) → plan from the queue heads → COMMIT (ids into the
 * in-flight record) → send → ACK (forget them) or FAIL (back to the queue heads, chat paused). Telegram's sendMessage
 * is not idempotent, so the one window that cannot be made exact is a crash between send and ACK; the record then
 * says "sending", and whoever takes the chat over after the lease resends it under a "maybe repeated" header (or drops
 * it, with onUncertain 'drop'). Everything else, including a clean stop() and restart, delivers each id exactly once.
 *
 * Never giving up: a 429 waits its retry_after; a transient error answer (5xx, network, timeout, a thrown send) waits
 * errorBackoffMs doubled per error so far, capped at errorBackoffCapMs, and is tried again, for as long as it takes.
 * Every waiting note stays relevant: nothing expires, because notifications are merged into digests when they go (a
 * long outage costs a few messages, not one per note) and a reply answers a command the owner is waiting on. Only
 * Telegram's refusal of the request itself (`permanent`: 400, 403 — chat not found, bot blocked) drops a message, with
 * a log line and a count in stats().
 *
 * Lanes: urgent notes, urgent replies (the kill switch's acknowledgement, confirmations) and edits go before every
 * routine one waiting for the chat, also when a 429 pause ends; each lane keeps its order. Alerts about Redis itself
 * (alert()) and replies while Redis is unreachable take the in-memory direct line instead, paced with the rest.
 */
export class Outbox implements ReplySink {
  private readonly redis: Redis;
  private readonly store: OutboxStore;
  private readonly send: OutboxSend;
  private readonly editPort: OutboxEdit | undefined;
  private readonly photoPort: OutboxSendPhoto | undefined;
  private readonly maxPhotoBytes: number;
  private readonly clock: Clock;
  private readonly timers: OutboxTimers;
  private readonly levels: Readonly<Record<NotificationKind, NotificationLevel>>;
  private readonly unitOf: (symbol: string) => string;
  private readonly privateLimits: ClaimLimits;
  private readonly groupLimits: ClaimLimits;
  private readonly errorBackoffMs: number;
  private readonly errorBackoffCapMs: number;
  private readonly leaseMs: number;
  private readonly idlePollMs: number;
  private readonly readLimit: number;
  private readonly textLimit: number;
  private readonly log: OutboxLog;
  private readonly owner = randomUUID();
  /** This process's sends and 429 pauses, shared by the Redis path and the direct line. */
  private readonly pace: LocalPace;
  private readonly direct: DirectLine;
  /** Chats this instance is delivering to right now. */
  private readonly busy = new Set<string>();
  /** When a chat is worth asking Redis about again (what CLAIM last said); a hint only, Redis decides. */
  private readonly notBefore = new Map<string, number>();
  private running: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private counts = { messages: 0, notes: 0, dropped: 0, retried: 0 };
  private last429: { readonly at: number; readonly retryAfterMs: number } | undefined;

  constructor(options: OutboxOptions) {
    this.redis = options.redis;
    this.store = new OutboxStore(options.redis, options.keyPrefix);
    this.send = options.send;
    this.editPort = options.edit;
    this.photoPort = options.sendPhoto;
    this.maxPhotoBytes = options.maxPhotoBytes ?? DEFAULT_MAX_PHOTO_BYTES;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? realTimers;
    this.levels = { ...LEVEL_DEFAULTS, ...options.levels };
    const quoteOf = options.quoteAssetOf;
    this.unitOf = (symbol) => quoteOf?.(symbol) ?? '';
    const privateRate = checkRule('privateRate', options.privateRate ?? { limit: 1, windowMs: 1000 });
    const groupRate = checkRule('groupRate', options.groupRate ?? { limit: 1, windowMs: 3000 });
    const globalRate = checkRule('globalRate', options.globalRate ?? { limit: 30, windowMs: 1000 });
    this.errorBackoffMs = options.errorBackoffMs ?? 1000;
    this.errorBackoffCapMs = options.errorBackoffCapMs ?? 30_000;
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
    for (const [name, ms] of [
      ['errorBackoffMs', this.errorBackoffMs],
      ['errorBackoffCapMs', this.errorBackoffCapMs],
      ['maxPhotoBytes', this.maxPhotoBytes],
    ] as const) {
      if (!Number.isSafeInteger(ms) || ms < 1) throw new RangeError(`${name} must be a whole number ≥ 1`);
    }
    const directAttempts = options.directAttempts ?? 5;
    if (!Number.isSafeInteger(directAttempts) || directAttempts < 1) throw new RangeError('directAttempts must be ≥ 1');
    this.pace = new LocalPace((chat) => this.limitsOf(chat));
    this.direct = new DirectLine({
      transmit: (chatId, message) => this.transmit(chatId, message),
      clock: this.clock,
      timers: this.timers,
      pace: this.pace,
      log: this.log,
      maxAttempts: directAttempts,
      backoff: (attempt) => this.backoff(attempt),
      gaveUp: () => this.counts.dropped++,
    });
  }

  /** Stores the notification (resolves once it is in Redis) and returns its id; undefined when its kind is 'off'. */
  async enqueue(note: Notification): Promise<string | undefined> {
    const level = this.levels[note.kind];
    if (level === 'off') return undefined;
    const urgent = note.urgent ?? URGENT_KINDS.has(note.kind);
    const [id] = await this.queue(String(note.chatId), urgent, [toStored(note, urgent, level === 'silent', this.clock.now())]);
    return id;
  }

  /**
   * A command's reply, split at line breaks into parts Telegram takes (the buttons on the last), then its picture if it
   * has one, queued together in its lane (all or none); never merged with notifications. Each part keeps room for the
   * "maybe repeated" header a resend after a crash adds. With Redis unreachable they take the direct line (the picture
   * too, from memory) rather than wait for it.
   */
  async reply(chatId: number, reply: QueuedReply): Promise<void> {
    const { lead, photo } = this.placePicture(chatId, reply);
    const limit = this.textLimit - UNCERTAIN_HEADER.length - 1;
    const lastLimit = reply.keyboard === undefined ? limit : Math.max(limit - PREVIEW_OUTCOME_ROOM, Math.floor(limit / 2));
    const parts = splitText(lead, limit, lastLimit);
    const keyboardOf = (i: number) => (i === parts.length - 1 ? reply.keyboard : undefined);
    if (!this.redisReachable()) {
      for (const [i, text] of parts.entries()) {
        const keyboard = keyboardOf(i);
        this.direct.say(chatId, { text, silent: false, ...(keyboard !== undefined ? { keyboard } : {}) }, reply.urgent);
      }
      if (photo !== undefined) {
        const picture = { png: photo.png, filename: photo.filename };
        this.direct.say(chatId, { text: photo.caption, silent: false, photo: picture }, reply.urgent);
      }
      return;
    }
    const now = this.clock.now();
    const notes = parts.map((text, i) => storedReplyPart(text, keyboardOf(i), reply.urgent, now));
    if (photo !== undefined) notes.push(storedPhoto(photo.png, photo.caption, photo.filename, reply.urgent, now));
    if (notes.length > 0) await this.queue(String(chatId), reply.urgent, notes);
  }

  /**
   * Where a reply's picture goes: a caption too long for Telegram (with room for the "maybe repeated" header) joins the
   * text before it; a picture over maxPhotoBytes is not kept at all, and the chat is told so in the text instead.
   */
  private placePicture(chatId: number, reply: QueuedReply): { lead: string; photo?: ReplyPhoto } {
    const photo = reply.photo;
    if (photo === undefined) return { lead: reply.text };
    const bytes = photo.png.byteLength;
    if (bytes > this.maxPhotoBytes) {
      this.log.warn(
        { chatId, filename: photo.filename, bytes, maxBytes: this.maxPhotoBytes },
        'outbox: a picture is larger than the outbox keeps; not sent',
      );
      const kib = (n: number) => `${Math.ceil(n / 1024)} KB`;
      const notice = `✗ The picture ${photo.filename} could not be sent: it is ${kib(bytes)}, over the ${kib(this.maxPhotoBytes)} limit.`;
      return { lead: reply.text.trim() === '' ? notice : `${reply.text}\n${notice}` };
    }
    const placed = photoMessages(reply.text, photo.caption, CAPTION_LIMIT - UNCERTAIN_HEADER.length - 1);
    return { lead: placed.lead, photo: { ...photo, caption: placed.caption } };
  }

  /** An edit of a message the bot sent, queued in the urgent lane (see storedEdit) and paced like a message. */
  async edit(chatId: number, messageId: number, text: string): Promise<void> {
    if (!this.redisReachable()) return this.direct.say(chatId, { text, silent: false, editOf: messageId }, true);
    await this.queue(String(chatId), true, [storedEdit(messageId, text, this.clock.now())]);
  }

  /** A progress line (see ReplySink.live): on the direct line, paced with the rest, its message id told once sent. */
  live(chatId: number, text: string): Promise<number | undefined> {
    const clipped = text.length <= this.textLimit ? text : `${text.slice(0, this.textLimit - 1)}…`;
    return new Promise((resolve) =>
      this.direct.say(chatId, { text: clipped, silent: false }, false, (result) => resolve(result.ok ? result.messageIds?.[0] : undefined)),
    );
  }

  /** A progress line's new text, on the direct line like the line itself; resolves once Telegram answered. */
  liveEdit(chatId: number, messageId: number, text: string): Promise<void> {
    const clipped = text.length <= this.textLimit ? text : `${text.slice(0, this.textLimit - 1)}…`;
    return new Promise((resolve) => this.direct.say(chatId, { text: clipped, silent: false, editOf: messageId }, false, () => resolve()));
  }

  /**
   * Says `text` straight to Telegram from memory, not through Redis: for alerts about Redis itself, which must arrive
   * while it is away. Paced with the outbox's own sends, honouring the kind's level, retried a few times (directAttempts).
   */
  alert(chatId: number, text: string, kind: NotificationKind = 'error'): void {
    const level = this.levels[kind];
    if (level === 'off') return;
    const clipped = text.length <= this.textLimit ? text : `${text.slice(0, this.textLimit - 1)}…`;
    this.direct.say(chatId, { text: clipped, silent: level === 'silent' }, true);
  }

  /** Starts the delivery loop (idempotent). */
  start(): void {
    if (this.running !== undefined) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /**
   * Stops the loop after the sends under way finished and were recorded; what waits in Redis stays for the next start.
   * What waits on the direct line is given up (it was only in memory).
   */
  async stop(): Promise<void> {
    await this.direct.stop();
    const running = this.running;
    if (running === undefined) return;
    this.stopping = true;
    this.wake();
    await running;
    this.running = undefined;
  }

  async stats(): Promise<OutboxStats> {
    const depth = this.redisReachable() ? await this.store.depth() : undefined;
    const now = this.clock.now();
    return {
      ...this.counts,
      ...(this.last429 !== undefined ? { last429: this.last429 } : {}),
      ...(depth !== undefined
        ? {
            waiting: {
              urgent: depth.urgent,
              routine: depth.routine,
              ...(depth.oldestAt !== undefined ? { oldestAgeMs: Math.max(0, now - depth.oldestAt) } : {}),
            },
          }
        : {}),
      direct: this.direct.waiting(),
    };
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
    // The direct line's sends count too; Redis's windows only know the ones that went through it.
    const local = this.pace.wait(chat, now);
    if (local > 0) return local;
    const limits = this.limitsOf(chat);
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

    this.pace.take(chat, now);
    const result = await this.transmit(Number(chat), plan);
    this.pace.answered(chat, now, this.clock.now());
    if (result.ok) {
      await this.ack(chat, ids);
      this.counts.notes += plan.noteCount;
      return 0;
    }
    const after = this.clock.now();
    if ('retryAfterMs' in result) {
      await this.store.fail(chat, this.owner, plan.urgentIds, plan.routineIds, 'wait', after + result.retryAfterMs);
      return Math.max(1, after + result.retryAfterMs - now);
    }
    const error = result.error ?? 'send failed';
    if (result.permanent === true) {
      await this.store.fail(chat, this.owner, plan.urgentIds, plan.routineIds, 'drop', 0);
      this.counts.dropped += plan.noteCount;
      this.log.warn({ chatId: chat, error, dropped: plan.noteCount }, 'outbox: Telegram refused a message for good; dropped');
      return 0;
    }
    const attempt = (await this.store.attempts(ids)) + 1;
    const pause = this.backoff(attempt);
    await this.store.fail(chat, this.owner, plan.urgentIds, plan.routineIds, 'retry', after + pause);
    this.counts.retried++;
    this.log.warn({ chatId: chat, error, attempt, retryInMs: pause }, 'outbox: send failed');
    return Math.max(1, after + pause - now);
  }

  /** One call to Telegram, answered: a thrown send counts as a transient failure. Counts what Telegram took; notes 429s. */
  private async transmit(chatId: number, message: Transmission): Promise<OutboxSendResult> {
    let result: OutboxSendResult;
    try {
      if (message.photo !== undefined) {
        const { png, filename } = message.photo;
        result =
          this.photoPort === undefined
            ? { ok: false, error: 'this outbox was given no way to send a picture', permanent: true }
            : await this.photoPort(chatId, png, message.text, { silent: message.silent, filename });
      } else if (message.editOf === undefined) {
        const keyboard = message.keyboard !== undefined ? { keyboard: message.keyboard } : {};
        result = await this.send(chatId, message.text, { silent: message.silent, ...keyboard });
      } else if (this.editPort !== undefined) {
        result = await this.editPort(chatId, message.editOf, message.text);
      } else {
        result = { ok: false, error: 'this outbox was given no way to edit a message', permanent: true };
      }
    } catch (err) {
      // A transport that may have delivered should answer, not throw; a throw is taken as "not delivered".
      result = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (result.ok) this.counts.messages++;
    else if ('retryAfterMs' in result) {
      const at = this.clock.now();
      this.last429 = { at, retryAfterMs: result.retryAfterMs };
      this.pace.pause(String(chatId), at + result.retryAfterMs);
    }
    return result;
  }

  /** The wait after the attempt-th transient error: errorBackoffMs doubled each time, capped. */
  private backoff(attempt: number): number {
    return Math.min(this.errorBackoffCapMs, this.errorBackoffMs * 2 ** Math.max(0, attempt - 1));
  }

  private limitsOf(chat: string): ClaimLimits {
    return chat.startsWith('-') ? this.groupLimits : this.privateLimits;
  }

  /** Whether Redis answers now; while it does not, a command would wait for it in the client's offline queue. */
  private redisReachable(): boolean {
    return this.redis.status === 'ready';
  }

  private async queue(chat: string, urgent: boolean, notes: readonly StoredNote[]): Promise<string[]> {
    const ids = await this.store.enqueue(chat, urgent, notes);
    this.notBefore.delete(chat);
    this.wake();
    return ids;
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
