import type { BotState } from './state.js';

/** The slices of the Bot API's types the fake produces (shapes as in @grammyjs/types 5.0). */

export interface User {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
}

export interface BotUser extends User {
  is_bot: true;
  username: string;
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
  can_connect_to_business: boolean;
  has_main_web_app: boolean;
}

export type ChatType = 'private' | 'group' | 'supergroup';

export interface Chat {
  id: number;
  type: ChatType;
  title?: string;
  first_name?: string;
  username?: string;
}

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
}

export interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size?: number;
}

export interface Message {
  message_id: number;
  from: User;
  chat: Chat;
  date: number;
  edit_date?: number;
  text?: string;
  entities?: MessageEntity[];
  photo?: PhotoSize[];
  caption?: string;
  reply_markup?: unknown;
}

export interface CallbackQuery {
  id: string;
  from: User;
  message: Message;
  chat_instance: string;
  data: string;
}

export interface Update {
  update_id: number;
  message?: Message;
  edited_message?: Message;
  callback_query?: CallbackQuery;
}

export interface BotCommand {
  command: string;
  description: string;
}

/** A request's parameters, merged from the query string and the body (JSON, form or multipart). */
export type Params = Record<string, unknown>;

/** A multipart file part: its name, type, size and a copy of its bytes (tests read an upload back through `photos`). */
export interface UploadedFile {
  filename: string;
  contentType: string;
  size: number;
  bytes: Uint8Array;
}

/** A picture the bot sent, as a test reads it back: its caption and the exact bytes uploaded (none for a file_id). */
export interface SentPhoto {
  message_id: number;
  caption: string;
  bytes?: Uint8Array;
}

export type Outcome = { ok: true; result: unknown } | ApiError;

export interface ApiError {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after: number };
}

export function fail(code: number, description: string): ApiError {
  return { ok: false, error_code: code, description };
}

export const badRequest = (what: string): ApiError => fail(400, `Bad Request: ${what}`);

export function tooManyRequests(retryAfter: number): ApiError {
  return {
    ok: false,
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  };
}

/** A successful bot call, in the order the fake answered it. */
export interface SentCall {
  token: string;
  method: string;
  params: Params;
  chatId?: number;
  time: number;
}

/** Every request that reached a /bot<token>/<method> route (or any other path), answered or refused. */
export interface RequestRecord {
  token: string;
  method: string;
  params: Params;
  chatId?: number;
  status: number;
  description?: string;
  time: number;
}

export interface Penalty {
  token: string;
  /** The chat the 429 was about; when the refused request named none, the penalty is on `method` instead. */
  chatId?: number;
  method: string;
  retryAfter: number;
  from: number;
  until: number;
}

export interface Violation {
  request: RequestRecord;
  penalty: Penalty;
}

export interface CallbackAnswer {
  token: string;
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  query: CallbackQuery;
  time: number;
}

/** What a method handler sees of one request. */
export interface CallContext {
  bot: BotState;
  params: Params;
  /** The injected clock, in milliseconds. */
  now: number;
  /** Aborted when the client goes away (a long poll then stops waiting). */
  signal: AbortSignal;
  answers: CallbackAnswer[];
}
