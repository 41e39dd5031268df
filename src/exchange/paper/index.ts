export { PaperGateway } from './paper-gateway.js';
export { type PaperFuturesGatewayOptions, type PaperMark, PaperFuturesGateway, paperFuturesBrackets } from './paper-futures-gateway.js';
