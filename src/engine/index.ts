export * from './bus.js';
export * from './bus-host.js';
export * from './clock.js';
export * from './component-state.js';
export * from './ids.js';
export * from './settles-within.js';
export * from './later-port.js';
export * from './trading-first.js';
