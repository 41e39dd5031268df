import type { InlineKeyboard } from '../telegram/index.js';

/**
 * What a send or an edit came to. The transport's TelegramSendResult fits as it is: a rate limit is recognised by
 * retryAfterMs, any other failure by ok: false, and `permanent` (Telegram refused the request itself: chat not found,
 * bot blocked) is the one failure the outbox does not retry.
 */
export type OutboxSendResult =
  | { readonly ok: true; readonly messageIds?: readonly number[] }
  | { readonly ok: false; readonly retryAfterMs: number }
  | { readonly ok: false; readonly error?: string; readonly permanent?: boolean };

/**
 * The transport's sendMessage (TelegramOut.send). It must time out well inside the outbox's leaseMs (see
 * OutboxOptions.leaseMs). Texts are at most 4096 characters, so they are never split.
 */
export type OutboxSend = (
  chatId: number,
  text: string,
  options: { readonly silent: boolean; readonly keyboard?: InlineKeyboard },
) => Promise<OutboxSendResult>;

/**
 * The transport's sendPhoto (TelegramOut.sendPhoto), under the same timeout rule as OutboxSend: one PNG uploaded as
 * `filename`, with a caption of at most 1,024 characters (blank: none).
 */
export type OutboxSendPhoto = (
  chatId: number,
  png: Uint8Array,
  caption: string,
  options: { readonly silent: boolean; readonly filename: string },
) => Promise<OutboxSendResult>;

/** The transport's editMessageText (TelegramOut.edit), under the same timeout rule as OutboxSend. */
export type OutboxEdit = (chatId: number, messageId: number, text: string) => Promise<OutboxSendResult>;

/**
 * One call to Telegram: a new message (with its buttons), a picture (`text` its caption), or a new text for a message
 * the bot sent.
 */
export interface Transmission {
  readonly text: string;
  readonly photo?: { readonly png: Uint8Array; readonly filename: string };
  readonly silent: boolean;
  readonly keyboard?: InlineKeyboard;
  readonly editOf?: number;
}

export interface OutboxTimers {
  /** Resolves after ms of the outbox's time; tests resolve it when they move their clock. */
  sleep(ms: number): Promise<void>;
}

export interface OutboxLog {
  warn(obj: object, msg: string): void;
}
