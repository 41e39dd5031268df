import type { Redis } from 'ioredis';
import { z } from 'zod';
import { REDIS_KEYS } from '../../domain/index.js';
import type { WaitingNote } from './digest.js';
import { type StoredNote, storedNoteSchema } from './notification.js';
import { ACK, CLAIM, COMMIT, ENQUEUE, FAIL } from './scripts.js';

export interface ClaimLimits {
  readonly owner: string;
  readonly leaseMs: number;
  readonly chatLimit: number;
  readonly chatWindowMs: number;
  readonly globalLimit: number;
  readonly globalWindowMs: number;
  readonly onUncertain: 'resend' | 'drop';
}

/** An entry that could not be read, moved as it was to the dead-letter hash under `field`; `why` is for the owner. */
export interface SetAside {
  readonly field: string;
  readonly why: string;
}

interface ClaimBase {
  readonly settled: number;
  /** The chat's in-flight record, when it was not one and was set aside. */
  readonly setAside?: SetAside;
}

export type Claim =
  | (ClaimBase & { readonly kind: 'claimed' })
  | (ClaimBase & { readonly kind: 'wait'; readonly ms: number })
  | (ClaimBase & { readonly kind: 'empty' });

/** The in-flight record: who holds the chat until when, and the ids of the message being sent. */
export interface InFlight {
  readonly owner: string;
  readonly leaseUntil: number;
  readonly sending: boolean;
  readonly u: readonly string[];
  readonly r: readonly string[];
}

/** An id list as Redis holds it: CLAIM's Lua writes an empty one as `{}` (cjson cannot tell an empty array from an object). */
const idList = z.union([z.array(z.string()), z.strictObject({}).transform((): string[] => [])]);
/** The in-flight record as read back: CLAIM writes leaseUntil as text ('%.0f'), COMMIT as a number. */
const inFlightSchema = z.object({
  owner: z.string(),
  leaseUntil: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]),
  sending: z.boolean(),
  u: idList,
  r: idList,
}) satisfies z.ZodType<InFlight>;

type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string };

/** Parses and checks one stored entry; never throws. */
function readJson<T>(schema: z.ZodType<T>, raw: string): Read<T> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, why: 'it is not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, why: `at ${issue?.path.join('.') || 'the top'}: ${issue?.message ?? 'not the expected shape'}` };
}

/** The outbox's keys that are not per chat: the `outbox.*` families of the one key table (domain/redis-keys.ts). */
interface SharedKeys {
  readonly seq: string;
  /** id → note. */
  readonly items: string;
  /** id → error answers so far. */
  readonly fails: string;
  /** id → '1' for an id a dead process may already have sent. */
  readonly uncertain: string;
  /** The chats with work. */
  readonly chats: string;
  /** The overall sliding window. */
  readonly log: string;
}

/**
 * The outbox's Redis keys, all under `<prefix>:outbox:` and all built from domain/redis-keys.ts: the shared ones above,
 * per chat q:<chat>:u and q:<chat>:r (lists of ids), inflight:<chat>, pause:<chat> and log:<chat> (sliding window), and
 * dead (a hash of entries that could not be read, kept as they were: note:<id> for a note, inflight:<chat>:<time> for an
 * in-flight record).
 */
export class OutboxStore {
  private readonly k: SharedKeys;
  /** Where unreadable entries go, so one damaged entry costs one notification, not its chat's delivery. */
  readonly deadKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {
    this.k = {
      seq: REDIS_KEYS.outboxSeq.key(keyPrefix),
      items: REDIS_KEYS.outboxItems.key(keyPrefix),
      fails: REDIS_KEYS.outboxFails.key(keyPrefix),
      uncertain: REDIS_KEYS.outboxUncertain.key(keyPrefix),
      chats: REDIS_KEYS.outboxChats.key(keyPrefix),
      log: REDIS_KEYS.outboxLog.key(keyPrefix),
    };
    this.deadKey = REDIS_KEYS.outboxDead.key(keyPrefix);
  }

  /** Queues the notes in order, all or none; returns their ids. */
  async enqueue(chat: string, urgent: boolean, notes: readonly StoredNote[]): Promise<string[]> {
    const ids = (await this.redis.eval(
      ENQUEUE,
      4,
      this.k.seq,
      this.k.items,
      this.queue(chat, urgent),
      this.k.chats,
      chat,
      ...notes.map((n) => JSON.stringify(n)),
    )) as string[];
    return ids;
  }

  chats(): Promise<string[]> {
    return this.redis.smembers(this.k.chats);
  }

  async claim(chat: string, now: number, l: ClaimLimits): Promise<Claim> {
    const [code, ms, settled, field] = (await this.redis.eval(
      CLAIM,
      12,
      this.inflight(chat),
      this.pause(chat),
      this.chatLog(chat),
      this.k.log,
      this.queue(chat, true),
      this.queue(chat, false),
      this.k.chats,
      this.k.seq,
      this.k.items,
      this.k.fails,
      this.k.uncertain,
      this.deadKey,
      now,
      l.owner,
      l.leaseMs,
      l.chatLimit,
      l.chatWindowMs,
      l.globalLimit,
      l.globalWindowMs,
      chat,
      l.onUncertain,
    )) as [number, number, number, string];
    const base = { settled, ...(field ? { setAside: { field, why: 'the record of the message in flight was damaged' } } : {}) };
    if (code === 0) return { kind: 'claimed', ...base };
    if (code === 4) return { kind: 'empty', ...base };
    return { kind: 'wait', ms: Math.max(1, ms), ...base };
  }

  /**
   * The heads of both queues; the routine one is read only when no urgent note waits, since urgent ones go alone. A note
   * that cannot be read is set aside and waits as one whose record is gone (settled with the next message, unsaid).
   */
  async heads(chat: string, limit: number): Promise<{ urgent: WaitingNote[]; routine: WaitingNote[]; setAside: SetAside[] }> {
    const setAside: SetAside[] = [];
    const urgent = await this.read(await this.redis.lrange(this.queue(chat, true), 0, limit - 1), setAside);
    if (urgent.length > 0) return { urgent, routine: [], setAside };
    return { urgent, routine: await this.read(await this.redis.lrange(this.queue(chat, false), 0, limit - 1), setAside), setAside };
  }

  async commit(chat: string, record: InFlight): Promise<boolean> {
    const done = await this.redis.eval(
      COMMIT,
      3,
      this.inflight(chat),
      this.queue(chat, true),
      this.queue(chat, false),
      record.owner,
      JSON.stringify(record),
      record.u.length,
      record.r.length,
      ...record.u,
      ...record.r,
    );
    return done === 1;
  }

  /** True when the chat was still ours. */
  async ack(chat: string, owner: string, ids: readonly string[]): Promise<boolean> {
    const mine = await this.redis.eval(
      ACK,
      7,
      this.inflight(chat),
      this.k.items,
      this.k.fails,
      this.k.uncertain,
      this.queue(chat, true),
      this.queue(chat, false),
      this.k.chats,
      owner,
      chat,
      ...ids,
    );
    return mine === 1;
  }

  /**
   * After a send that did not deliver: 'wait' and 'retry' put the ids back at the queue heads and pause the chat until
   * `pausedUntil` ('retry' counts an error answer against each id); 'drop' forgets them. False when the lease was lost.
   */
  async fail(
    chat: string,
    owner: string,
    urgentIds: readonly string[],
    routineIds: readonly string[],
    mode: 'wait' | 'retry' | 'drop',
    pausedUntil: number,
  ): Promise<boolean> {
    const mine = await this.redis.eval(
      FAIL,
      7,
      this.inflight(chat),
      this.k.items,
      this.k.fails,
      this.k.uncertain,
      this.queue(chat, true),
      this.queue(chat, false),
      this.pause(chat),
      owner,
      mode,
      Math.ceil(pausedUntil),
      urgentIds.length,
      ...urgentIds,
      ...routineIds,
    );
    return mine === 1;
  }

  /** The most error answers any of the ids has had. */
  async attempts(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const fails = await this.redis.hmget(this.k.fails, ...ids);
    return fails.reduce((most, f) => Math.max(most, f == null ? 0 : Number(f)), 0);
  }

  async pending(chat: string): Promise<number> {
    const [u, r, inflight] = await Promise.all([
      this.redis.llen(this.queue(chat, true)),
      this.redis.llen(this.queue(chat, false)),
      this.redis.get(this.inflight(chat)),
    ]);
    // A record that is not one holds nothing readable; the next claim of the chat sets it aside.
    const rec = inflight === null ? undefined : readJson(inFlightSchema, inflight);
    return u + r + (rec?.ok ? rec.value.u.length + rec.value.r.length : 0);
  }

  private async read(ids: string[], setAside: SetAside[]): Promise<WaitingNote[]> {
    if (ids.length === 0) return [];
    const [items, flags] = await Promise.all([this.redis.hmget(this.k.items, ...ids), this.redis.hmget(this.k.uncertain, ...ids)]);
    const out: WaitingNote[] = [];
    for (const [i, id] of ids.entries()) {
      const raw = items[i];
      let note: StoredNote | undefined;
      if (raw != null) {
        const read = readJson(storedNoteSchema, raw);
        if (read.ok) note = read.value;
        else {
          const field = `note:${id}`;
          await this.redis.multi().hset(this.deadKey, field, raw).hdel(this.k.items, id).exec();
          setAside.push({ field, why: read.why });
        }
      }
      out.push({ id, note, uncertain: flags[i] != null });
    }
    return out;
  }

  /**
   * What waits in every chat, per lane (a message in flight counted in its lanes), and when the oldest waiting note was
   * queued (outbox clock; undefined when nothing waits or no head can be read). Reads the queue heads only: ids grow
   * with time, so a queue's head is its oldest.
   */
  async depth(): Promise<{ urgent: number; routine: number; oldestAt: number | undefined }> {
    const chats = await this.chats();
    const batch = this.redis.pipeline();
    for (const chat of chats) {
      batch.llen(this.queue(chat, true)).llen(this.queue(chat, false));
      batch.lindex(this.queue(chat, true), 0).lindex(this.queue(chat, false), 0).get(this.inflight(chat));
    }
    const answers = (await batch.exec()) ?? [];
    const value = (i: number): unknown => {
      const [err, v] = answers[i] ?? [null, null];
      if (err) throw err;
      return v;
    };
    let urgent = 0;
    let routine = 0;
    const heads: string[] = [];
    for (let c = 0; c < chats.length; c++) {
      const at = c * 5;
      urgent += Number(value(at));
      routine += Number(value(at + 1));
      for (const head of [value(at + 2), value(at + 3)]) if (typeof head === 'string') heads.push(head);
      const raw = value(at + 4);
      const rec = typeof raw === 'string' ? readJson(inFlightSchema, raw) : undefined;
      if (rec?.ok) {
        urgent += rec.value.u.length;
        routine += rec.value.r.length;
        heads.push(...rec.value.u.slice(0, 1), ...rec.value.r.slice(0, 1));
      }
    }
    const items = heads.length === 0 ? [] : await this.redis.hmget(this.k.items, ...heads);
    let oldestAt: number | undefined;
    for (const raw of items) {
      const note = raw == null ? undefined : readJson(storedNoteSchema, raw);
      if (note?.ok) oldestAt = Math.min(oldestAt ?? Infinity, note.value.at);
    }
    return { urgent, routine, oldestAt };
  }

  private inflight(chat: string): string {
    return REDIS_KEYS.outboxInflight.key(this.keyPrefix, chat);
  }

  private pause(chat: string): string {
    return REDIS_KEYS.outboxPause.key(this.keyPrefix, chat);
  }

  private chatLog(chat: string): string {
    return REDIS_KEYS.outboxChatLog.key(this.keyPrefix, chat);
  }

  private queue(chat: string, urgent: boolean): string {
    return (urgent ? REDIS_KEYS.outboxUrgent : REDIS_KEYS.outboxRoutine).key(this.keyPrefix, chat);
  }
}
