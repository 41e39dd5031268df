import type { ReplyPhoto } from '../registry.js';
import type { InlineKeyboard } from './telegram-texts.js';
import type { TelegramSendResult } from './send-result.js';

/**
 * One reply to a chat: its text (any length; the sink splits it), optional buttons on the last text part, a picture
 * after the text, and its lane.
 */
export interface QueuedReply {
  readonly text: string;
  readonly keyboard?: InlineKeyboard;
  readonly photo?: ReplyPhoto;
  /** The kill switch's acknowledgement and confirmations: sent before every routine message waiting for the chat. */
  readonly urgent: boolean;
}

/**
 * Where the transport puts what it says in answer to someone: the paced, persistent outbox in the app, so a 429 delays
 * a reply instead of dropping it and a reply and a notification never break the chat's pace together. Both calls
 * resolve once the message is durably queued, not once Telegram has it.
 */
export interface ReplySink {
  reply(chatId: number, reply: QueuedReply): Promise<void>;
  /** Edits a message the bot sent (a confirmation preview showing its outcome); paced like a message. */
  edit(chatId: number, messageId: number, text: string): Promise<void>;
  /**
   * A line the bot then edits in place while work goes on (a backtest's progress), paced like a message: resolves with
   * its message id once Telegram took it, undefined if it did not. Kept in memory, not in Redis: the line means
   * nothing once the process doing the work is gone.
   */
  live(chatId: number, text: string): Promise<number | undefined>;
  /** Replaces a live line's text, from memory and paced like a message; resolves once Telegram answered. */
  liveEdit(chatId: number, messageId: number, text: string): Promise<void>;
}

/**
 * What the outbox needs of Telegram: one message (at most 4,096 characters, never split here), one picture (a caption
 * of at most 1,024) or one edit, each answered with what became of it (a 429's wait, a permanent refusal, or a
 * transient failure to retry).
 */
export interface TelegramOut {
  send(
    chatId: number,
    text: string,
    options: { readonly silent: boolean; readonly keyboard?: InlineKeyboard },
  ): Promise<TelegramSendResult>;
  edit(chatId: number, messageId: number, text: string): Promise<TelegramSendResult>;
  /** sendPhoto as a multipart upload named `filename`; a blank caption sends the picture bare. */
  sendPhoto(
    chatId: number,
    png: Uint8Array,
    caption: string,
    options: { readonly silent: boolean; readonly filename: string },
  ): Promise<TelegramSendResult>;
}
