import { REDIS_KEYS } from '../../domain/index.js';
import type { LeaseHolder } from '../prefix-owner.js';

/**
 * The bot's heartbeat (issue 10, the dead-man's switch), `<prefix>:deadman:heartbeat`: the lease holder's record with
 * the time of the beat on Redis's clock, written by the lease's renewal script (app/prefix-lease-claim.ts) in the same
 * round trip that renews the lease, so only the bot that owns the prefix beats, and a bot that lost its lease stops
 * beating at once. Unlike the lease it never expires: `telegrid watchdog` must tell "dead for 30 s" from "dead for an
 * hour", and a lease that lapsed says neither. Redis's clock, not the bot's, because the watchdog may run on another
 * machine whose clock disagrees: both read the one clock they share.
 */
export interface Heartbeat extends LeaseHolder {
  /** When the bot last beat, in ms on Redis's clock. */
  readonly at: number;
  /** How often it beats (a quarter of its lease). */
  readonly everyMs: number;
  /** `sha256:` of its API key once its exchange is open (the fingerprint's), so a watchdog with another key never acts. */
  readonly account?: string;
  /** Set when the bot stopped cleanly (ms on Redis's clock); it beats no more either way. */
  readonly stoppedAt?: number;
}

/** `<prefix>:deadman:heartbeat` (the key table, domain/redis-keys.ts). */
export function heartbeatKey(prefix: string): string {
  return REDIS_KEYS.deadmanHeartbeat.key(prefix);
}

/** `<prefix>:deadman:switch` (the key table, domain/redis-keys.ts). */
export function deadmanSwitchKey(prefix: string): string {
  return REDIS_KEYS.deadmanSwitch.key(prefix);
}

/** Redis's clock in ms, as a Lua local `now` (TIME is allowed in a writing script: Redis 7 replicates scripts by effect). */
export const LUA_NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

export function parseHeartbeat(text: string | null | undefined): Heartbeat | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<Heartbeat>;
    if (typeof v.token !== 'string' || typeof v.at !== 'number' || typeof v.pid !== 'number') return undefined;
    return v as Heartbeat;
  } catch {
    return undefined;
  }
}

/** One beat of one bot: a death is the silence after a particular beat, so the watchdog acts once per identity. */
export function beatIdentity(beat: Heartbeat): string {
  return `${beat.token}:${beat.at}`;
}

/** What the last heartbeat that reached Redis brought back: the dead-man's switch as Redis has it (app/deadman). */
export interface LastBeat {
  /** When it was written, on this process's wall clock (Date.now). */
  readonly wallAt: number;
  /** The same moment on Redis's clock. */
  readonly redisAt: number;
  /** `<prefix>:deadman:switch` `after` and `watchdog`, as stored ('' when absent). */
  readonly storedBound: string;
  readonly watchdog: string;
  /** `fired`: the last death a watchdog acted on (JSON), '' when none. */
  readonly fired: string;
}

/** The fields of `<prefix>:deadman:switch`. */
export const SWITCH_FIELDS = {
  /** The bound set with /deadman: whole seconds without a heartbeat before the watchdog acts, 0 = off. */
  after: 'after',
  /** The watchdog's last look: host, pid, poll interval, time on Redis's clock (JSON). */
  watchdog: 'watchdog',
  /** The last death the watchdog acted on: the beat's identity, when, and what it did (JSON). */
  fired: 'fired',
} as const;

/** The bound /deadman stored, or undefined when it stored none (or something unreadable: the setting applies). */
export function parseStoredBound(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || !/^\d{1,9}$/.test(text)) return undefined;
  return Number(text);
}

/** What a watchdog says about itself with every look, so the bot's /status can tell whether anyone is watching. */
export interface WatchdogLook {
  readonly host: string;
  readonly pid: number;
  readonly pollMs: number;
  /** ms on Redis's clock. */
  readonly at: number;
}

export function parseWatchdogLook(text: string | null | undefined): WatchdogLook | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<WatchdogLook>;
    if (typeof v.host !== 'string' || typeof v.pid !== 'number' || typeof v.at !== 'number' || typeof v.pollMs !== 'number')
      return undefined;
    return v as WatchdogLook;
  } catch {
    return undefined;
  }
}

/** The last death a watchdog acted on, as `<prefix>:deadman:switch` `fired` holds it. */
export interface Fired {
  /** The beat after which the bot went silent (beatIdentity). */
  readonly beat: string;
  /** The watchdog that acted. */
  readonly host: string;
  readonly pid: number;
  /** Why trading was halted, as the halt gives it. */
  readonly reason: string;
  /** ms on Redis's clock, once claimed. */
  readonly at?: number;
}

export function parseFired(text: string | null | undefined): Fired | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<Fired>;
    return typeof v.beat === 'string' && typeof v.reason === 'string' ? (v as Fired) : undefined;
  } catch {
    return undefined;
  }
}
