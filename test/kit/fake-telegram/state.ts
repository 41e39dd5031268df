/** One bot's world as the fake keeps it: chats, messages, pending updates, commands, callback queries. */
import type { BotCommand, BotUser, CallbackQuery, Chat, Message, Outcome, Update, User } from './types.js';
import { fail } from './types.js';

const CONFLICT_POLL = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';

interface Poller {
  limit: number;
  answer: (outcome: Outcome) => void;
}

/** One bot's world: its chats and messages, the updates waiting for it, its commands and callback queries. */
export class BotState {
  private nextUpdateId = 1;
  private nextQueryId = 1;
  private readonly queue: Update[] = [];
  private poller: Poller | undefined;
  private allowed: string[] = [];
  readonly chats = new Map<number, Chat>();
  private readonly history = new Map<number, Message[]>();
  private readonly lastMessageId = new Map<number, number>();
  readonly queries = new Map<string, { query: CallbackQuery; at: number; answered: boolean }>();
  readonly commandSets = new Map<string, BotCommand[]>();
  /** The bytes uploaded with each photo message, by `<chat>:<message>`: Telegram keeps the file, not the message. */
  readonly uploads = new Map<string, Uint8Array>();
  webhook: string | undefined;

  constructor(
    readonly token: string,
    readonly user: BotUser,
  ) {}

  get from(): User {
    return { id: this.user.id, is_bot: true, first_name: this.user.first_name, username: this.user.username };
  }

  addChat(chat: Chat): Chat {
    const known = this.chats.get(chat.id);
    if (known !== undefined) return known;
    this.chats.set(chat.id, chat);
    return chat;
  }

  /** Stores a message under the chat's next id: Telegram numbers a chat's messages in one sequence, both sides' alike. */
  post(chat: Chat, fields: Omit<Message, 'message_id' | 'chat'>): Message {
    const id = (this.lastMessageId.get(chat.id) ?? 0) + 1;
    this.lastMessageId.set(chat.id, id);
    const message: Message = { message_id: id, chat, ...fields };
    const list = this.history.get(chat.id) ?? [];
    list.push(message);
    this.history.set(chat.id, list);
    return message;
  }

  message(chatId: number, messageId: number): Message | undefined {
    return this.history.get(chatId)?.find((m) => m.message_id === messageId);
  }

  messages(chatId: number): Message[] {
    return this.history.get(chatId) ?? [];
  }

  freshQueryId(): string {
    return `${this.user.id}${String(this.nextQueryId++).padStart(6, '0')}`;
  }

  /** Queues an update and hands it to a waiting long poll at once. */
  enqueue(fields: Omit<Update, 'update_id'>): Update {
    const update: Update = { update_id: this.nextUpdateId++, ...fields };
    const kind = Object.keys(fields)[0]!;
    if (this.allowed.length > 0 && !this.allowed.includes(kind)) return update; // filtered at the source, as Telegram does
    this.queue.push(update);
    if (this.poller !== undefined) this.answerPoll(this.poller);
    return update;
  }

  pending(): Update[] {
    return [...this.queue];
  }

  dropPending(): void {
    this.queue.length = 0;
  }

  /**
   * Telegram's getUpdates: confirms everything below `offset` (a negative one keeps only the last |offset|), answers
   * at once when something is waiting, else holds the request up to `timeout` seconds. A newer poll ends an older one
   * with 409, as the Bot API server does.
   */
  poll(offset: number, limit: number, timeout: number, allowed: unknown, signal: AbortSignal): Promise<Outcome> {
    if (this.webhook !== undefined) {
      return Promise.resolve(
        fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"),
      );
    }
    if (Array.isArray(allowed)) this.allowed = allowed.filter((a): a is string => typeof a === 'string');
    if (offset > 0) this.confirm(offset);
    else if (offset < 0) this.queue.splice(0, Math.max(0, this.queue.length + offset));
    this.poller?.answer(fail(409, CONFLICT_POLL));
    this.poller = undefined;
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const poller: Poller = {
        limit,
        answer: (outcome) => {
          clearTimeout(timer);
          if (this.poller === poller) this.poller = undefined;
          resolve(outcome);
        },
      };
      if (this.queue.length > 0 || timeout <= 0) return this.answerPoll(poller);
      this.poller = poller;
      timer = setTimeout(() => this.answerPoll(poller), timeout * 1000);
      signal.addEventListener('abort', () => poller.answer({ ok: true, result: [] }), { once: true });
    });
  }

  /** Ends a waiting poll (the fake is closing). */
  release(): void {
    this.poller?.answer({ ok: true, result: [] });
  }

  private confirm(offset: number): void {
    while (this.queue.length > 0 && this.queue[0]!.update_id < offset) this.queue.shift();
  }

  private answerPoll(poller: Poller): void {
    poller.answer({ ok: true, result: this.queue.slice(0, poller.limit) });
  }
}
