/** The Bot API method names the fake answers, and the handler for each. */
import * as bot from './bot-methods.js';
import * as message from './message-methods.js';
import type { CallContext, Outcome } from './types.js';

interface Route {
  /** The method's canonical spelling (Telegram matches method names case-insensitively). */
  name: string;
  handle: (ctx: CallContext) => Outcome | Promise<Outcome>;
  /** Reads that change nothing are left out of `sent()` (a polling bot would drown it). */
  readOnly?: boolean;
}

const list: Route[] = [
  { name: 'getMe', handle: bot.getMe, readOnly: true },
  { name: 'getUpdates', handle: bot.getUpdates, readOnly: true },
  { name: 'getWebhookInfo', handle: bot.getWebhookInfo, readOnly: true },
  { name: 'getMyCommands', handle: bot.getMyCommands, readOnly: true },
  { name: 'setWebhook', handle: bot.setWebhook },
  { name: 'deleteWebhook', handle: bot.deleteWebhook },
  { name: 'answerCallbackQuery', handle: bot.answerCallbackQuery },
  { name: 'setMyCommands', handle: bot.setMyCommands },
  { name: 'deleteMyCommands', handle: bot.deleteMyCommands },
  { name: 'sendMessage', handle: message.sendMessage },
  { name: 'editMessageText', handle: message.editMessageText },
  { name: 'sendPhoto', handle: message.sendPhoto },
  { name: 'sendChatAction', handle: message.sendChatAction },
];

export const ROUTES = new Map(list.map((route) => [route.name.toLowerCase(), route]));
