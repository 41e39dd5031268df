export * from './matching/index.js';
export * from './tape/index.js';
export * from './server/index.js';
