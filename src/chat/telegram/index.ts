export { TelegramTransport } from './telegram-transport.js';
export type { Refusal, TelegramTransportOptions } from './transport-options.js';
export { skippedText } from './telegram-texts.js';
export { splitText } from './split-text.js';
export { CALLBACK_DATA_MAX_BYTES, buttonData, parseButtonData } from './callback-data.js';
export { menuCommands } from './bot-commands.js';
export { REFUSAL_TEXT } from './access.js';
export type { QueuedReply, ReplySink, TelegramOut } from './reply-sink.js';
export type { InlineKeyboard } from './telegram-texts.js';
