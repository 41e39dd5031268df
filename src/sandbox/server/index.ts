export { SandboxHub } from './sandbox-hub.js';
export type { SandboxHubOptions } from './sandbox-hub.js';
export * from './store/index.js';
export { startSandboxServer, type RestResponseRecord, type SandboxServer, type SandboxServerOptions } from './sandbox-server.js';
export type { RestLimits } from './rest/index.js';
export { signPayload } from './signed-request.js';
export { FaultPlan, isLoopbackAddress, parseFaultSpec } from './faults/index.js';
