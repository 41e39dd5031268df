export { ConsoleTransport } from './console-transport.js';
export { savePicture } from './picture-file.js';
