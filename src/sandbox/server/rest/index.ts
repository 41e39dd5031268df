export { createRestApi, type RestApi, type RestApiOptions } from './rest-handler.js';
export { BINANCE_LIMITS, type RestLimits } from './rate-limiter.js';
export { DEFAULT_API_RESTRICTIONS, type SandboxApiRestrictions } from './api-restrictions.js';
