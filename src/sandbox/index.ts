export * from './matching/index.js';
export * from './tape/index.js';
