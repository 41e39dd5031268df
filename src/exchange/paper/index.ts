export { PaperGateway } from './paper-gateway.js';
