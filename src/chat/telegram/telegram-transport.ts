import type { Server } from 'node:http';
import { createConcurrentSink, createRunner, createSource, type RunnerHandle, sequentialize } from '@grammyjs/runner';
import { Bot, type Context, InputFile, type NextFunction } from 'grammy';
import type { Update } from 'grammy/types';
import { formatDuration } from '../format.js';
import type { LookAction, Reply, ReplyFollowUp } from '../registry.js';
import { Access, REFUSAL_TEXT, RefusalBudget, RefusalGate } from './access.js';
import { Arrivals, type Batch } from './arrivals.js';
import { menuCommands } from './bot-commands.js';
import { parseButtonData } from './callback-data.js';
import { DirectReplies } from './direct-replies.js';
import { cleanText } from './message-head.js';
import { type LinkState, Poller } from './poller.js';
import type { ReplySink, TelegramOut } from './reply-sink.js';
import { requestTimeouts } from './request-timeouts.js';
import { type TelegramSendResult, sendFailure } from './send-result.js';
import { OUTCOME_ROOM, splitText, TELEGRAM_TEXT_LIMIT } from './split-text.js';
import { type InlineKeyboard, firstLine, keyboardOf, skippedText, whoamiText } from './telegram-texts.js';
import { judgeText } from './text-verdict.js';
import type { NotifyOptions, Refusal, TelegramTransportOptions } from './transport-options.js';
import { listenForWebhook } from './webhook-server.js';

const WHOAMI_INTERVAL_MS = 60_000;
const DEFAULT_REQUEST_TIMEOUT_SECONDS = 10;
const DEFAULT_DEAF_HALT_SECONDS = 120;
const DEFAULT_RETRY_DELAY_MS = { first: 1_000, max: 30_000 };
/** Updates handled at once; strangers' are done at once, so this bounds only the owners' commands in flight. */
const CONCURRENT_UPDATES = 1_000;

type TextChat = { readonly id: number; readonly type: string; readonly title?: string };

/** What the gate decided for an update it lets through: its lane (none: the kill switch's, which never waits). */
interface Work {
  readonly lane: string | undefined;
  readonly text: string;
  /** Its replies jump the chat's queue: the kill switch, a confirm or cancel. */
  readonly urgent: boolean;
}

/**
 * Telegram as a transport over the chat session. Updates are handled concurrently across chats and in order within a
 * chat (@grammyjs/runner), except the kill switch, which never waits behind another command. Strangers are turned away
 * before any queue. Replies go as plain text (no parse_mode): every reply is already plain text, much of it echoes
 * what the owner typed or quotes Binance's messages, and plain text needs no escaping, so no reply can fail with
 * "can't parse entities" and a split can never cut an escape or a tag apart.
 */
export class TelegramTransport implements TelegramOut {
  readonly bot: Bot;
  private readonly o: TelegramTransportOptions;
  private readonly access: Access;
  private readonly replies: ReplySink;
  private readonly refusals = new RefusalGate();
  private readonly refusalBudget = new RefusalBudget();
  /** Strangers may ask /whoami, but not make the bot talk as fast as they type. */
  private readonly strangerWhoami = new RefusalGate(WHOAMI_INTERVAL_MS);
  private readonly arrivals = new Arrivals();
  private readonly work = new WeakMap<Context, Work>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly poller: Poller;
  private runner: RunnerHandle | undefined;
  private server: Server | undefined;

  constructor(options: TelegramTransportOptions) {
    this.o = options;
    this.access = new Access(options.allowedChatIds, options.allowedUserIds);
    const requestSeconds = options.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS;
    const pollSeconds = options.pollTimeoutSeconds ?? 30;
    // grammY's own deadline stays behind ours, so its 500 s default never applies.
    const client = {
      timeoutSeconds: pollSeconds + requestSeconds + 5,
      ...(options.apiRoot === undefined ? {} : { apiRoot: options.apiRoot }),
    };
    this.bot = new Bot(options.token, { client });
    this.bot.api.config.use(requestTimeouts(requestSeconds));
    this.replies = options.replies ?? new DirectReplies(this, options.log);
    this.poller = new Poller({
      getUpdates: (args, signal) => this.bot.api.getUpdates(args, signal),
      pollTimeoutSeconds: pollSeconds,
      clock: options.clock,
      log: options.log,
      deafAfterMs: (options.deafHaltSeconds ?? DEFAULT_DEAF_HALT_SECONDS) * 1000,
      retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
      conflictQuietMs: 2 * pollSeconds * 1000,
      onFatal: (reason) => options.onFatal?.(reason),
      onDeaf: (since) => options.onDeaf?.(since),
      onHearing: () => options.onHearing?.(),
      onConflictCleared: (since) => this.tellConflictCleared(since),
      onBatch: (updates, now) => this.arrivals.note(updates, now),
    });
    this.bot.use((ctx, next) => this.gate(ctx, next));
    this.bot.use(sequentialize((ctx: Context) => this.work.get(ctx)?.lane));
    this.bot.on('message:text', (ctx) => this.onText(ctx));
    this.bot.on('callback_query:data', (ctx) => this.onTap(ctx));
    this.bot.catch((error) => this.updateFailed(error.error, error.ctx.update.update_id));
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
    if (mode === 'polling') return this.startPolling();
    const { url, ...listen } = mode.webhook;
    const server = await listenForWebhook(this.bot, listen, (error) => this.o.log.warn({ err: error }, 'telegram webhook update failed'));
    this.server = server;
    if (url !== undefined)
      await this.bot.api.setWebhook(url, { secret_token: listen.secretToken, allowed_updates: ['message', 'callback_query'] });
    this.o.log.info({ bot: this.bot.botInfo.username, port: listen.port, path: listen.path }, 'telegram webhook listening');
  }

  /** Stops polling, waits for the updates in hand and confirms them to Telegram; or closes the webhook server. */
  async stop(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    if (runner !== undefined) {
      this.poller.stop();
      await runner.stop();
      await Promise.allSettled([...this.inFlight]);
      const offset = this.poller.confirmingOffset();
      if (offset > 0 && this.poller.state().polling !== 'fatal') {
        try {
          await this.bot.api.getUpdates({ offset, limit: 1 });
        } catch (error) {
          this.o.log.warn({ ...sendFailure(error, 0) }, 'telegram: could not confirm the last updates; they may come again');
        }
      }
    }
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** How the link to Telegram stands, for /health. */
  linkState(): LinkState {
    if (this.o.mode !== undefined && this.o.mode !== 'polling')
      return { mode: 'webhook', polling: 'ok', lastPollOkAt: undefined, lastError: undefined, deaf: false };
    return this.poller.state();
  }

  /** The port the webhook server listens on (useful when `port` was 0). */
  webhookPort(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  /** Sends a message nobody asked for (a fill, a halt), split when long. No retry here: the caller's outbox decides. */
  notify(chatId: string | number, text: string, options: NotifyOptions = {}): Promise<TelegramSendResult> {
    return this.sendText(Number(chatId), text, options.silent === true);
  }

  /** One message of at most 4,096 characters, never split (the outbox's port). */
  async send(
    chatId: number,
    text: string,
    options: { readonly silent: boolean; readonly keyboard?: InlineKeyboard },
  ): Promise<TelegramSendResult> {
    try {
      const sent = await this.bot.api.sendMessage(chatId, text, {
        ...(options.silent ? { disable_notification: true } : {}),
        ...(options.keyboard === undefined ? {} : { reply_markup: { inline_keyboard: options.keyboard } }),
      });
      return { ok: true, messageIds: [sent.message_id] };
    } catch (error) {
      return sendFailure(error, 0);
    }
  }

  /** Replaces a message's text; without a keyboard its buttons go (the outbox's port). */
  async edit(chatId: number, messageId: number, text: string): Promise<TelegramSendResult> {
    try {
      await this.bot.api.editMessageText(chatId, messageId, text);
      return { ok: true, messageIds: [messageId] };
    } catch (error) {
      return sendFailure(error, 0);
    }
  }

  /**
   * One picture, uploaded as multipart/form-data (the outbox's port); failures read as sendMessage's do (429 waits,
   * 400/403 refusals for good).
   */
  async sendPhoto(
    chatId: number,
    png: Uint8Array,
    caption: string,
    options: { readonly silent: boolean; readonly filename: string },
  ): Promise<TelegramSendResult> {
    try {
      const file = new InputFile(Buffer.from(png.buffer, png.byteOffset, png.byteLength), options.filename);
      const sent = await this.bot.api.sendPhoto(chatId, file, {
        ...(caption.trim() === '' ? {} : { caption }),
        ...(options.silent ? { disable_notification: true } : {}),
      });
      return { ok: true, messageIds: [sent.message_id] };
    } catch (error) {
      return sendFailure(error, 0);
    }
  }

  private async startPolling(): Promise<void> {
    // A webhook left set would make every poll a 409.
    await this.bot.api.deleteWebhook();
    const sink = createConcurrentSink<Update>(
      {
        consume: (update) =>
          this.track(this.bot.handleUpdate(update).catch((error: unknown) => this.updateFailed(error, update.update_id))),
      },
      async (error) => this.updateFailed(error, undefined),
      { concurrency: CONCURRENT_UPDATES },
    );
    const runner = createRunner(createSource(this.poller), sink);
    this.runner = runner;
    this.poller.start();
    runner.start();
    void runner.task()?.catch((error: unknown) => this.poller.ended(error));
    this.o.log.info({ bot: this.bot.botInfo.username }, 'telegram polling');
  }

  private track(task: Promise<void>): Promise<void> {
    this.inFlight.add(task);
    return task.finally(() => this.inFlight.delete(task));
  }

  private updateFailed(error: unknown, updateId: number | undefined): void {
    const err = error instanceof Error && 'error' in error ? (error as { error: unknown }).error : error;
    this.o.log.warn({ err, updateId }, 'telegram update failed');
  }

  /**
   * Looks at every update as it arrives, before any queue: drops what is not for the bot, turns strangers away,
   * skips old commands, and gives the rest a lane (the chat's, or none for the kill switch). Runs without awaiting
   * anything before `next`, so updates reach the lanes in the order they came.
   */
  private gate(ctx: Context, next: NextFunction): Promise<void> | undefined {
    const batch = this.arrivals.take(ctx.update.update_id, this.o.clock.now());
    let work: Work | undefined;
    try {
      if (ctx.message?.text !== undefined) work = this.examineText(ctx, batch);
      else if (ctx.callbackQuery?.data !== undefined) work = this.examineTap(ctx);
    } finally {
      const skipped = batch.examined();
      if (skipped !== undefined)
        for (const [chatId, texts] of skipped) void this.say(chatId, { text: skippedText(texts, this.o.maxCommandAgeMs) });
    }
    if (work === undefined) return undefined;
    this.work.set(ctx, work);
    return next();
  }

  private examineText(ctx: Context, batch: Batch): Work | undefined {
    const message = ctx.message!;
    const { chat, from } = message;
    const text = cleanText(message.text!);
    const allowed = this.access.allows(chat, from?.id);
    const verdict = judgeText({
      text,
      chatType: chat.type,
      allowed,
      pending: () => this.o.session.pendingCommand(String(chat.id), from === undefined ? {} : { userId: String(from.id) }),
      botUsername: this.bot.botInfo.username,
      ageMs: batch.at - message.date * 1000,
      maxAgeMs: this.o.maxCommandAgeMs,
    });
    switch (verdict.kind) {
      case 'ignore':
        return undefined;
      case 'whoami':
        return this.whoami(chat, from?.id, allowed);
      case 'refuse':
        return this.refuse(chat, from?.id);
      case 'skip':
        batch.skip(chat.id, text);
        this.o.log.info({ chatId: chat.id, userId: from?.id, ageMs: verdict.ageMs }, 'telegram: skipped an old command');
        return undefined;
      case 'run':
        return { lane: verdict.kill ? undefined : String(chat.id), text, urgent: verdict.urgent };
    }
  }

  private examineTap(ctx: Context): Work | undefined {
    const query = ctx.callbackQuery!;
    const data = parseButtonData(query.data ?? '');
    if (query.message === undefined || data === undefined) {
      void this.answer(ctx, 'This button is no longer valid.');
      return undefined;
    }
    const chat = query.message.chat;
    if (!this.access.allows(chat, query.from.id)) {
      this.noteRefusal({ chatId: chat.id, userId: query.from.id, chatType: chat.type, kind: 'button' });
      if (this.refusalBudget.admit(this.o.clock.now())) void this.answer(ctx, REFUSAL_TEXT);
      return undefined;
    }
    const pending =
      data.action === 'confirm'
        ? this.o.session.pendingCommand(String(chat.id), { userId: String(query.from.id), id: data.id })
        : undefined;
    return { lane: pending === 'kill' ? undefined : String(chat.id), text: '', urgent: true };
  }

  private async onText(ctx: Context): Promise<void> {
    const work = this.work.get(ctx);
    const message = ctx.message!;
    if (work === undefined) return;
    const from = message.from === undefined ? undefined : String(message.from.id);
    const reply = await this.o.session.handle(String(message.chat.id), work.text, from);
    if (reply.followUp !== undefined) {
      // Not awaited: the chat's lane is free for its next command while the work goes on.
      void this.follow(message.chat.id, reply.text, reply.followUp);
      return;
    }
    await this.say(message.chat.id, reply, work.urgent);
  }

  /**
   * A reply whose work goes on (a backtest): its text is sent as a line that the newest progress line then replaces in
   * place, and the final answer follows as a reply of its own. One edit at a time, the lines that came meanwhile
   * skipped to the newest: progress never takes more of the chat's pace than one message in turn with the rest.
   */
  private async follow(chatId: number, first: string, followUp: ReplyFollowUp): Promise<void> {
    const messageId = await this.replies.live(chatId, cleanText(first));
    let newest: string | undefined;
    let editing: Promise<void> | undefined;
    const edit = async (id: number): Promise<void> => {
      for (let line = newest; line !== undefined; line = newest) {
        newest = undefined;
        await this.replies.liveEdit(chatId, id, cleanText(line));
      }
      editing = undefined;
    };
    if (messageId !== undefined)
      followUp.onProgress((line) => {
        newest = line;
        editing ??= edit(messageId);
      });
    const final = await followUp.done;
    if (final !== undefined) await this.say(chatId, final);
  }

  private async onTap(ctx: Context): Promise<void> {
    const query = ctx.callbackQuery!;
    const message = query.message!;
    const data = parseButtonData(query.data ?? '')!;
    const chat = message.chat;
    if (data.action === 'try' || data.action === 'chart') return this.tryOut(ctx, chat.id, String(query.from.id), data.id, data.action);
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
        await this.say(chat.id, outcome, true);
      }
    }
  }

  /** A preview's "Try it on history" or "Chart": the backtest or picture answers in the chat; the preview stays as it is. */
  private async tryOut(ctx: Context, chatId: number, userId: string, confirmationId: string, look: LookAction): Promise<void> {
    await this.answer(ctx, look === 'chart' ? 'Drawing it…' : 'Trying it on history…');
    const reply = await this.o.session.tryOut(String(chatId), userId, confirmationId, look);
    if (reply.followUp !== undefined) void this.follow(chatId, reply.text, reply.followUp);
    else await this.say(chatId, reply);
  }

  /** Shows what became of a preview on the preview itself; editing without a keyboard removes its buttons. */
  private async settlePreview(chatId: number, messageId: number, preview: string | undefined, outcome: string): Promise<void> {
    const clean = cleanText(outcome);
    const line = clean.length > OUTCOME_ROOM - 10 ? `${clean.slice(0, OUTCOME_ROOM - 11)}…` : clean;
    const body = preview === undefined ? line : `${preview}\n\n${line}`;
    try {
      await this.replies.edit(chatId, messageId, body.length <= TELEGRAM_TEXT_LIMIT ? body : line);
    } catch (error) {
      this.o.log.warn({ chatId, err: error }, 'telegram: could not queue a confirmation preview update');
    }
  }

  private async answer(ctx: Context, text: string): Promise<void> {
    try {
      await ctx.answerCallbackQuery({ text: text.slice(0, 200) });
    } catch (error) {
      this.o.log.warn({ ...sendFailure(error, 0) }, 'telegram: could not answer a button tap');
    }
  }

  private whoami(chat: TextChat, userId: number | undefined, allowed: boolean): undefined {
    this.o.log.info({ chatId: chat.id, userId, chatType: chat.type, allowed }, 'telegram /whoami');
    const now = this.o.clock.now();
    if (allowed || (this.strangerWhoami.admit(`${chat.id}:${userId}`, now) && this.refusalBudget.admit(now)))
      void this.say(chat.id, { text: whoamiText(chat, userId) });
    return undefined;
  }

  /** Turns a stranger away without queueing anything: at most one answer per chat per interval, and a few a minute in all. */
  private refuse(chat: TextChat, userId: number | undefined): undefined {
    this.noteRefusal({ chatId: chat.id, userId, chatType: chat.type, kind: 'message' });
    const now = this.o.clock.now();
    if (this.refusals.admit(String(chat.id), now) && this.refusalBudget.admit(now)) void this.say(chat.id, { text: REFUSAL_TEXT });
    return undefined;
  }

  private noteRefusal(refusal: Refusal): void {
    // Never the message text: a stranger's words have no business in our logs.
    this.o.log.warn({ ...refusal }, 'telegram: refused someone not on the allowlist');
    this.o.onRefused?.(refusal);
  }

  private tellConflictCleared(sinceMs: number): void {
    const lasted = formatDuration(this.o.clock.now() - sinceMs);
    const text =
      `✅ I read commands again. For ${lasted} another program was polling this bot's token (Telegram's 409 Conflict), ` +
      'so commands sent meanwhile may have gone to it. Make sure only one copy of the bot runs.';
    for (const chatId of this.o.allowedChatIds) void this.say(Number(chatId), { text });
  }

  /** Puts a reply into the sink; the returned promise never rejects (a sink that fails is logged). */
  private say(chatId: number, reply: Reply, urgent = false): Promise<void> {
    const keyboard = keyboardOf(reply);
    const queued = {
      text: cleanText(reply.text),
      urgent: urgent || reply.urgent === true,
      ...(keyboard === undefined ? {} : { keyboard }),
      ...(reply.photo === undefined ? {} : { photo: { ...reply.photo, caption: cleanText(reply.photo.caption) } }),
    };
    return this.replies
      .reply(chatId, queued)
      .catch((error: unknown) => this.o.log.warn({ chatId, err: error }, 'telegram: a reply could not be queued'));
  }

  private async sendText(chatId: number, text: string, silent: boolean): Promise<TelegramSendResult> {
    const ids: number[] = [];
    for (const part of splitText(text)) {
      const result = await this.send(chatId, part, { silent });
      if (!result.ok) return { ...result, delivered: ids.length };
      ids.push(...result.messageIds);
    }
    return { ok: true, messageIds: ids };
  }
}
