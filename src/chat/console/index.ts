export { ConsoleTransport } from './console-transport.js';
