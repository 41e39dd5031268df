/** One zod schema per kind of document the bot keeps under `<prefix>:state:*`, each bound to its snapshot type. */
export { gridSnapshot } from './grid.js';
export { futuresBookState, idCounters, portfolioState, tradingStateSnapshot } from './documents.js';
export { trackedOrderSnapshot } from './order.js';
