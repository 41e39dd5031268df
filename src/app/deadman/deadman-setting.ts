import type { Redis } from 'ioredis';
import type { DeadmanView } from '../../chat/index.js';
import { type Result, failure, ok } from '../../domain/index.js';
import { type Config, DEADMAN_MAX_SECONDS } from '../config.js';
import { followVerdicts } from './declared-dead.js';
import { type LastBeat, SWITCH_FIELDS, deadmanSwitchKey, parseStoredBound, parseWatchdogLook } from './heartbeat.js';

/** A watchdog that has not looked for this many of its polls is taken to be gone. */
const WATCHDOG_GONE_POLLS = 3;

export interface DeadmanSettingOptions {
  readonly redis: Redis;
  readonly prefix: string;
  /** DEADMAN_AFTER_SECONDS. */
  readonly configuredSeconds: number;
  /** PREFIX_LEASE_SECONDS: the shortest bound (four heartbeats). */
  readonly leaseSeconds: number;
  /** The lease's last heartbeat, which reads the stored bound and the watchdog's last look back in the same round trip. */
  readonly lastBeat: () => LastBeat | undefined;
  /** Wall time (the lease's clock). */
  readonly now: () => number;
}

/**
 * The dead-man's switch as the running bot sees and sets it (/deadman, /status). The bound /deadman sets is stored in
 * `<prefix>:deadman:switch` where `telegrid watchdog` reads it, and wins over DEADMAN_AFTER_SECONDS; reading it costs no
 * round trip of its own, because every heartbeat brings it back.
 */
export class DeadmanSetting {
  /** What this process wrote last, until a heartbeat written after it reads the stored bound back. */
  private written: { readonly seconds: number; readonly at: number } | undefined;

  constructor(private readonly o: DeadmanSettingOptions) {}

  view(): DeadmanView {
    const beat = this.o.lastBeat();
    const now = this.o.now();
    const stored = this.written && (!beat || beat.wallAt < this.written.at) ? this.written.seconds : parseStoredBound(beat?.storedBound);
    const look = parseWatchdogLook(beat?.watchdog);
    // Both times are Redis's: the look's age when the beat read it, plus the time since that beat here.
    const seenAgoMs = look && beat ? Math.max(0, beat.redisAt - look.at) + Math.max(0, now - beat.wallAt) : undefined;
    const watching = look && seenAgoMs !== undefined && seenAgoMs <= WATCHDOG_GONE_POLLS * look.pollMs;
    return {
      afterSeconds: stored ?? this.o.configuredSeconds,
      source: stored === undefined ? 'setting' : 'chat',
      minSeconds: this.o.leaseSeconds,
      maxSeconds: DEADMAN_MAX_SECONDS,
      ...(beat ? { lastHeartbeatAgeMs: Math.max(0, now - beat.wallAt) } : {}),
      ...(watching ? { watchdog: { host: look.host, pid: look.pid, seenAgoMs } } : {}),
    };
  }

  /** Stores the bound (0 = off) for the watchdog; refused outside the range /deadman offers. */
  async set(seconds: number): Promise<Result<DeadmanView>> {
    if (seconds !== 0 && (seconds < this.o.leaseSeconds || seconds > DEADMAN_MAX_SECONDS))
      return failure('BAD_ARGUMENT', `the dead-man bound must be 0 (off) or ${this.o.leaseSeconds} to ${DEADMAN_MAX_SECONDS} seconds`);
    // Commands wait through an outage (redis-connection.ts); the owner should not.
    if (this.o.redis.status !== 'ready')
      return failure('REDIS_UNREACHABLE', 'Redis is out of reach, so the bound was not stored; try again when it is back');
    try {
      await this.o.redis.hset(deadmanSwitchKey(this.o.prefix), SWITCH_FIELDS.after, String(seconds));
    } catch (error) {
      return failure('REDIS_UNREACHABLE', `the bound was not stored (Redis: ${error instanceof Error ? error.message : String(error)})`);
    }
    this.written = { seconds, at: this.o.now() };
    return ok(this.view());
  }
}

/**
 * The running bot's side of the switch: the setting /deadman and /status use, and the bot's answer to a watchdog that
 * declared it dead while it lived on (declared-dead.ts): it halts with the watchdog's reason.
 */
export function deadmanSwitch(
  config: Pick<Config, 'KEY_PREFIX' | 'DEADMAN_AFTER_SECONDS' | 'PREFIX_LEASE_SECONDS'>,
  lease: { readonly token: string; lastBeat(): LastBeat | undefined; onBeat(listener: (beat: LastBeat) => void): void },
  redis: Redis,
  kernel: { readonly tradingState: { set(state: 'HALTED', reason: string): unknown } },
): DeadmanSetting {
  lease.onBeat(followVerdicts(lease.token, (reason) => kernel.tradingState.set('HALTED', reason)));
  return new DeadmanSetting({
    redis,
    prefix: config.KEY_PREFIX,
    configuredSeconds: config.DEADMAN_AFTER_SECONDS,
    leaseSeconds: config.PREFIX_LEASE_SECONDS,
    lastBeat: () => lease.lastBeat(),
    now: Date.now,
  });
}
