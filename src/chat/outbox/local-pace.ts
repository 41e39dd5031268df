/** A pace: so many messages per window, per chat and across every chat. */
export interface Pace {
  readonly chatLimit: number;
  readonly chatWindowMs: number;
  readonly globalLimit: number;
  readonly globalWindowMs: number;
}

/** ms until a sliding window `log` (sorted send times) has room for one more; prunes what left the window. */
function windowWait(log: number[], limit: number, windowMs: number, now: number): number {
  while (log.length > 0 && log[0]! <= now - windowMs) log.shift();
  return log.length >= limit ? log[0]! + windowMs - now : 0;
}

function insertSorted(log: number[], at: number): void {
  let i = log.length;
  while (i > 0 && log[i - 1]! > at) i--;
  log.splice(i, 0, at);
}

/**
 * This process's own record of what it sent, per chat and in all, and of the 429 pauses Telegram asked for: the
 * Redis-paced outbox and the in-memory direct line (which must work while Redis is away) both consult it, so the two
 * never break a chat's pace together. Redis's windows stay the authority across processes; this one needs no Redis.
 */
export class LocalPace {
  private readonly chats = new Map<string, number[]>();
  private readonly all: number[] = [];
  private readonly paused = new Map<string, number>();

  constructor(private readonly paceOf: (chat: string) => Pace) {}

  /** ms until `chat` may be sent to (0: now). */
  wait(chat: string, now: number): number {
    const p = this.paceOf(chat);
    const log = this.chats.get(chat);
    const chatWait = log === undefined ? 0 : windowWait(log, p.chatLimit, p.chatWindowMs, now);
    if (log !== undefined && log.length === 0) this.chats.delete(chat);
    const pause = (this.paused.get(chat) ?? 0) - now;
    if (pause <= 0) this.paused.delete(chat);
    return Math.max(0, pause, chatWait, windowWait(this.all, p.globalLimit, p.globalWindowMs, now));
  }

  /** Records a message sent to `chat` at `at`. */
  take(chat: string, at: number): void {
    const log = this.chats.get(chat) ?? [];
    this.chats.set(chat, log);
    insertSorted(log, at);
    insertSorted(this.all, at);
  }

  /**
   * The message recorded at `sentAt` was answered at `answeredAt`: it counts from the answer from now on. Telegram
   * counts a message when it receives it, some time before it answers; a message the machine (or the network) was slow
   * to deliver would otherwise open the next window early by that delay, and the next one arrive too soon after it.
   */
  answered(chat: string, sentAt: number, answeredAt: number): void {
    if (answeredAt <= sentAt) return;
    for (const log of [this.chats.get(chat), this.all]) {
      if (log === undefined) continue;
      const i = log.indexOf(sentAt);
      if (i < 0) continue;
      log.splice(i, 1);
      insertSorted(log, answeredAt);
    }
  }

  /** Telegram asked this chat to wait until `until` (a 429). */
  pause(chat: string, until: number): void {
    if (until > (this.paused.get(chat) ?? 0)) this.paused.set(chat, until);
  }
}
