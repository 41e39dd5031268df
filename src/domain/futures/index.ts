export * from './brackets.js';
export * from './position.js';
export * from './margin.js';
export * from './liquidation.js';
