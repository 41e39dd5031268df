import type { Clock } from '../../engine/index.js';
import type { LocalPace } from './local-pace.js';
import type { OutboxLog, OutboxSendResult, OutboxTimers, Transmission } from './outbox-ports.js';

/** One message on the direct line: what to transmit, and whether it goes before the routine ones waiting. */
interface DirectItem {
  readonly message: Transmission;
  readonly urgent: boolean;
  /** Told what became of it: sent (with Telegram's answer), given up, or dropped by stop(). */
  readonly settled?: (result: OutboxSendResult) => void;
}

export interface DirectLineOptions {
  readonly transmit: (chatId: number, message: Transmission) => Promise<OutboxSendResult>;
  readonly clock: Clock;
  readonly timers: OutboxTimers;
  readonly pace: LocalPace;
  readonly log: OutboxLog;
  /** Error answers (not 429s) a message survives here before it is logged and given up. */
  readonly maxAttempts: number;
  /** The pause after the attempt-th error answer. */
  readonly backoff: (attempt: number) => number;
  /** A message was given up (refused for good, or out of attempts); it is logged here. */
  readonly gaveUp: () => void;
}

/**
 * Messages that must not wait for Redis, kept in memory and sent straight to Telegram: alerts about Redis itself
 * ("connection lost" would otherwise arrive only once Redis is back), and replies while Redis is away. Paced with the
 * outbox's own sends through the shared LocalPace, 429s honoured, an error answer retried a few times; lost if the
 * process stops, which is the price of not needing Redis.
 */
export class DirectLine {
  private readonly queues = new Map<number, DirectItem[]>();
  private readonly workers = new Map<number, Promise<void>>();
  private halt: (() => void) | undefined;
  private halted = this.newHalt();

  constructor(private readonly o: DirectLineOptions) {}

  /**
   * Queues a message for `chatId` (an urgent one before the routine ones waiting) and starts its chat's sender;
   * `settled` hears what became of it.
   */
  say(chatId: number, message: Transmission, urgent: boolean, settled?: (result: OutboxSendResult) => void): void {
    const queue = this.queues.get(chatId) ?? [];
    this.queues.set(chatId, queue);
    const at = urgent ? queue.findIndex((item, i) => i > 0 && !item.urgent) : -1;
    queue.splice(at === -1 ? queue.length : at, 0, { message, urgent, ...(settled !== undefined ? { settled } : {}) });
    if (!this.workers.has(chatId)) this.workers.set(chatId, this.work(chatId, queue));
  }

  /** Messages waiting (the one being sent included). */
  waiting(): number {
    let n = 0;
    for (const queue of this.queues.values()) n += queue.length;
    return n;
  }

  /** Gives up what waits (it was only in memory) once the sends under way are answered. */
  async stop(): Promise<void> {
    this.halt?.();
    await Promise.all(this.workers.values());
    for (const queue of this.queues.values()) for (const item of queue) item.settled?.({ ok: false, error: 'the outbox stopped' });
    this.queues.clear();
    this.halted = this.newHalt();
  }

  private newHalt(): Promise<'halt'> {
    return new Promise((resolve) => (this.halt = () => resolve('halt')));
  }

  /** Sleeps, or returns false at once when the line is stopped. */
  private async pause(ms: number): Promise<boolean> {
    return (await Promise.race([this.o.timers.sleep(ms).then(() => 'slept' as const), this.halted])) === 'slept';
  }

  /** Sends the chat's queue in order until it is empty or the line stops; forgets itself in the same turn it finds none. */
  private async work(chatId: number, queue: DirectItem[]): Promise<void> {
    const chat = String(chatId);
    let attempt = 0;
    try {
      for (let item = queue[0]; item !== undefined; item = queue[0]) {
        const now = this.o.clock.now();
        const wait = this.o.pace.wait(chat, now);
        if (wait > 0) {
          if (!(await this.pause(wait))) return;
          continue;
        }
        this.o.pace.take(chat, now);
        const result = await this.o.transmit(chatId, item.message);
        this.o.pace.answered(chat, now, this.o.clock.now());
        if (result.ok) {
          queue.shift()?.settled?.(result);
          attempt = 0;
          continue;
        }
        if ('retryAfterMs' in result) {
          this.o.pace.pause(chat, this.o.clock.now() + result.retryAfterMs);
          continue;
        }
        attempt++;
        const lastTry = result.permanent === true || attempt >= this.o.maxAttempts;
        this.o.log.warn({ chatId, error: result.error, attempt, givenUp: lastTry }, 'outbox: a direct message failed');
        if (lastTry) {
          this.o.gaveUp();
          queue.shift()?.settled?.(result);
          attempt = 0;
        } else if (!(await this.pause(this.o.backoff(attempt)))) return;
      }
    } finally {
      if (queue.length === 0) this.queues.delete(chatId);
      this.workers.delete(chatId);
    }
  }
}
