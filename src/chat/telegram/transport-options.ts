import type { Clock } from '../../engine/index.js';
import type { ChatSession, Pressed } from '../dispatcher.js';
import type { LookAction, Reply } from '../registry.js';
import type { ReplySink } from './reply-sink.js';

/** What the transport needs of the chat layer: the Dispatcher fits it. */
interface TelegramSession extends ChatSession {
  press(chatId: string, userId: string, confirmationId: string, action: 'confirm' | 'cancel'): Pressed;
  /** The "Try it on history" button of a pending confirmation: its what-if, the confirmation left pending. */
  tryOut(chatId: string, userId: string, confirmationId: string, look?: LookAction): Promise<Reply>;
  /** The command whose confirmation this person could take now (by a button: that very confirmation), if any. */
  pendingCommand(chatId: string, asker: { readonly userId?: string; readonly id?: string }): string | undefined;
  readonly registry: { readonly commands: readonly { readonly name: string; readonly summary: string }[] };
}

interface TelegramLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

interface WebhookMode {
  readonly port: number;
  readonly path: string;
  /** Telegram sends it in X-Telegram-Bot-Api-Secret-Token; a request without it is refused (401). */
  readonly secretToken: string;
  /** Defaults to loopback: a reverse proxy terminates TLS in front. */
  readonly host?: string;
  /** The public https URL to register with setWebhook at start; unset leaves registration to the operator. */
  readonly url?: string;
}

type TelegramMode = 'polling' | { readonly webhook: WebhookMode };

/** Someone not on the allowlist wrote or tapped; never their words. */
export interface Refusal {
  readonly chatId: number;
  readonly userId: number | undefined;
  readonly chatType: string;
  readonly kind: 'message' | 'button';
}

export interface TelegramTransportOptions {
  readonly token: string;
  /** The Bot API server; defaults to https://api.telegram.org. */
  readonly apiRoot?: string;
  readonly session: TelegramSession;
  readonly allowedChatIds: readonly string[];
  /** In groups, only these users may command; unset lets every member of an allowed group. */
  readonly allowedUserIds?: readonly string[];
  /** Wall time: commands are aged against it. */
  readonly clock: Clock;
  /** A command older than this when it reaches the bot (by its message date) is not run; the chat is told. Never /kill. */
  readonly maxCommandAgeMs: number;
  readonly log: TelegramLog;
  readonly mode?: TelegramMode;
  /** Long-poll wait in seconds (Telegram's maximum useful value is 50). */
  readonly pollTimeoutSeconds?: number;
  /** Deadline of every Bot API call but a long poll, which gets its poll timeout plus this. Default 10. */
  readonly requestTimeoutSeconds?: number;
  /** After this long without a successful poll, `onDeaf` fires. Default 120. */
  readonly deafHaltSeconds?: number;
  /** Backoff between failed polls; defaults to 1 s doubling up to 30 s. */
  readonly retryDelayMs?: { readonly first: number; readonly max: number };
  /** Where replies go (the app's outbox); unset sends them straight to Telegram. */
  readonly replies?: ReplySink;
  /** Telegram refused the token while polling: the bot can no longer hear commands and should exit. */
  readonly onFatal?: (reason: string) => void;
  /** No poll has succeeded since `sinceMs` (wall time) for `deafHaltSeconds`: trading should halt. Once per episode. */
  readonly onDeaf?: (sinceMs: number) => void;
  /** Polling works again after `onDeaf`. */
  readonly onHearing?: () => void;
  /** Every refusal of a stranger, answered or not (the audit trail). */
  readonly onRefused?: (refusal: Refusal) => void;
}

export interface NotifyOptions {
  readonly silent?: boolean;
}
