export { createRestApi, type RestApiOptions } from './rest-handler.js';
export type { RestLimits } from './rate-limiter.js';
export type { SandboxApiRestrictions } from './api-restrictions.js';
