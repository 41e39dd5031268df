export { PaperGateway, type PaperGatewayOptions } from './paper-gateway.js';
