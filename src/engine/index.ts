export * from './bus.js';
export * from './clock.js';
export * from './ids.js';
export * from './kernel.js';
