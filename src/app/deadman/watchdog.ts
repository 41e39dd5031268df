import type { Redis } from 'ioredis';
import { REDIS_KEYS } from '../../domain/index.js';
import { fingerprintMismatch } from '../prefix-owner.js';
import type { ChatAlert } from './chat-alert.js';
import { type CancelReport, type CancelingVenue, cancelBotOrders } from './dead-bot-cancels.js';
import { alertProblems, botOf, deathText, haltReason } from './deadman-texts.js';
import { type Heartbeat, beatIdentity, parseFired, parseHeartbeat, parseStoredBound } from './heartbeat.js';
import { claimDeath, look } from './watchdog-scripts.js';

/**
 * - `off`: no bound (DEADMAN_AFTER_SECONDS=0 and none set with /deadman); `no-heartbeat`: no bot has beaten on the prefix;
 * - `alive`: the last heartbeat is within the bound; `acted`: it is older, and this death has been acted on.
 */
export type WatchdogPhase = 'off' | 'no-heartbeat' | 'alive' | 'acted';

export type WatchdogEvent =
  | { readonly kind: 'look'; readonly phase: WatchdogPhase; readonly ageMs?: number; readonly boundSeconds: number }
  /** The switch fired: HALTED, bot orders cancelled, chats told (the text they got). */
  | { readonly kind: 'acted'; readonly text: string; readonly cancels: CancelReport; readonly delivered: readonly string[] }
  /** A heartbeat within the bound again after the switch fired: the watchdog stands down and watches the new life. */
  | { readonly kind: 'back'; readonly beat: Heartbeat }
  /** The bot trades on another exchange or account than this watchdog's: it must not cancel anything, and stops. */
  | { readonly kind: 'mismatch'; readonly text: string };

export interface WatchdogOptions {
  readonly redis: Redis;
  readonly prefix: string;
  /** DEADMAN_AFTER_SECONDS; a bound set with /deadman wins. */
  readonly configuredSeconds: number;
  readonly pollMs: number;
  /** Who this watchdog is, for the bot's /status and the alert. */
  readonly self: { readonly host: string; readonly pid: number };
  /** Where this watchdog would cancel, checked against where the bot trades before it touches anything. */
  readonly mine: { readonly mode: string; readonly exchange: string; readonly apiKey: string };
  readonly venue: CancelingVenue;
  /** Runs before the cancels (the command syncs the exchange's clock). */
  readonly prepare?: () => Promise<void>;
  /** MARKET_SYMBOLS; the symbols of the bot's saved orders are added when it acts. */
  readonly symbols: readonly string[];
  /** The allowed chats, through the Bot API; absent without a Telegram token (the log and output only). */
  readonly alert?: ChatAlert;
  readonly log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Rounds of list-then-cancel, and the wait before each round after the first. */
  readonly cancelRounds?: number;
  readonly pause?: (round: number) => Promise<void>;
}

/**
 * `telegrid watchdog`'s judgement (issue 10): every poll it reads the bot's heartbeat and the bound; once the heartbeat
 * is older than the bound it claims that death (once, even with two watchdogs), halts trading in Redis, cancels every
 * bot order on the exchange and tells the allowed chats. It never places an order. It acts once per death: until a
 * heartbeat comes back within the bound, later polls only look; after one does, it watches the new life.
 */
export class Watchdog {
  private phase: WatchdogPhase | undefined;
  private readonly listeners: Array<(e: WatchdogEvent) => void> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private acting: ReturnType<Watchdog['act']> | undefined;

  constructor(private readonly o: WatchdogOptions) {}

  on(listener: (e: WatchdogEvent) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  /** Looks now, then every poll until stopped. A look that fails (Redis away) is logged; the next one tries again. */
  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.lookOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.o.log.warn({ err: error, prefix: this.o.prefix }, 'watchdog: a look failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.o.pollMs);
        });
    };
    tick();
  }

  /**
   * Stops polling. An action in progress is finished first (its cancels matter more than a prompt exit); a look is
   * waited for at most `boundMs`, since a look waits through a Redis outage (commands queue until it is back).
   */
  async stop(boundMs = 2_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.acting) return void (await this.acting);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.running, new Promise((r) => (timer = setTimeout(r, boundMs)))]);
    clearTimeout(timer);
  }

  private emit(e: WatchdogEvent): WatchdogEvent {
    for (const l of this.listeners) l(e);
    return e;
  }

  /** One poll: look, and act if the heartbeat is older than the bound and this death is not yet acted on. */
  async lookOnce(): Promise<WatchdogEvent> {
    const seen = await look(this.o.redis, this.o.prefix, { ...this.o.self, pollMs: this.o.pollMs });
    const stored = parseStoredBound(seen.storedBound);
    const boundSeconds = stored ?? this.o.configuredSeconds;
    const beat = parseHeartbeat(seen.heartbeat);
    const mismatch = beat && wrongVenue(beat, this.o.mine);
    if (mismatch) return this.emit({ kind: 'mismatch', text: mismatch });
    if (!beat) return this.emit(this.lookEvent('no-heartbeat', boundSeconds));
    const ageMs = Math.max(0, seen.now - (beat.stoppedAt ?? beat.at));
    if (boundSeconds === 0) return this.emit(this.lookEvent('off', boundSeconds, ageMs));
    if (ageMs <= boundSeconds * 1000) {
      if (this.phase === 'acted') this.emit({ kind: 'back', beat });
      return this.emit(this.lookEvent('alive', boundSeconds, ageMs));
    }
    // Acted on already, by this watchdog or another: once per death.
    if (parseFired(seen.fired)?.beat === beatIdentity(beat)) return this.emit(this.lookEvent('acted', boundSeconds, ageMs));
    this.acting = this.act(beat, ageMs, boundSeconds, stored === undefined ? 'setting' : 'chat');
    const acted = await this.acting.finally(() => (this.acting = undefined));
    return this.emit(acted ?? this.lookEvent('acted', boundSeconds, ageMs));
  }

  private lookEvent(phase: WatchdogPhase, boundSeconds: number, ageMs?: number): WatchdogEvent {
    this.phase = phase;
    return { kind: 'look', phase, boundSeconds, ...(ageMs === undefined ? {} : { ageMs }) };
  }

  /** Halt first (nothing is placed behind the cancels), then cancel, then tell. Undefined when another watchdog claimed it. */
  private async act(beat: Heartbeat, ageMs: number, boundSeconds: number, boundFrom: 'setting' | 'chat') {
    const reason = haltReason(beat, boundSeconds);
    const claimed = await claimDeath(this.o.redis, this.o.prefix, beat, { beat: beatIdentity(beat), ...this.o.self, reason });
    if (!claimed) return undefined;
    this.phase = 'acted';
    this.o.log.error({ prefix: this.o.prefix, host: beat.host, pid: beat.pid, ageMs }, `watchdog: ${reason}; cancelling every bot order`);
    await this.o.prepare?.().catch((error: unknown) => this.o.log.warn({ err: error }, 'watchdog: preparing the exchange failed'));
    const symbols = await this.symbols();
    const cancels = await cancelBotOrders(this.o.venue, symbols, {
      rounds: this.o.cancelRounds ?? 5,
      pause: this.o.pause ?? ((round) => new Promise((r) => setTimeout(r, 1_000 * round))),
    });
    const text = deathText({ beat, ageMs, boundSeconds, boundFrom, wasHalted: claimed.wasHalted, cancels, watchdog: this.o.self });
    this.o.log.error({ prefix: this.o.prefix, canceled: cancels.canceled.length, left: cancels.left.length }, text);
    const outcome = this.o.alert ? await this.o.alert(text) : { delivered: [], failed: [] };
    const problems = alertProblems(outcome);
    if (problems) this.o.log.error({ prefix: this.o.prefix }, `watchdog: ${problems}`);
    return { kind: 'acted' as const, text, cancels, delivered: outcome.delivered };
  }

  /** MARKET_SYMBOLS and the symbol of every order the bot saved: every symbol it can have an order on. */
  private async symbols(): Promise<string[]> {
    const out = new Set(this.o.symbols);
    try {
      for (const text of await this.o.redis.hvals(REDIS_KEYS.stateOrders.key(this.o.prefix))) {
        const symbol = savedSymbol(text);
        if (symbol) out.add(symbol);
      }
    } catch (error) {
      this.o.log.warn({ err: error }, "watchdog: the bot's saved orders could not be read; only MARKET_SYMBOLS are swept");
    }
    return [...out].sort();
  }
}

function savedSymbol(text: string): string | undefined {
  try {
    const symbol = (JSON.parse(text) as { record?: { intent?: { symbol?: unknown } } }).record?.intent?.symbol;
    return typeof symbol === 'string' && /^[A-Z0-9]{2,20}$/.test(symbol) ? symbol : undefined;
  } catch {
    return undefined;
  }
}

/** Why this watchdog must not act for the bot that beats on the prefix (it trades elsewhere), or undefined. */
function wrongVenue(beat: Heartbeat, mine: WatchdogOptions['mine']): string | undefined {
  // Until the bot has opened its exchange its heartbeat names no account: nothing to compare yet.
  if (beat.account === undefined) return undefined;
  const mismatch = fingerprintMismatch(
    { version: 1, token: beat.token, mode: beat.mode, exchange: beat.exchange, account: beat.account },
    mine,
  );
  return mismatch && `${botOf(beat)} trades elsewhere: ${mismatch.replaceAll('this worker', 'this watchdog')}`;
}
