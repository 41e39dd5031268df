export { ADMIN_FAULTS_PATH, isLoopbackAddress, withFaultAdmin } from './admin-endpoint.js';
export { type ArmedFault, FaultPlan, type FaultPlanOptions, type FaultStatus, type FiredFault } from './fault-plan.js';
export {
  type FaultKind,
  type FaultSpec,
  type RequestFaultSpec,
  type RequestMatch,
  type SocketFaultSpec,
  type SocketTarget,
  parseFaultSpec,
} from './fault-spec.js';
export type { RestFaultHook, SocketFaultHook, SocketKind } from './hooks.js';
