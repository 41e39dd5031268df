/** The fake's front: start it on loopback, play users, read what the bot did. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { commandKey } from './bot-methods.js';
import { type FaultHandle, type FaultMatch, Faults } from './faults.js';
import { type Injection, Limits } from './limits.js';
import { requestHandler, type World } from './server.js';
import { BotState } from './state.js';
import type {
  BotCommand,
  CallbackAnswer,
  Chat,
  ChatType,
  Message,
  MessageEntity,
  RequestRecord,
  SentCall,
  SentPhoto,
  Update,
  User,
  Violation,
} from './types.js';

export const DEFAULT_TOKEN = 'TEST:TOKEN';

export interface FakeTelegramOptions {
  port?: number;
  /** Milliseconds; drives message dates, record times, rate limits and penalties (long-poll waits stay real). */
  clock?: () => number;
}

export interface ChatRef {
  id: number;
  type: ChatType;
  title?: string;
}

export interface UserRef {
  id: number;
  first_name: string;
  username?: string;
}

/** A Bot API server on loopback for tests: the bot talks HTTP to `url`; the test plays the users and reads the records. */
export class FakeTelegram {
  private readonly world: World;

  constructor(
    private readonly server: Server,
    readonly url: string,
    world: World,
  ) {
    this.world = world;
  }

  addBot(token: string, bot: { id: number; username: string; first_name?: string }): void {
    this.world.bots.set(
      token,
      new BotState(token, {
        id: bot.id,
        is_bot: true,
        first_name: bot.first_name ?? bot.username,
        username: bot.username,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: false,
        has_main_web_app: false,
      }),
    );
  }

  /** Makes a chat known to the bot, as a user who pressed Start (or a group that added it) does; else sends get "chat not found". */
  addChat(chat: ChatRef, token = DEFAULT_TOKEN, user?: UserRef): Chat {
    const full: Chat =
      chat.type === 'private'
        ? {
            id: chat.id,
            type: 'private',
            first_name: user?.first_name ?? `User ${chat.id}`,
            ...(user?.username === undefined ? {} : { username: user.username }),
          }
        : { id: chat.id, type: chat.type, title: chat.title ?? `Group ${chat.id}` };
    return this.bot(token).addChat(full);
  }

  /** A user's text message, queued for the bot; a leading /command gets its bot_command entity (with any @botname). */
  userSends(chat: ChatRef, from: UserRef, text: string, token = DEFAULT_TOKEN): Update {
    const bot = this.bot(token);
    const command = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?/.exec(text);
    const entities: MessageEntity[] = command === null ? [] : [{ type: 'bot_command', offset: 0, length: command[0].length }];
    const message = bot.post(this.addChat(chat, token, from), {
      from: person(from),
      date: this.seconds(),
      text,
      ...(entities.length === 0 ? {} : { entities }),
    });
    return bot.enqueue({ message: structuredClone(message) });
  }

  /** A tap on an inline button of a message the bot sent; the button must be on the message as it stands now. */
  userTaps(chat: ChatRef, from: UserRef, messageId: number, data: string, token = DEFAULT_TOKEN): Update {
    const bot = this.bot(token);
    const message = bot.message(chat.id, messageId);
    if (message === undefined || message.from.id !== bot.user.id) throw new Error(`no bot message ${messageId} in chat ${chat.id}`);
    if (!buttonData(message).includes(data))
      throw new Error(`message ${messageId} has no button with callback_data ${JSON.stringify(data)}`);
    const query = {
      id: bot.freshQueryId(),
      from: person(from),
      message: structuredClone(message),
      chat_instance: `${bot.user.id}${Math.abs(chat.id)}`,
      data,
    };
    bot.queries.set(query.id, { query, at: this.world.clock(), answered: false });
    return bot.enqueue({ callback_query: query });
  }

  /** A user edits a message they sent earlier (or claims to: `messageId` need not exist), as an edited_message update. */
  userEdits(chat: ChatRef, from: UserRef, messageId: number, text: string, token = DEFAULT_TOKEN): Update {
    const bot = this.bot(token);
    const known = this.addChat(chat, token, from);
    const date = this.seconds();
    const edited: Message = { message_id: messageId, chat: known, from: person(from), date, edit_date: date, text };
    return bot.enqueue({ edited_message: edited });
  }

  /** A tap carrying whatever data the client sends (a forged button): no check that such a button exists. */
  userTapsForged(chat: ChatRef, from: UserRef, messageId: number, data: string, token = DEFAULT_TOKEN): Update {
    const bot = this.bot(token);
    const known = this.addChat(chat, token, from);
    const message: Message = bot.message(chat.id, messageId) ?? {
      message_id: messageId,
      chat: known,
      from: bot.from,
      date: this.seconds(),
    };
    const query = {
      id: bot.freshQueryId(),
      from: person(from),
      message: structuredClone(message),
      chat_instance: `${bot.user.id}${Math.abs(chat.id)}`,
      data,
    };
    bot.queries.set(query.id, { query, at: this.world.clock(), answered: false });
    return bot.enqueue({ callback_query: query });
  }

  /** Every successful call that changed something (not getMe/getUpdates/getMyCommands/getWebhookInfo), in order. */
  sent(chatId?: number): SentCall[] {
    return this.world.sent.filter((s) => chatId === undefined || s.chatId === chatId);
  }

  /** The bot's messages in the chat as they stand now (edits applied). */
  messages(chatId: number, token = DEFAULT_TOKEN): Message[] {
    return this.transcript(chatId, token).filter((m) => m.from.is_bot);
  }

  /** The pictures the bot sent to the chat, in order, with their captions and the exact bytes uploaded. */
  photos(chatId: number, token = DEFAULT_TOKEN): SentPhoto[] {
    const bot = this.bot(token);
    return this.messages(chatId, token)
      .filter((m) => m.photo !== undefined)
      .map((m) => {
        const bytes = bot.uploads.get(`${chatId}:${m.message_id}`);
        return { message_id: m.message_id, caption: m.caption ?? '', ...(bytes === undefined ? {} : { bytes: new Uint8Array(bytes) }) };
      });
  }

  /** Every message in the chat, the users' and the bot's, in order. */
  transcript(chatId: number, token = DEFAULT_TOKEN): Message[] {
    return structuredClone(this.bot(token).messages(chatId));
  }

  /** Updates the bot has not yet confirmed with a higher getUpdates offset. */
  pendingUpdates(token = DEFAULT_TOKEN): Update[] {
    return this.bot(token).pending();
  }

  callbackAnswers(): CallbackAnswer[] {
    return [...this.world.answers];
  }

  commands(options: { scope?: unknown; language_code?: string; token?: string } = {}): BotCommand[] {
    return structuredClone(
      this.bot(options.token ?? DEFAULT_TOKEN).commandSets.get(commandKey(options.scope, options.language_code)) ?? [],
    );
  }

  requests(): RequestRecord[] {
    return [...this.world.requests];
  }

  enforceTelegramLimits(on = true): void {
    this.world.limits.enforced = on;
  }

  inject429(options: Injection): void {
    this.world.limits.inject(options);
  }

  /** Holds the matching requests open, unanswered, until `clear()` or until the client gives up (recorded as 499). */
  hang(match: FaultMatch): FaultHandle {
    return this.world.faults.add(match, { kind: 'hang' });
  }

  /** Answers the matching requests with this Bot API error (409 Conflict, 401 Unauthorized, 502, …). */
  failWith(match: FaultMatch, errorCode: number, description: string, retryAfter?: number): FaultHandle {
    const error = {
      ok: false as const,
      error_code: errorCode,
      description,
      ...(retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } }),
    };
    return this.world.faults.add(match, { kind: 'error', error });
  }

  /** Cuts the matching requests' connections without an answer (recorded with status -1). */
  drop(match: FaultMatch): FaultHandle {
    return this.world.faults.add(match, { kind: 'drop' });
  }

  violations(): Violation[] {
    return [...this.world.limits.violations];
  }

  async close(): Promise<void> {
    for (const bot of this.world.bots.values()) bot.release();
    this.world.faults.releaseAll();
    const flushed = Promise.allSettled([...this.world.inflight]);
    await Promise.race([flushed, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private bot(token: string): BotState {
    const bot = this.world.bots.get(token);
    if (bot === undefined) throw new Error(`no bot with token ${token}; addBot it first`);
    return bot;
  }

  private seconds(): number {
    return Math.floor(this.world.clock() / 1000);
  }
}

function person(user: UserRef): User {
  return { id: user.id, is_bot: false, first_name: user.first_name, ...(user.username === undefined ? {} : { username: user.username }) };
}

function buttonData(message: Message): string[] {
  const markup = message.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
  return (markup?.inline_keyboard ?? []).flat().flatMap((b) => (b.callback_data === undefined ? [] : [b.callback_data]));
}

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const world: World = {
    clock: options.clock ?? Date.now,
    bots: new Map(),
    limits: new Limits(),
    faults: new Faults(),
    sent: [],
    requests: [],
    answers: [],
    inflight: new Set(),
  };
  const server = createServer(requestHandler(world));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const fake = new FakeTelegram(server, `http://127.0.0.1:${port}`, world);
  fake.addBot(DEFAULT_TOKEN, { id: 1_000_000_001, username: 'telegrid_test_bot', first_name: 'telegrid' });
  return fake;
}
