export * from './bot-state-store.js';
