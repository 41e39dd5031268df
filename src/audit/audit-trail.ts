import type { Redis } from 'ioredis';
import { type Result, failure, format } from '../domain/index.js';
import { type Clock, NEXT_TURN, type TradingFirst } from '../engine/index.js';
import type { AuditEntry, AuditRecord, StrangerRefusal } from './audit-entry.js';
import { AuditReader, ENTRY_FIELD } from './audit-stream.js';
import { scrubValue } from './scrub.js';

interface AuditLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface AuditTrailOptions {
  readonly redis: Redis;
  readonly prefix: string;
  /** The stream is trimmed to about this many entries (XADD MAXLEN ~). */
  readonly maxEntries: number;
  /** ... and entries older than this, on the bot's clock, are trimmed too (XTRIM MINID ~); default 90 days. */
  readonly maxAgeMs?: number;
  /** The bot's clock: each entry's `at`, and its stream id's time. */
  readonly clock: Clock;
  /** Values scrubbed wherever they appear (the bot's own API key, token, …); see scrub.ts for the other rules. */
  readonly secrets: readonly string[];
  readonly log: AuditLog;
  /** Entries kept in memory while Redis does not take them; the oldest go first beyond it (counted and logged). */
  readonly bufferLimit?: number;
  /** A stranger's chat gets one entry per interval; the refusals between are counted in the next one. */
  readonly strangerIntervalMs?: number;
  /** When the writer runs: after the orders on their way (the bot's pipeline); by default on the next turn. */
  readonly offPath?: Pick<TradingFirst, 'later'>;
}

const BATCH = 100;
const DEFAULT_MAX_AGE_MS = 90 * 86_400_000;

/** An entry waiting to be written, and its time on the bot's clock (its stream id's time and its `at`). */
interface Pending {
  readonly entry: AuditEntry;
  readonly ms: number;
}

/**
 * The audit trail's writer. `record` never blocks and never throws: the entry is stamped and queued in memory, and one
 * writer at a time, on a later turn of the event loop (off the dispatch that recorded it, and after the orders on their
 * way: an order's re-arm never waits for its entry), scrubs the queued entries and appends them to the Redis stream in
 * order. If Redis is slow or away, at most `bufferLimit` entries wait (the oldest are dropped beyond that, with a count
 * in the log), so neither trading nor a command's reply ever waits on the audit.
 */
export class AuditTrail {
  readonly reader: AuditReader;
  private readonly pending: Pending[] = [];
  /**
   * The time of the stream's last id: an id never goes below it (Redis refuses one that would), so an entry written
   * while the clock is behind the stream (set back, or a replay on a prefix that ran later) takes that time instead.
   * Undefined until read from Redis, and again after a write failed.
   */
  private floorMs: number | undefined;
  private readonly maxAgeMs: number;
  private writing: Promise<void> | undefined;
  private failing = false;
  private dropped = 0;
  private readonly bufferLimit: number;
  private readonly strangerIntervalMs: number;
  private readonly strangers = new Map<string, { at: number; repeats: number }>();
  private readonly offPath: Pick<TradingFirst, 'later'>;

  constructor(private readonly o: AuditTrailOptions) {
    this.reader = new AuditReader(o.redis, o.prefix);
    this.bufferLimit = o.bufferLimit ?? 10_000;
    this.strangerIntervalMs = o.strangerIntervalMs ?? 60_000;
    this.maxAgeMs = o.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.offPath = o.offPath ?? NEXT_TURN;
  }

  record(entry: AuditEntry): void {
    try {
      this.pending.push({ entry, ms: this.o.clock.now() });
      this.trim();
      this.writing ??= new Promise<void>((resolve) => this.offPath.later(resolve))
        .then(() => this.drain())
        .finally(() => (this.writing = undefined));
    } catch (error) {
      this.o.log.warn({ err: error, kind: entry.kind }, 'audit: an entry could not be recorded');
    }
  }

  /**
   * A refusal of someone not on the allowlist (the Telegram transport's `onRefused`). A flood of strangers must not
   * push the owner's history out of the capped stream: each chat gets one entry per interval, carrying the count.
   */
  strangerRefused(r: StrangerRefusal): void {
    const now = this.o.clock.now();
    const chatId = String(r.chatId);
    const seen = this.strangers.get(chatId);
    if (seen && now - seen.at < this.strangerIntervalMs) {
      seen.repeats++;
      return;
    }
    if (this.strangers.size >= 10_000)
      for (const [id, s] of this.strangers) if (now - s.at >= this.strangerIntervalMs) this.strangers.delete(id);
    this.strangers.set(chatId, { at: now, repeats: 0 });
    this.record({
      kind: 'stranger',
      chatId,
      ...(r.userId === undefined ? {} : { userId: String(r.userId) }),
      chatType: r.chatType,
      update: r.kind,
      repeats: seen?.repeats ?? 0,
    });
  }

  /**
   * The last `count` entries, oldest first, including every one recorded so far (for /audit). Bounded: Redis commands
   * wait through an outage, and a chat's next command must not wait behind this one.
   */
  async recent(count: number, boundMs = 5_000): Promise<Result<readonly AuditRecord[]>> {
    if (this.o.redis.status !== 'ready') return failure('AUDIT_UNREADABLE', 'Redis is unreachable; the audit trail cannot be read now');
    await this.flush(boundMs);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Result<readonly AuditRecord[]>>((resolve) => {
      timer = setTimeout(() => resolve(failure('AUDIT_UNREADABLE', `Redis did not answer within ${boundMs / 1000} s; try again`)), boundMs);
    });
    try {
      return await Promise.race([this.reader.recent(count), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Resolves once every entry recorded so far has been written, or a write has failed, or after `boundMs` (a shutdown
   * must not wait for a Redis that is away: its commands wait for it to return).
   */
  async flush(boundMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs)));
    const drained = (async () => {
      while (this.writing) await this.writing;
    })();
    try {
      await Promise.race([drained, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The time of the stream's last id (0 for an empty stream): ids written after it must not go below it. */
  private async lastIdMs(): Promise<number> {
    const last = (await this.o.redis.xrevrange(this.reader.key, '+', '-', 'COUNT', 1))[0];
    return last === undefined ? 0 : Number(last[0].split('-')[0]);
  }

  /** The entry as stored: every secret scrubbed, money as decimals, stamped with its ISO time. */
  private jsonOf(entry: AuditEntry, ms: number): string {
    return JSON.stringify({ ...(scrubValue(entry, this.o.secrets, (v) => format(v)) as object), at: new Date(ms).toISOString() });
  }

  private trim(): void {
    const over = this.pending.length - this.bufferLimit;
    if (over <= 0) return;
    this.pending.splice(0, over);
    this.dropped += over;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, BATCH);
      try {
        let floor = (this.floorMs ??= await this.lastIdMs());
        const redis = this.o.redis;
        const sent: Promise<unknown>[] = [];
        // Ids on the bot's clock (`<ms>-*`, Redis numbers within the ms), so the age trim below and `--since` read the
        // bot's time: a replay at speed keeps its days, and live the clock is wall time anyway. Plain commands sent
        // together, not an ioredis pipeline: each of those keeps its strings alive through the young collections.
        for (const { entry, ms } of batch) {
          floor = Math.max(floor, Math.floor(ms));
          sent.push(
            redis.xadd(this.reader.key, 'MAXLEN', '~', String(this.o.maxEntries), `${floor}-*`, ENTRY_FIELD, this.jsonOf(entry, ms)),
          );
        }
        sent.push(redis.xtrim(this.reader.key, 'MINID', '~', String(Math.max(0, Math.floor(this.o.clock.now() - this.maxAgeMs)))));
        const results = await Promise.allSettled(sent);
        const first = results.findIndex((r) => r.status === 'rejected');
        if (first >= 0 && first < batch.length) {
          const failed = results[first] as PromiseRejectedResult;
          throw Object.assign(failed.reason instanceof Error ? failed.reason : new Error('XADD failed'), { written: first });
        }
        this.floorMs = floor;
      } catch (error) {
        // What was not written is kept for the next attempt (the next entry recorded), in order, within the bound; the
        // stream's last id is read again then (a refused id means it moved).
        this.floorMs = undefined;
        const written = (error as { written?: number }).written ?? 0;
        this.pending.unshift(...batch.slice(written));
        this.trim();
        if (!this.failing) this.o.log.warn({ err: error, waiting: this.pending.length }, 'audit: the trail could not be written to Redis');
        this.failing = true;
        return;
      }
      if (this.failing || this.dropped > 0) {
        this.o.log.info({ dropped: this.dropped }, 'audit: the trail is written to Redis again');
        this.failing = false;
        this.dropped = 0;
      }
    }
  }
}
