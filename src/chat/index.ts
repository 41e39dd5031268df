export type { KillReceipt, OrderView, PnlView, PositionView, StatusView, TradingServices } from './services.js';
export {
  type AnyCommand,
  type Command,
  type CommandContext,
  CommandRegistry,
  CONFIRM_BUTTONS,
  type Confirmation,
  defineCommand,
  type Parsed,
  type Reply,
  type ReplyButton,
  usageReply,
} from './registry.js';
export {
  type Check,
  type RawArgs,
  type Syntax,
  bindArgs,
  knownSymbol,
  noArgs,
  optional,
  positiveDecimal,
  required,
  tokenize,
  wholeNumber,
} from './args.js';
export {
  type Asker,
  CANCEL_WORDS,
  CONFIRM_WORDS,
  Confirmations,
  DEFAULT_CONFIRM_TTL_MS,
  randomConfirmationId,
  type Taken,
} from './confirmations.js';
export { builtinCommands, gridPreviewText, gridSummaryText, killReceiptText } from './commands/index.js';
export { type ChatSession, Dispatcher, type DispatcherOptions, type Pressed } from './dispatcher.js';
export {
  type Described,
  NOTIFIED_EVENTS,
  type Notifier,
  type QuoteAssetOf,
  describeEvent,
  followEvents,
  renderEvent,
} from './notifications.js';
export { formatDuration, formatPct, formatQty, formatQuote, formatSigned } from './format.js';
export * from './console/index.js';
export * from './telegram/index.js';
export * from './outbox/index.js';
