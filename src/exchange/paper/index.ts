export { PaperGateway } from './paper-gateway.js';
export { PaperFuturesGateway, paperFuturesBrackets } from './paper-futures-gateway.js';
