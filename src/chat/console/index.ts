export {
  CONSOLE_CHAT_ID,
  type ConsoleCloseReason,
  ConsoleTransport,
  type ConsoleTransportOptions,
  consoleText,
} from './console-transport.js';
