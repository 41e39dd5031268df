import { type Api, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Clock } from '../../engine/index.js';

/** grammY's (and the runner's) signal type: the abort-controller polyfill's. */
type PollSignal = NonNullable<Parameters<Api['getUpdates']>[1]>;

export type PollingHealth = 'ok' | 'retrying' | 'conflict' | 'fatal';

/** How the link to Telegram stands, for /health. */
export interface LinkState {
  readonly mode: 'polling' | 'webhook';
  readonly polling: PollingHealth;
  /** Wall time of the last getUpdates that succeeded (in webhook mode: undefined). */
  readonly lastPollOkAt: number | undefined;
  readonly lastError: string | undefined;
  /** No getUpdates has succeeded for longer than the deaf bound. */
  readonly deaf: boolean;
}

export interface PollerOptions {
  readonly getUpdates: (
    args: { offset: number; limit: number; timeout: number; allowed_updates: ('message' | 'callback_query')[] },
    signal: PollSignal,
  ) => Promise<Update[]>;
  readonly pollTimeoutSeconds: number;
  readonly clock: Clock;
  readonly log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  readonly deafAfterMs: number;
  /** A 409 episode is over once polls have gone this long without one. */
  readonly conflictQuietMs: number;
  /** Backoff after a failed poll: doubles from `first` up to `max`. */
  readonly retryDelayMs: { readonly first: number; readonly max: number };
  /** The token no longer works (401/403): polling has stopped for good. */
  readonly onFatal: (reason: string) => void;
  /** No poll has succeeded since `sinceMs` for longer than the deaf bound; fires once until polling works again. */
  readonly onDeaf: (sinceMs: number) => void;
  readonly onHearing: () => void;
  /** Another instance on the token (409) has gone; it was there since `sinceMs`. */
  readonly onConflictCleared: (sinceMs: number) => void;
  /** A batch reached the bot now. */
  readonly onBatch: (updates: readonly Update[], now: number) => void;
}

/** Thrown to the runner to end polling: the token was refused. */
class TokenRefused extends Error {}

function describe(error: unknown): string {
  if (error instanceof GrammyError) return `${error.error_code} ${error.description}`;
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number, signal: PollSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/**
 * The long-polling loop the runner pulls batches from. @grammyjs/runner's own fetcher gives up for good on a 409 or a
 * 401 (and grammY's bot.start on the same), which left the bot deaf while it kept trading; this one keeps retrying
 * everything but a refused token, with backoff (honouring a 429's retry_after), and says when the bot has been deaf
 * for too long and when it hears again.
 */
export class Poller {
  private offset = 0;
  private health: PollingHealth = 'ok';
  private lastOkAt: number;
  private lastError: string | undefined;
  private conflictSince: number | undefined;
  private lastConflictAt = 0;
  private deaf = false;
  private watch: NodeJS.Timeout | undefined;

  constructor(private readonly o: PollerOptions) {
    this.lastOkAt = o.clock.now();
  }

  /** Starts watching for deafness: a poll can fail quietly for a while (a 409 backoff), so a timer checks too. */
  start(): void {
    this.lastOkAt = this.o.clock.now();
    this.watch = setInterval(() => this.checkDeaf(), Math.min(1_000, this.o.deafAfterMs));
    this.watch.unref();
  }

  stop(): void {
    clearInterval(this.watch);
    this.watch = undefined;
  }

  /** The offset that confirms every update fetched so far (0 when none was). */
  confirmingOffset(): number {
    return this.offset;
  }

  /**
   * Polling ended on an error (a refused token, already reported, or a fault of the runner): the bot is deaf for good,
   * which the app must hear rather than keep trading.
   */
  ended(error: unknown): void {
    if (this.health === 'fatal') return;
    this.health = 'fatal';
    this.lastError = describe(error);
    this.o.log.warn({ error: this.lastError }, 'telegram polling stopped on an error');
    this.o.onFatal(`command polling stopped on an error (${this.lastError})`);
  }

  state(): LinkState {
    return { mode: 'polling', polling: this.health, lastPollOkAt: this.lastOkAt, lastError: this.lastError, deaf: this.deaf };
  }

  readonly supply = async (batchSize: number, signal: PollSignal): Promise<Update[]> => {
    let delay = this.o.retryDelayMs.first;
    for (;;) {
      const args = {
        offset: this.offset,
        limit: Math.max(1, Math.min(batchSize, 100)),
        timeout: this.o.pollTimeoutSeconds,
        allowed_updates: ['message' as const, 'callback_query' as const],
      };
      try {
        const updates = await this.o.getUpdates(args, signal);
        this.heard();
        const last = updates.at(-1);
        if (last !== undefined) this.offset = last.update_id + 1;
        this.o.onBatch(updates, this.o.clock.now());
        return updates;
      } catch (error) {
        if (signal.aborted) throw error;
        await sleep(this.failed(error, delay), signal);
        delay = Math.min(delay * 2, this.o.retryDelayMs.max);
      }
    }
  };

  /** Notes a failed poll and returns how long to wait before the next; throws when the token was refused. */
  private failed(error: unknown, delay: number): number {
    this.lastError = describe(error);
    const code = error instanceof GrammyError ? error.error_code : undefined;
    if (code === 401 || code === 403) {
      this.health = 'fatal';
      this.o.log.warn({ error: this.lastError }, 'telegram refused the bot token: command polling stopped');
      this.o.onFatal(`Telegram refused the bot token on getUpdates (${this.lastError}); the bot can no longer read commands`);
      throw new TokenRefused(this.lastError);
    }
    if (code === 409) {
      this.lastConflictAt = this.o.clock.now();
      if (this.conflictSince === undefined) {
        this.conflictSince = this.o.clock.now();
        this.o.log.warn(
          { error: this.lastError },
          'telegram: another instance is polling this bot token (409 Conflict); retrying until it stops',
        );
      }
      this.health = 'conflict';
    } else {
      this.health = 'retrying';
      this.o.log.warn({ error: this.lastError, retryInMs: delay }, 'telegram: getUpdates failed; retrying');
    }
    this.checkDeaf();
    const retryAfter = error instanceof GrammyError ? error.parameters.retry_after : undefined;
    return retryAfter === undefined ? delay : Math.max(delay, retryAfter * 1000);
  }

  private heard(): void {
    const now = this.o.clock.now();
    this.lastOkAt = now;
    // Two instances on one token take turns: each poll ends the other's, so some polls still succeed. The conflict is
    // over only once no 409 came for a while, or the chat would hear "cleared" after every poll that got through.
    const conflictOver = this.conflictSince !== undefined && now - this.lastConflictAt >= this.o.conflictQuietMs;
    this.health = this.conflictSince === undefined || conflictOver ? 'ok' : 'conflict';
    if (conflictOver) {
      const since = this.conflictSince!;
      this.conflictSince = undefined;
      this.o.log.info({ sinceMs: since }, 'telegram: the 409 Conflict has cleared; polling again');
      this.o.onConflictCleared(since);
    }
    if (this.deaf) {
      this.deaf = false;
      this.o.log.info({}, 'telegram: commands reach the bot again');
      this.o.onHearing();
    }
  }

  private checkDeaf(): void {
    if (this.deaf || this.health === 'ok' || this.o.clock.now() - this.lastOkAt < this.o.deafAfterMs) return;
    this.deaf = true;
    this.o.log.warn({ sinceMs: this.lastOkAt, error: this.lastError }, 'telegram: no command could be read for too long');
    this.o.onDeaf(this.lastOkAt);
  }
}
