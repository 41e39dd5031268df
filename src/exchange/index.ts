export * from './gateway.js';
export * from './futures-gateway.js';
