export * from './portfolio.js';
export * from './portfolio-views.js';
export * from './position-accounting.js';
export * from './grid-books.js';
export { FuturesBook } from './futures-book.js';
export type { FuturesBookState, FuturesPositionView } from './futures-views.js';
