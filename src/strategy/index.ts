export * from './grid/index.js';
