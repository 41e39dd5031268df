export {
  type NotifyOptions,
  type TelegramLog,
  type TelegramMode,
  type TelegramSession,
  TelegramTransport,
  type TelegramTransportOptions,
  type WebhookMode,
} from './telegram-transport.js';
export { skippedText, whoamiText } from './telegram-texts.js';
export { type TelegramSendResult } from './send-result.js';
export { splitText } from './split-text.js';
export { CALLBACK_DATA_MAX_BYTES, buttonData, parseButtonData } from './callback-data.js';
export { menuCommands, TRANSPORT_COMMANDS } from './bot-commands.js';
export { REFUSAL_INTERVAL_MS, REFUSAL_TEXT } from './access.js';
