import type { Server } from 'node:http';
import { Bot, type Context } from 'grammy';
import type { Clock } from '../../engine/index.js';
import type { ChatSession, Pressed } from '../dispatcher.js';
import type { Reply } from '../registry.js';
import { Access, REFUSAL_TEXT, RefusalGate } from './access.js';
import { menuCommands } from './bot-commands.js';
import { parseButtonData } from './callback-data.js';
import { type TelegramSendResult, sendFailure } from './send-result.js';
import { splitText, TELEGRAM_TEXT_LIMIT } from './split-text.js';
import { type InlineKeyboard, firstLine, keyboardOf, skippedText, whoamiText } from './telegram-texts.js';
import { UpdateBatches, commandHead } from './update-batches.js';
import { listenForWebhook } from './webhook-server.js';

/** What the transport needs of the chat layer: the Dispatcher fits it. */
interface TelegramSession extends ChatSession {
  press(chatId: string, userId: string, confirmationId: string, action: 'confirm' | 'cancel'): Pressed;
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
  /** A command older than this when it arrives (by its message date) is not run; the chat is told. */
  readonly maxCommandAgeMs: number;
  readonly log: TelegramLog;
  readonly mode?: TelegramMode;
  /** Long-poll wait in seconds (Telegram's maximum useful value is 50). */
  readonly pollTimeoutSeconds?: number;
}

export interface NotifyOptions {
  readonly silent?: boolean;
}

const WHOAMI_INTERVAL_MS = 60_000;

/** Room kept in a preview's last part for the outcome line a tap appends. */
const OUTCOME_ROOM = 300;

type TextChat = { readonly id: number; readonly type: string; readonly title?: string };

/**
 * Telegram as a transport over the chat session. Replies go as plain text (no parse_mode): every reply is already
 * plain text, much of it echoes what the owner typed or quotes Binance's messages, and plain text needs no escaping,
 * so no reply can fail with "can't parse entities" and a split can never cut an escape or a tag apart.
 */
export class TelegramTransport {
  readonly bot: Bot;
  private readonly o: TelegramTransportOptions;
  private readonly access: Access;
  private readonly refusals = new RefusalGate();
  /** Strangers may ask /whoami, but not make the bot talk as fast as they type. */
  private readonly strangerWhoami = new RefusalGate(WHOAMI_INTERVAL_MS);
  private readonly batches = new UpdateBatches();
  private readonly skipped = new Map<number, string[]>();
  private polling: Promise<void> | undefined;
  private server: Server | undefined;

  constructor(options: TelegramTransportOptions) {
    this.o = options;
    this.access = new Access(options.allowedChatIds, options.allowedUserIds);
    this.bot = new Bot(options.token, options.apiRoot === undefined ? {} : { client: { apiRoot: options.apiRoot } });
    this.bot.api.config.use(async (prev, method, payload, signal) => {
      const res = await prev(method, payload, signal);
      if (method === 'getUpdates' && res.ok) this.batches.note(res.result as unknown as { update_id: number }[], this.o.clock.now());
      return res;
    });
    this.bot.use(async (ctx, next) => {
      try {
        await next();
      } finally {
        const id = ctx.update.update_id;
        const last = this.batches.arrival(id, this.o.clock.now()).last;
        this.batches.done(id);
        if (last) await this.tellSkipped();
      }
    });
    this.bot.on('message:text', (ctx) => this.onText(ctx));
    this.bot.on('callback_query:data', (ctx) => this.onTap(ctx));
    this.bot.catch((error) => this.o.log.warn({ err: error.error, updateId: error.ctx.update.update_id }, 'telegram update failed'));
  }

  /** Logs in (getMe), publishes the command menu, and resolves once polling runs (or the webhook server listens). */
  async start(): Promise<void> {
    await this.bot.init();
    try {
      await this.bot.api.setMyCommands(menuCommands(this.o.session.registry.commands));
    } catch (error) {
      // The menu is a convenience: typed commands work without it, so it must not keep the bot from starting.
      this.o.log.warn({ ...sendFailure(error, 0) }, 'telegram: the command menu could not be published');
    }
    const mode = this.o.mode ?? 'polling';
    if (mode === 'polling') {
      await new Promise<void>((resolve, reject) => {
        let started = false;
        this.polling = this.bot
          .start({ timeout: this.o.pollTimeoutSeconds ?? 30, onStart: () => ((started = true), resolve()) })
          .catch((error: unknown) => {
            this.o.log.warn({ err: error }, 'telegram polling stopped on an error');
            if (!started) reject(error);
          });
      });
      this.o.log.info({ bot: this.bot.botInfo.username }, 'telegram polling');
      return;
    }
    const { url, ...listen } = mode.webhook;
    const server = await listenForWebhook(this.bot, listen, (error) => this.o.log.warn({ err: error }, 'telegram webhook update failed'));
    this.server = server;
    if (url !== undefined)
      await this.bot.api.setWebhook(url, { secret_token: listen.secretToken, allowed_updates: ['message', 'callback_query'] });
    this.o.log.info({ bot: this.bot.botInfo.username, port: listen.port, path: listen.path }, 'telegram webhook listening');
  }

  /** Stops polling (confirming the updates handled) and waits for the update in hand; or closes the webhook server. */
  async stop(): Promise<void> {
    if (this.polling !== undefined) {
      await this.bot.stop();
      await this.polling;
      this.polling = undefined;
    }
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The port the webhook server listens on (useful when `port` was 0). */
  webhookPort(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  /** Sends a message nobody asked for (a fill, a halt). No retry here: the caller's outbox decides. */
  notify(chatId: string | number, text: string, options: NotifyOptions = {}): Promise<TelegramSendResult> {
    return this.sendText(chatId, text, { silent: options.silent === true });
  }

  private async onText(ctx: Context): Promise<void> {
    const message = ctx.message!;
    const { chat, from } = message;
    const text = message.text!;
    const head = commandHead(text);
    if (head?.target !== undefined && head.target.toLowerCase() !== this.bot.botInfo.username.toLowerCase()) return; // for another bot
    if (chat.type !== 'private' && head === undefined) return; // group talk is not for the bot
    if (head?.name === 'whoami') {
      const allowed = this.access.allows(chat, from?.id);
      this.o.log.info({ chatId: chat.id, userId: from?.id, chatType: chat.type, allowed }, 'telegram /whoami');
      if (allowed || this.strangerWhoami.admit(`${chat.id}:${from?.id}`, this.o.clock.now()))
        await this.reply(chat.id, { text: whoamiText(chat, from?.id) });
      return;
    }
    if (!this.access.allows(chat, from?.id)) return this.refuse(chat, from?.id, 'message');
    const arrivedAt = this.batches.arrival(ctx.update.update_id, this.o.clock.now()).at;
    if (arrivedAt - message.date * 1000 > this.o.maxCommandAgeMs) {
      this.skipped.set(chat.id, [...(this.skipped.get(chat.id) ?? []), text]);
      this.o.log.info({ chatId: chat.id, userId: from?.id, ageMs: arrivedAt - message.date * 1000 }, 'telegram: skipped an old command');
      return;
    }
    const reply = await this.o.session.handle(String(chat.id), text, from === undefined ? undefined : String(from.id));
    await this.reply(chat.id, reply);
  }

  private async onTap(ctx: Context): Promise<void> {
    const query = ctx.callbackQuery!;
    const message = query.message;
    const data = parseButtonData(query.data ?? '');
    if (message === undefined || data === undefined) return this.answer(ctx, 'This button is no longer valid.');
    const chat = message.chat;
    if (!this.access.allows(chat, query.from.id)) {
      this.o.log.warn(
        { chatId: chat.id, userId: query.from.id, chatType: chat.type, kind: 'button' },
        'telegram: refused someone not on the allowlist',
      );
      return this.answer(ctx, REFUSAL_TEXT);
    }
    const pressed = this.o.session.press(String(chat.id), String(query.from.id), data.id, data.action);
    const preview = 'text' in message && typeof message.text === 'string' ? message.text : undefined;
    switch (pressed.kind) {
      case 'refused':
        return this.answer(ctx, pressed.text);
      case 'cancelled':
        await this.answer(ctx, 'Cancelled.');
        await this.settlePreview(chat.id, message.message_id, preview, `✖ Cancelled; nothing was done for /${pressed.command}.`);
        return;
      case 'confirmed': {
        await this.answer(ctx, `Confirmed; running /${pressed.command}…`);
        const outcome = await pressed.outcome;
        await this.settlePreview(chat.id, message.message_id, preview, `☑️ Confirmed → ${firstLine(outcome.text)}`);
        await this.reply(chat.id, outcome);
      }
    }
  }

  /** Shows what became of a preview on the preview itself; editing without a keyboard removes its buttons. */
  private async settlePreview(chatId: number, messageId: number, preview: string | undefined, outcome: string): Promise<void> {
    const line = outcome.length > OUTCOME_ROOM - 10 ? `${outcome.slice(0, OUTCOME_ROOM - 11)}…` : outcome;
    const body = preview === undefined ? line : `${preview}\n\n${line}`;
    const text = body.length <= TELEGRAM_TEXT_LIMIT ? body : line;
    try {
      await this.bot.api.editMessageText(chatId, messageId, text);
    } catch (error) {
      this.o.log.warn({ chatId, ...sendFailure(error, 0) }, 'telegram: could not update a confirmation preview');
    }
  }

  private async answer(ctx: Context, text: string): Promise<void> {
    try {
      await ctx.answerCallbackQuery({ text: text.slice(0, 200) });
    } catch (error) {
      this.o.log.warn({ ...sendFailure(error, 0) }, 'telegram: could not answer a button tap');
    }
  }

  private async refuse(chat: TextChat, userId: number | undefined, kind: 'message'): Promise<void> {
    // Never the message text: a stranger's words have no business in our logs.
    this.o.log.warn({ chatId: chat.id, userId, chatType: chat.type, kind }, 'telegram: refused someone not on the allowlist');
    if (this.refusals.admit(String(chat.id), this.o.clock.now())) await this.reply(chat.id, { text: REFUSAL_TEXT });
  }

  /** One line per chat for every old command of the batch, so a backlog after downtime reads as one note. */
  private async tellSkipped(): Promise<void> {
    const chats = [...this.skipped];
    this.skipped.clear();
    for (const [chatId, texts] of chats) await this.reply(chatId, { text: skippedText(texts, this.o.maxCommandAgeMs) });
  }

  private async reply(chatId: number, reply: Reply): Promise<void> {
    const result = await this.sendText(chatId, reply.text, { silent: false, keyboard: keyboardOf(reply) });
    if (!result.ok) this.o.log.warn({ chatId, ...result }, 'telegram: a reply was not delivered');
  }

  private async sendText(
    chatId: string | number,
    text: string,
    options: { readonly silent: boolean; readonly keyboard?: InlineKeyboard | undefined },
  ): Promise<TelegramSendResult> {
    const parts = splitText(
      text,
      TELEGRAM_TEXT_LIMIT,
      options.keyboard === undefined ? TELEGRAM_TEXT_LIMIT : TELEGRAM_TEXT_LIMIT - OUTCOME_ROOM,
    );
    const ids: number[] = [];
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      try {
        const sent = await this.bot.api.sendMessage(chatId, part, {
          ...(options.silent ? { disable_notification: true } : {}),
          ...(last && options.keyboard !== undefined ? { reply_markup: { inline_keyboard: options.keyboard } } : {}),
        });
        ids.push(sent.message_id);
      } catch (error) {
        return sendFailure(error, ids.length);
      }
    }
    return { ok: true, messageIds: ids };
  }
}
