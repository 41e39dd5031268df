export * from './direct-executor.js';
export * from './executor.js';
export * from './intent-messages.js';
export * from './order-tracker.js';
export * from './pipeline/index.js';
export * from './reconciler.js';
export * from './venue-reports.js';
