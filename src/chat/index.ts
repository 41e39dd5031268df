export type {
  BacktestView,
  ChartWindow,
  DeadmanView,
  FundingView,
  FuturesPnlView,
  FuturesPositionView,
  GridPnlView,
  GridView,
  KillAck,
  KillOrderRef,
  KillReceipt,
  LimitsView,
  OrderView,
  PnlView,
  PositionView,
  StatusView,
  SymbolView,
  TaInterval,
  TradingServices,
} from './services.js';
export { type AnyCommand, defineCommand, type Reply } from './registry.js';
export { type Check, noArgs, positiveDecimal, wholeNumber } from './args.js';
export {
  DEFAULT_FUTURES_LEVERAGE,
  DEFAULT_FUTURES_MARGIN,
  builtinCommands,
  directionMissing,
  gridPreviewText,
  killAckText,
  killReceiptText,
  leverageWord,
} from './commands/index.js';
export { type ChatSession, Dispatcher } from './dispatcher.js';
export { NOTIFIED_EVENTS, type Notifier, type QuoteAssetOf, describeEvent, followEvents, renderEvent } from './notifications.js';
export { formatDuration, formatPct, formatQuote, formatSigned } from './format.js';
export * from './console/index.js';
export * from './telegram/index.js';
export * from './outbox/index.js';
export * from './numbers.js';
