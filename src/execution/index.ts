export * from './direct-executor.js';
export * from './order-tracker.js';
export * from './reconciler.js';
