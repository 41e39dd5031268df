export * from './grid-types.js';
