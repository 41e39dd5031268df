export { isLoopbackAddress, withFaultAdmin } from './admin-endpoint.js';
export { FaultPlan } from './fault-plan.js';
export { parseFaultSpec } from './fault-spec.js';
export type { RestFaultHook, SocketFaultHook } from './hooks.js';
