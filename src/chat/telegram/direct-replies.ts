import type { QueuedReply, ReplySink, TelegramOut } from './reply-sink.js';
import { photoMessages } from './photo-caption.js';
import type { TelegramSendResult } from './send-result.js';
import { replyParts } from './split-text.js';

/** An urgent part (the kill switch's answer, a confirmation's outcome) is tried this many times before it is given up. */
const URGENT_ATTEMPTS = 3;

interface ReplyLog {
  warn(obj: object, msg: string): void;
}

/**
 * Replies sent straight to Telegram, for a transport without the app's outbox: in order per chat, except an urgent one,
 * which goes at once (and is retried a few times), so the kill switch's answer never waits behind a slow send.
 */
export class DirectReplies implements ReplySink {
  private readonly chains = new Map<number, Promise<void>>();

  constructor(
    private readonly out: TelegramOut,
    private readonly log: ReplyLog,
  ) {}

  reply(chatId: number, reply: QueuedReply): Promise<void> {
    if (reply.urgent) return this.deliver(chatId, reply);
    const next = (this.chains.get(chatId) ?? Promise.resolve()).then(() => this.deliver(chatId, reply));
    this.chains.set(chatId, next);
    void next.then(() => {
      if (this.chains.get(chatId) === next) this.chains.delete(chatId);
    });
    return next;
  }

  async edit(chatId: number, messageId: number, text: string): Promise<void> {
    const result = await this.out.edit(chatId, messageId, text);
    if (!result.ok) this.log.warn({ chatId, ...result }, 'telegram: could not update a confirmation preview');
  }

  async live(chatId: number, text: string): Promise<number | undefined> {
    const result = await this.out.send(chatId, text, { silent: false });
    if (result.ok) return result.messageIds[0];
    this.log.warn({ chatId, ...result }, 'telegram: a progress line was not delivered');
    return undefined;
  }

  async liveEdit(chatId: number, messageId: number, text: string): Promise<void> {
    const result = await this.out.edit(chatId, messageId, text);
    if (!result.ok) this.log.warn({ chatId, ...result }, 'telegram: a progress line could not be updated');
  }

  private async deliver(chatId: number, reply: QueuedReply): Promise<void> {
    const photo = reply.photo === undefined ? undefined : { ...reply.photo, ...photoMessages(reply.text, reply.photo.caption) };
    const parts = replyParts(photo?.lead ?? reply.text, reply.keyboard !== undefined);
    for (const [i, part] of parts.entries()) {
      const keyboard = i === parts.length - 1 ? reply.keyboard : undefined;
      const result = await this.sendPart(
        chatId,
        part,
        keyboard === undefined ? { silent: false } : { silent: false, keyboard },
        reply.urgent,
      );
      if (!result.ok) {
        this.log.warn({ chatId, ...result, delivered: i }, 'telegram: a reply was not delivered');
        return;
      }
    }
    if (photo === undefined) return;
    const result = await this.out.sendPhoto(chatId, photo.png, photo.caption, { silent: false, filename: photo.filename });
    if (!result.ok) this.log.warn({ chatId, ...result, delivered: parts.length }, 'telegram: a picture was not delivered');
  }

  private async sendPart(
    chatId: number,
    text: string,
    options: Parameters<TelegramOut['send']>[2],
    urgent: boolean,
  ): Promise<TelegramSendResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.out.send(chatId, text, options);
      if (result.ok || !urgent || attempt >= URGENT_ATTEMPTS || (result.kind === 'failed' && result.permanent)) return result;
      if (result.kind === 'rate_limited') await new Promise((resolve) => setTimeout(resolve, result.retryAfterMs));
    }
  }
}
