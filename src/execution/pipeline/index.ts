export * from './order-jobs.js';
export * from './order-processor.js';
export * from './order-workers.js';
export * from './pipeline-time.js';
export * from './queue-executor.js';
export * from './rate-governor.js';
export * from './shared-trading-state.js';
export * from './requeue.js';
