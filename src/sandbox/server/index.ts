export { SandboxHub, type SandboxAccount, type SandboxHubOptions, type SandboxHubSnapshot } from './sandbox-hub.js';
export type { TradeHistorySnapshot } from './rest/trade-history.js';
export * from './store/index.js';
export { startSandboxServer, type RestResponseRecord, type SandboxServer, type SandboxServerOptions } from './sandbox-server.js';
export { BINANCE_LIMITS, type RestLimits } from './rest/index.js';
export { signPayload } from './signed-request.js';
export {
  ADMIN_FAULTS_PATH,
  type ArmedFault,
  type FaultKind,
  FaultPlan,
  type FaultPlanOptions,
  type FaultSpec,
  type FaultStatus,
  type FiredFault,
  type RequestFaultSpec,
  type RequestMatch,
  type SocketFaultSpec,
  type SocketTarget,
  isLoopbackAddress,
  parseFaultSpec,
} from './faults/index.js';
