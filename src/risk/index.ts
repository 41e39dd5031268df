export * from './approval-ledger.js';
export * from './daily-loss-guard.js';
export * from './fault-halt.js';
export * from './risk-checks.js';
export * from './risk-gate.js';
export * from './risk-limits.js';
export * from './trading-state.js';
export * from './futures-checks.js';
