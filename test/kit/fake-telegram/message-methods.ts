/** Bot API methods that send or edit messages: sendMessage, editMessageText, sendPhoto, sendChatAction. */
import { int, json, str } from './params.js';
import type { ApiError, CallContext, Chat, Message, Outcome, Params, PhotoSize, UploadedFile } from './types.js';
import { badRequest } from './types.js';

const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

const ok = (result: unknown): Outcome => ({ ok: true, result });
const seconds = (ms: number) => Math.floor(ms / 1000);

function chatOf(ctx: CallContext): Chat | ApiError {
  if (ctx.params.chat_id === undefined || ctx.params.chat_id === '') return badRequest('chat_id is empty');
  const id = int(ctx.params, 'chat_id');
  const chat = id === undefined ? undefined : ctx.bot.chats.get(id);
  return chat ?? badRequest('chat not found');
}

const isError = (value: object): value is ApiError => 'ok' in value && value.ok === false;

/** Telegram keeps only an inline keyboard on the message itself; reply keyboards live on the client. */
function inlineMarkup(params: Params): unknown {
  const markup = json(params, 'reply_markup');
  return typeof markup === 'object' && markup !== null && 'inline_keyboard' in markup ? markup : undefined;
}

function textProblem(text: string | undefined): ApiError | undefined {
  if (text === undefined || text.trim() === '') return badRequest('message text is empty');
  if (text.length > MAX_TEXT) return badRequest('message is too long');
  return undefined;
}

export function sendMessage(ctx: CallContext): Outcome {
  const chat = chatOf(ctx);
  if (isError(chat)) return chat;
  const text = str(ctx.params, 'text');
  const problem = textProblem(text);
  if (problem !== undefined) return problem;
  const markup = inlineMarkup(ctx.params);
  const message = ctx.bot.post(chat, {
    from: ctx.bot.from,
    date: seconds(ctx.now),
    text: text!,
    ...(markup === undefined ? {} : { reply_markup: markup }),
  });
  return ok(structuredClone(message));
}

export function editMessageText(ctx: CallContext): Outcome {
  if (ctx.params.inline_message_id !== undefined) return badRequest('message to edit not found');
  const chat = chatOf(ctx);
  if (isError(chat)) return chat;
  const messageId = int(ctx.params, 'message_id');
  const message = messageId === undefined ? undefined : ctx.bot.message(chat.id, messageId);
  if (message === undefined) return badRequest('message to edit not found');
  if (message.from.id !== ctx.bot.user.id) return badRequest("message can't be edited");
  const text = str(ctx.params, 'text');
  const problem = textProblem(text);
  if (problem !== undefined) return problem;
  const markup = inlineMarkup(ctx.params);
  if (message.text === text && JSON.stringify(message.reply_markup) === JSON.stringify(markup)) {
    return badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same ' +
        'as a current content and reply markup of the message',
    );
  }
  message.text = text!;
  message.edit_date = seconds(ctx.now);
  if (markup === undefined) delete message.reply_markup;
  else message.reply_markup = markup;
  return ok(structuredClone(message));
}

/** A PNG's width and height from its IHDR chunk (bytes 16–23), when the upload is one; Telegram reads any image. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Telegram's sizes of an uploaded photo: a thumbnail within 90 px and the picture within 1280 px, in that order. */
function photoSizes(fileId: string, file: UploadedFile | undefined): PhotoSize[] {
  const { width, height } = (file === undefined ? undefined : pngSize(file.bytes)) ?? { width: 320, height: 240 };
  const within = (side: number) => Math.min(1, side / Math.max(width, height));
  return [90, 1280].map((side, i) => ({
    file_id: `${fileId}-${i}`,
    file_unique_id: `${fileId}-${i}`.slice(-16),
    width: Math.max(1, Math.round(width * within(side))),
    height: Math.max(1, Math.round(height * within(side))),
    ...(file === undefined || i === 0 ? {} : { file_size: file.size }),
  }));
}

/**
 * sendPhoto as Telegram takes it: a file part uploaded as multipart/form-data (or a file_id string), an optional caption
 * of at most 1,024 characters. The upload's bytes are kept for `photos()`.
 */
export function sendPhoto(ctx: CallContext): Outcome {
  const chat = chatOf(ctx);
  if (isError(chat)) return chat;
  const photo = ctx.params.photo;
  if (photo === undefined || photo === '') return badRequest('there is no photo in the request');
  const caption = str(ctx.params, 'caption');
  if (caption !== undefined && caption.length > MAX_CAPTION) return badRequest('message caption is too long');
  const file = typeof photo === 'object' && photo !== null ? (photo as UploadedFile) : undefined;
  const fileId = typeof photo === 'string' ? photo : `photo-${ctx.bot.user.id}-${ctx.now}`;
  const markup = inlineMarkup(ctx.params);
  const message: Message = ctx.bot.post(chat, {
    from: ctx.bot.from,
    date: seconds(ctx.now),
    photo: photoSizes(fileId, file),
    ...(caption === undefined || caption === '' ? {} : { caption }),
    ...(markup === undefined ? {} : { reply_markup: markup }),
  });
  if (file !== undefined) ctx.bot.uploads.set(`${chat.id}:${message.message_id}`, file.bytes);
  return ok(structuredClone(message));
}

export function sendChatAction(ctx: CallContext): Outcome {
  const chat = chatOf(ctx);
  if (isError(chat)) return chat;
  if (str(ctx.params, 'action') === undefined) return badRequest('wrong parameter action in request');
  return ok(true);
}
