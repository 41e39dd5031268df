/** Outbox tests' Telegram, virtual time and waiting; their Redis comes from test/kit/redis.ts. */
import type { OutboxEdit, OutboxSend, OutboxTimers, OutboxSendResult } from '../../../src/chat/outbox/index.js';
import type { InlineKeyboard } from '../../../src/chat/telegram/index.js';
import { ManualClock } from '../../../src/engine/index.js';

export interface Received {
  readonly at: number;
  readonly chatId: number;
  readonly text: string;
  readonly silent: boolean;
  readonly keyboard?: InlineKeyboard;
  /** Set for an edit: the message whose text it replaced. */
  readonly editOf?: number;
}

/**
 * A Telegram that keeps the rules itself: it records every call (sends and edits alike), counts any call to a chat
 * sooner than `gapMs` after that chat's previous accepted one, or inside a retry_after it gave, as a violation, and
 * answers from `script` when one is given (undefined falls through to ok).
 */
export class FakeTelegram {
  readonly received: Received[] = [];
  readonly calls: Received[] = [];
  violations = 0;
  private readonly last = new Map<number, number>();
  private readonly blockedUntil = new Map<number, number>();
  script: ((call: Received, n: number) => OutboxSendResult | Promise<OutboxSendResult> | undefined) | undefined;

  constructor(
    private readonly clock: ManualClock,
    private readonly gapMs = (chatId: number): number => (chatId < 0 ? 3000 : 1000),
  ) {}

  readonly send: OutboxSend = (chatId, text, { silent, keyboard }) =>
    this.call({ at: this.clock.now(), chatId, text, silent, ...(keyboard !== undefined ? { keyboard } : {}) });

  readonly edit: OutboxEdit = (chatId, messageId, text) =>
    this.call({ at: this.clock.now(), chatId, text, silent: false, editOf: messageId });

  private async call(call: Received): Promise<OutboxSendResult> {
    const { chatId } = call;
    this.calls.push(call);
    const prev = this.last.get(chatId);
    if (prev !== undefined && call.at - prev < this.gapMs(chatId)) this.violations++;
    if (call.at < (this.blockedUntil.get(chatId) ?? -Infinity)) this.violations++;
    if (call.text.length > 4096) this.violations++;
    const answer = await this.script?.(call, this.calls.length);
    if (answer !== undefined && !answer.ok) {
      if ('retryAfterMs' in answer) this.blockedUntil.set(chatId, call.at + answer.retryAfterMs);
      return answer;
    }
    this.last.set(chatId, call.at);
    this.received.push(call);
    return { ok: true };
  }

  lines(): string[] {
    return this.received.flatMap((m) => m.text.split('\n'));
  }
}

/** Virtual time for the loop: each sleep moves the clock on and resolves after the event loop had a turn. */
export function virtualTimers(clock: ManualClock): OutboxTimers {
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        setImmediate(() => {
          clock.advance(ms);
          resolve();
        });
      }),
  };
}

/** Waits for a condition that Redis round trips will make true (bounded). */
export async function until(done: () => boolean | Promise<boolean>, boundMs = 10_000): Promise<void> {
  const end = Date.now() + boundMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise<void>((r) => setTimeout(r, 2));
  }
}
