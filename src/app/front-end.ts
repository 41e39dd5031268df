import type { Readable, Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import {
  type ChatSession,
  ConsoleTransport,
  type NotificationKind,
  Outbox,
  type OutboxOptions,
  type Refusal,
  type TelegramOut,
  TelegramTransport,
  type Notifier,
  type QuoteAssetOf,
  URGENT_KINDS,
  followEvents,
  outboxNotifier,
} from '../chat/index.js';
import type { Dispatcher } from '../chat/index.js';
import { type Result, failure, ok } from '../domain/index.js';
import type { Clock, ObserverPort } from '../engine/index.js';
import { type Config, allowedUserIdsOf } from './config.js';
import type { Logger } from './logger.js';

/**
 * Telegram's limits (1 a second per chat, 20 a minute per group, 30 a second in all) with a margin on each window:
 * Telegram counts arrivals and the outbox counts departures, and network jitter must not make two seem a second apart.
 */
export const TELEGRAM_PACE = {
  privateRate: { limit: 1, windowMs: 1_100 },
  groupRate: { limit: 1, windowMs: 3_100 },
  globalRate: { limit: 30, windowMs: 1_100 },
} as const;

/** `closed` resolves with this when Telegram refused the bot's token: it can no longer hear commands and must exit. */
export const TELEGRAM_REFUSED = 'telegram refused the token';

export interface LinkHooks {
  /** No command could be read for TELEGRAM_DEAF_HALT_SECONDS: trading must not go on unheard. */
  onDeaf(sinceMs: number): void;
  onHearing(): void;
  onRefused(refusal: Refusal): void;
}

/** Where the owner talks to the bot: the terminal, or Telegram (with the paced outbox for everything the bot says). */
export interface FrontEnd {
  readonly kind: 'console' | 'telegram';
  /** Something the bot says on its own (start banner, warnings, recovery report); `kind` sets its pace and level. */
  say(text: string, kind?: NotificationKind): void;
  /**
   * An alert about Redis itself (lost, back): straight to the owner, never through Redis, so "lost" arrives while
   * Redis is still away. On Telegram: in memory, paced with the outbox, a few retries (Outbox.alert).
   */
  alert(text: string): void;
  /** Routes every notifiable engine event to the owner; returns the function that stops it. */
  follow(bus: ObserverPort, quoteAssetOf: QuoteAssetOf): () => void;
  /** Resolves when the owner leaves (console) or the front end is closed. */
  readonly closed: Promise<string>;
  close(): Promise<void>;
  readonly console?: ConsoleTransport;
  readonly telegram?: TelegramTransport;
  /** Telegram's paced outbox, for /limits and /metrics (Outbox.stats). */
  readonly outbox?: Outbox;
}

export interface FrontEndIO {
  readonly input: Readable;
  readonly output: Writable;
  readonly terminal?: boolean;
  readonly log: Logger;
  /** Wall time, for the age of Telegram commands. */
  readonly wallClock: Clock;
  /** What the app does when the Telegram link goes deaf and hears again, and with every stranger's refusal. */
  readonly link?: LinkHooks;
}

function consoleFrontEnd(session: ChatSession, config: Config, io: FrontEndIO): FrontEnd {
  const chat = new ConsoleTransport({ session, input: io.input, output: io.output, terminal: io.terminal, chartDir: config.CHART_DIR });
  return {
    kind: 'console',
    ...speaking({ notify: (note) => chat.notify(note.text) }),
    alert: (text) => chat.notify(text),
    closed: chat.closed,
    close: async () => {
      chat.close();
      await chat.closed;
    },
    console: chat,
  };
}

/**
 * The grammY bot on the same dispatcher, answering only the allowed chats. Everything the bot says, on its own or in
 * answer, goes through the Redis outbox (paced to Telegram's limits, digests for bursts, kept across restarts), except
 * alerts about Redis itself, which take the outbox's in-memory direct line.
 */
async function telegramFrontEnd(dispatcher: Dispatcher, config: Config, redis: Redis, io: FrontEndIO): Promise<FrontEnd> {
  let finish: (reason: string) => void = () => undefined;
  const closed = new Promise<string>((resolve) => (finish = resolve));
  // The outbox sends through the transport, which is built after it (it takes the outbox as its reply sink).
  const outbox: Outbox = new Outbox({
    redis,
    keyPrefix: config.KEY_PREFIX,
    ...outboxPorts((): TelegramOut => transport),
    levels: config.NOTIFY_LEVELS,
    ...TELEGRAM_PACE,
    log: io.log,
  });
  const transport: TelegramTransport = new TelegramTransport({
    token: config.TELEGRAM_BOT_TOKEN ?? '',
    apiRoot: config.TELEGRAM_API_ROOT,
    session: dispatcher,
    allowedChatIds: config.TELEGRAM_ALLOWED_CHAT_IDS,
    allowedUserIds: allowedUserIdsOf(config),
    clock: io.wallClock,
    maxCommandAgeMs: config.TELEGRAM_MAX_COMMAND_AGE_SECONDS * 1000,
    requestTimeoutSeconds: config.TELEGRAM_REQUEST_TIMEOUT_SECONDS,
    deafHaltSeconds: config.TELEGRAM_DEAF_HALT_SECONDS,
    log: io.log,
    replies: outbox,
    onFatal: (reason) => {
      io.log.error({ reason }, 'telegram refused the bot: it can no longer read commands, so telegrid stops');
      finish(TELEGRAM_REFUSED);
    },
    ...(io.link ?? {}),
    ...(config.TELEGRAM_WEBHOOK_URL
      ? {
          mode: {
            webhook: {
              port: config.TELEGRAM_WEBHOOK_PORT,
              path: new URL(config.TELEGRAM_WEBHOOK_URL).pathname,
              secretToken: config.TELEGRAM_WEBHOOK_SECRET ?? '',
              url: config.TELEGRAM_WEBHOOK_URL,
            },
          },
        }
      : {}),
  });
  await transport.start();
  outbox.start();
  const chats = config.TELEGRAM_ALLOWED_CHAT_IDS.map(Number);
  const failed = (error: unknown) => io.log.error({ err: error }, 'a notification could not be queued');
  return {
    kind: 'telegram',
    ...speaking(outboxNotifier(outbox, chats, failed)),
    alert: (text) => {
      for (const chatId of chats) outbox.alert(chatId, text);
    },
    closed,
    async close() {
      await transport.stop();
      await outbox.stop();
      finish('closed');
    },
    telegram: transport,
    outbox,
  };
}

/** The outbox's way to Telegram: a TelegramOut's send, edit and sendPhoto, looked up when called. */
function outboxPorts(out: () => TelegramOut): Pick<OutboxOptions, 'send' | 'edit' | 'sendPhoto'> {
  return {
    send: (chatId, text, options) => out().send(chatId, text, options),
    edit: (chatId, messageId, text) => out().edit(chatId, messageId, text),
    sendPhoto: (chatId, png, caption, options) => out().sendPhoto(chatId, png, caption, options),
  };
}

/**
 * The terminal chat, or the Telegram bot when TELEGRAM_BOT_TOKEN is set. A Telegram API that does not answer at start is
 * a clear refusal, not a stack trace.
 */
export async function openFrontEnd(dispatcher: Dispatcher, config: Config, redis: Redis, io: FrontEndIO): Promise<Result<FrontEnd>> {
  if (!config.TELEGRAM_BOT_TOKEN) return ok(consoleFrontEnd(dispatcher, config, io));
  try {
    return ok(await telegramFrontEnd(dispatcher, config, redis, io));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return failure('TELEGRAM_UNREACHABLE', `the Telegram bot could not start at ${config.TELEGRAM_API_ROOT} (${why})`);
  }
}

/** The front end's voice over its notifier: what the bot says on its own, and every notifiable event on the bus. */
function speaking(notifier: Notifier): Pick<FrontEnd, 'say' | 'follow'> {
  return {
    say: (text, kind = 'state') => notifier.notify({ kind, text, urgent: URGENT_KINDS.has(kind) }),
    follow: (bus, quoteAssetOf) => followEvents(bus, notifier, quoteAssetOf),
  };
}
