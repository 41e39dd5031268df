import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { REDIS_KEYS } from '../domain/index.js';

/**
 * Who owns a KEY_PREFIX, as Redis has it (issue 9): the records the lease holder writes (app/prefix-lease-claim.ts), and
 * how a refused bot and `telegrid worker` read and judge them. Both keys are under the prefix:
 * - `<prefix>:owner:lease` — the holder record (JSON, below) with a random token; it expires `PREFIX_LEASE_SECONDS`
 *   after the holder's last heartbeat.
 * - `<prefix>:owner:fingerprint` — where the owning bot trades: mode, exchange REST base, and `sha256:` of its API key
 *   (16 hex digits, never the key or the secret), with the lease token it belongs to. `telegrid worker` compares its
 *   own exchange and key with it before taking a job, and trusts it only while its token is the live lease's.
 */

/** What a lease holder tells a bot or worker that meets it. */
export interface LeaseHolder {
  readonly version: 1;
  readonly token: string;
  readonly host: string;
  readonly pid: number;
  /** The holder's PID namespace (Linux), so a dead pid is judged only where pids mean the same process. */
  readonly pidns?: string;
  readonly mode: string;
  /** The exchange's REST base, once the bot knows it (its own sandbox's port is known only after it starts). */
  readonly exchange: string;
  /** The bot runs its own sandbox (paper mode without BINANCE_* URLs): no worker can share it. */
  readonly embedded?: boolean;
  readonly startedAt: number;
  readonly heartbeatAt: number;
  readonly leaseMs: number;
  /** Set when its shutdown begins: it still holds (and renews) the lease until it has stopped, then gives it back. */
  readonly stopping?: boolean;
}

/** Where the bot that owns a prefix trades, for `telegrid worker` to compare with its own settings. */
export interface PrefixFingerprint {
  readonly version: 1;
  /** The lease this fingerprint belongs to; a fingerprint whose token is not the live lease's says nothing. */
  readonly token: string;
  readonly mode: string;
  readonly exchange: string;
  /** `sha256:` and the first 16 hex digits of the SHA-256 of the API key. */
  readonly account: string;
}

/** `<prefix>:owner:lease` (the key table, domain/redis-keys.ts). */
export function leaseKey(prefix: string): string {
  return REDIS_KEYS.ownerLease.key(prefix);
}

/** `<prefix>:owner:fingerprint` (the key table, domain/redis-keys.ts). */
export function fingerprintKey(prefix: string): string {
  return REDIS_KEYS.ownerFingerprint.key(prefix);
}

/** Names an account without revealing its key: a one-way hash, shortened (64 bits tell two keys apart). */
export function accountId(apiKey: string): string {
  return `sha256:${createHash('sha256').update(apiKey, 'utf8').digest('hex').slice(0, 16)}`;
}

/** The same exchange written two ways (`http://h:1` and `http://H:1/`) is one exchange. */
function sameExchange(a: string, b: string): boolean {
  const norm = (s: string) => {
    try {
      return new URL(s).href.replace(/\/+$/, '');
    } catch {
      return s.replace(/\/+$/, '');
    }
  };
  return norm(a) === norm(b);
}

/** A holder record as stored, or undefined when it is not one (the caller treats the lease as unreadable). */
export function parseHolder(text: string | null | undefined): LeaseHolder | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<LeaseHolder>;
    if (typeof v.token !== 'string' || typeof v.pid !== 'number') return undefined;
    return v as LeaseHolder;
  } catch {
    return undefined;
  }
}

function parseFingerprint(text: string | null | undefined): PrefixFingerprint | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<PrefixFingerprint>;
    if (typeof v.token !== 'string' || typeof v.exchange !== 'string' || typeof v.account !== 'string') return undefined;
    return v as PrefixFingerprint;
  } catch {
    return undefined;
  }
}

/** The lease holder of a prefix as Redis has it now, with how long ago it last renewed, and its fingerprint if current. */
export interface PrefixOwner {
  readonly holder: LeaseHolder;
  readonly heartbeatAgeMs: number;
  /** Milliseconds until the lease lapses unless renewed. */
  readonly expiresInMs: number;
  /** Present only when it belongs to this holder's lease (a previous bot's is ignored). */
  readonly fingerprint?: PrefixFingerprint;
}

export async function readOwner(redis: Redis, prefix: string): Promise<PrefixOwner | undefined> {
  const replies = await redis.multi().get(leaseKey(prefix)).pttl(leaseKey(prefix)).get(fingerprintKey(prefix)).exec();
  if (!replies) return undefined;
  const [[, lease], [, pttl], [, fp]] = replies as [[unknown, string | null], [unknown, number], [unknown, string | null]];
  const holder = parseHolder(lease);
  if (!holder) return undefined;
  const expiresInMs = Math.max(0, Number(pttl));
  const heartbeatAgeMs = Math.max(0, (holder.leaseMs ?? 0) - expiresInMs);
  const fingerprint = parseFingerprint(fp);
  return { holder, heartbeatAgeMs, expiresInMs, ...(fingerprint && fingerprint.token === holder.token ? { fingerprint } : {}) };
}

/** "host h, pid 123, paper on http://…, started …, last heartbeat 2 s ago" */
export function describeOwner(owner: PrefixOwner): string {
  const h = owner.holder;
  const where = h.embedded ? `its own sandbox at ${h.exchange}` : h.exchange;
  return (
    `host ${h.host}, pid ${h.pid}, ${h.mode} on ${where}, started ${new Date(h.startedAt).toISOString()}, ` +
    `last heartbeat ${Math.round(owner.heartbeatAgeMs / 1000)} s ago${h.stopping ? ', stopping' : ''}`
  );
}

/** Where a Redis URL points, without its password: host:port/db. */
export function redisWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname.length > 1 ? u.pathname : '/0'}`;
  } catch {
    return 'Redis';
  }
}

/** Why a worker with these settings must not work the queues of the bot that owns the prefix; undefined when it may. */
export function fingerprintMismatch(fp: PrefixFingerprint, mine: { mode: string; exchange: string; apiKey: string }): string | undefined {
  const problems: string[] = [];
  if (fp.mode !== mine.mode) problems.push(`the bot trades in ${fp.mode} mode, this worker is set for ${mine.mode} (TRADING_MODE)`);
  if (!sameExchange(fp.exchange, mine.exchange))
    problems.push(`the bot trades on ${fp.exchange}, this worker on ${mine.exchange} (BINANCE_HTTP_BASE)`);
  const account = accountId(mine.apiKey);
  if (fp.account !== account)
    problems.push(`the bot's API key is ${fp.account}, this worker's ${account} (BINANCE_API_KEY; hashes, never the keys)`);
  return problems.length === 0 ? undefined : problems.join('; ');
}
