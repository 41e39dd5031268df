import type { Redis } from 'ioredis';
import type { WaitingNote } from './digest.js';
import type { StoredNote } from './notification.js';
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

export type Claim =
  | { readonly kind: 'claimed'; readonly settled: number }
  | { readonly kind: 'wait'; readonly ms: number; readonly settled: number }
  | { readonly kind: 'empty'; readonly settled: number };

/** The in-flight record: who holds the chat until when, and the ids of the message being sent. */
export interface InFlight {
  readonly owner: string;
  readonly leaseUntil: number;
  readonly sending: boolean;
  readonly u: readonly string[];
  readonly r: readonly string[];
}

/**
 * The outbox's Redis keys, all under `${keyPrefix}:outbox:`: seq, items (hash id → note), fails and uncertain (hashes
 * by id), chats (set of chats with work), and per chat q:<chat>:u and q:<chat>:r (lists of ids), inflight:<chat>,
 * pause:<chat> and log:<chat> (sliding window), plus log (the global window).
 */
export class OutboxStore {
  private readonly base: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
  ) {
    this.base = `${keyPrefix}:outbox`;
  }

  async enqueue(chat: string, urgent: boolean, note: StoredNote): Promise<string> {
    const id = await this.redis.eval(ENQUEUE, 4, this.key('seq'), this.key('items'), this.queue(chat, urgent), this.key('chats'), JSON.stringify(note), chat);
    return String(id);
  }

  chats(): Promise<string[]> {
    return this.redis.smembers(this.key('chats'));
  }

  async claim(chat: string, now: number, l: ClaimLimits): Promise<Claim> {
    const [code, ms, settled] = (await this.redis.eval(
      CLAIM,
      11,
      this.inflight(chat),
      this.key(`pause:${chat}`),
      this.key(`log:${chat}`),
      this.key('log'),
      this.queue(chat, true),
      this.queue(chat, false),
      this.key('chats'),
      this.key('seq'),
      this.key('items'),
      this.key('fails'),
      this.key('uncertain'),
      now,
      l.owner,
      l.leaseMs,
      l.chatLimit,
      l.chatWindowMs,
      l.globalLimit,
      l.globalWindowMs,
      chat,
      l.onUncertain,
    )) as [number, number, number];
    if (code === 0) return { kind: 'claimed', settled };
    if (code === 4) return { kind: 'empty', settled };
    return { kind: 'wait', ms: Math.max(1, ms), settled };
  }

  /** The heads of both queues; the routine one is read only when no urgent note waits, since urgent ones go alone. */
  async heads(chat: string, limit: number): Promise<{ urgent: WaitingNote[]; routine: WaitingNote[] }> {
    const urgent = await this.read(await this.redis.lrange(this.queue(chat, true), 0, limit - 1));
    if (urgent.length > 0) return { urgent, routine: [] };
    return { urgent, routine: await this.read(await this.redis.lrange(this.queue(chat, false), 0, limit - 1)) };
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
      this.key('items'),
      this.key('fails'),
      this.key('uncertain'),
      this.queue(chat, true),
      this.queue(chat, false),
      this.key('chats'),
      owner,
      chat,
      ...ids,
    );
    return mine === 1;
  }

  /** Puts the ids back at the queue heads and pauses the chat; returns the ids dropped for reaching maxAttempts. */
  async fail(chat: string, owner: string, urgentIds: readonly string[], routineIds: readonly string[], counts: boolean, maxAttempts: number, pausedUntil: number): Promise<string[]> {
    return (await this.redis.eval(
      FAIL,
      7,
      this.inflight(chat),
      this.key('items'),
      this.key('fails'),
      this.key('uncertain'),
      this.queue(chat, true),
      this.queue(chat, false),
      this.key(`pause:${chat}`),
      owner,
      counts ? '1' : '0',
      maxAttempts,
      Math.ceil(pausedUntil),
      urgentIds.length,
      ...urgentIds,
      ...routineIds,
    )) as string[];
  }

  /** The most error answers any of the ids has had. */
  async attempts(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const fails = await this.redis.hmget(this.key('fails'), ...ids);
    return fails.reduce((most, f) => Math.max(most, f == null ? 0 : Number(f)), 0);
  }

  async pending(chat: string): Promise<number> {
    const [u, r, inflight] = await Promise.all([
      this.redis.llen(this.queue(chat, true)),
      this.redis.llen(this.queue(chat, false)),
      this.redis.get(this.inflight(chat)),
    ]);
    const rec = inflight === null ? undefined : (JSON.parse(inflight) as InFlight);
    return u + r + (rec === undefined ? 0 : rec.u.length + rec.r.length);
  }

  private async read(ids: string[]): Promise<WaitingNote[]> {
    if (ids.length === 0) return [];
    const [items, flags] = await Promise.all([this.redis.hmget(this.key('items'), ...ids), this.redis.hmget(this.key('uncertain'), ...ids)]);
    return ids.map((id, i) => {
      const raw = items[i];
      return { id, note: raw == null ? undefined : (JSON.parse(raw) as StoredNote), uncertain: flags[i] != null };
    });
  }

  private key(suffix: string): string {
    return `${this.base}:${suffix}`;
  }

  private inflight(chat: string): string {
    return this.key(`inflight:${chat}`);
  }

  private queue(chat: string, urgent: boolean): string {
    return this.key(`q:${chat}:${urgent ? 'u' : 'r'}`);
  }
}
