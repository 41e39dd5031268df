/** Bot API methods about the bot itself: getMe, getUpdates (long polling), webhooks, commands, callback answers. */
import { bool, int, json, str } from './params.js';
import type { BotCommand, CallContext, Outcome } from './types.js';
import { badRequest } from './types.js';

/**
 * How long a callback query stays answerable. Telegram does not document it; clients give up after about 15 s
 * (unverified), so the fake refuses later answers, measured on the injected clock.
 */
const CALLBACK_QUERY_TTL_MS = 15_000;

const MAX_COMMANDS = 100;
const ok = (result: unknown): Outcome => ({ ok: true, result });

export const getMe = (ctx: CallContext): Outcome => ok({ ...ctx.bot.user });

export function getUpdates(ctx: CallContext): Promise<Outcome> {
  const offset = int(ctx.params, 'offset') ?? 0;
  const limit = Math.min(100, Math.max(1, int(ctx.params, 'limit') ?? 100));
  const timeout = Math.max(0, int(ctx.params, 'timeout') ?? 0);
  return ctx.bot.poll(offset, limit, timeout, json(ctx.params, 'allowed_updates'), ctx.signal);
}

export function setWebhook(ctx: CallContext): Outcome {
  const url = str(ctx.params, 'url') ?? '';
  ctx.bot.webhook = url === '' ? undefined : url; // an empty url is how the Bot API lets you remove it here too
  if (bool(ctx.params, 'drop_pending_updates') === true) ctx.bot.dropPending();
  return ok(true);
}

export function deleteWebhook(ctx: CallContext): Outcome {
  ctx.bot.webhook = undefined;
  if (bool(ctx.params, 'drop_pending_updates') === true) ctx.bot.dropPending();
  return ok(true);
}

export const getWebhookInfo = (ctx: CallContext): Outcome =>
  ok({ url: ctx.bot.webhook ?? '', has_custom_certificate: false, pending_update_count: ctx.bot.pending().length });

export function answerCallbackQuery(ctx: CallContext): Outcome {
  const id = str(ctx.params, 'callback_query_id') ?? '';
  const entry = ctx.bot.queries.get(id);
  if (entry === undefined || entry.answered || ctx.now - entry.at > CALLBACK_QUERY_TTL_MS) {
    return badRequest('query is too old and response timeout expired or query ID is invalid');
  }
  entry.answered = true;
  const text = str(ctx.params, 'text');
  const showAlert = bool(ctx.params, 'show_alert');
  const url = str(ctx.params, 'url');
  const cacheTime = int(ctx.params, 'cache_time');
  ctx.answers.push({
    token: ctx.bot.token,
    callback_query_id: id,
    ...(text === undefined ? {} : { text }),
    ...(showAlert === undefined ? {} : { show_alert: showAlert }),
    ...(url === undefined ? {} : { url }),
    ...(cacheTime === undefined ? {} : { cache_time: cacheTime }),
    query: entry.query,
    time: ctx.now,
  });
  return ok(true);
}

/** Commands are kept per scope and language, as Telegram keeps them. */
export function commandKey(scope: unknown, languageCode: string | undefined): string {
  return `${JSON.stringify(scope ?? { type: 'default' })}|${languageCode ?? ''}`;
}

const keyOf = (ctx: CallContext) => commandKey(json(ctx.params, 'scope'), str(ctx.params, 'language_code'));

function validCommand(value: unknown): value is BotCommand {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BotCommand).command === 'string' &&
    typeof (value as BotCommand).description === 'string'
  );
}

export function setMyCommands(ctx: CallContext): Outcome {
  const commands = json(ctx.params, 'commands');
  if (commands === undefined) return badRequest('parameter "commands" is required');
  if (!Array.isArray(commands)) return badRequest("can't parse commands JSON object");
  if (commands.length > MAX_COMMANDS) return badRequest('BOT_COMMANDS_TOO_MUCH');
  for (const entry of commands) {
    if (!validCommand(entry)) return badRequest("can't parse BotCommand");
    if (!/^[a-z0-9_]{1,32}$/.test(entry.command)) return badRequest('BOT_COMMAND_INVALID');
    if (entry.description.trim().length === 0 || entry.description.length > 256) return badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
  }
  const kept = (commands as BotCommand[]).map((c) => ({ command: c.command, description: c.description }));
  if (kept.length === 0) ctx.bot.commandSets.delete(keyOf(ctx));
  else ctx.bot.commandSets.set(keyOf(ctx), kept);
  return ok(true);
}

export const getMyCommands = (ctx: CallContext): Outcome => ok(structuredClone(ctx.bot.commandSets.get(keyOf(ctx)) ?? []));

export function deleteMyCommands(ctx: CallContext): Outcome {
  ctx.bot.commandSets.delete(keyOf(ctx));
  return ok(true);
}
