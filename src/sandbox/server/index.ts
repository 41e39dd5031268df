export { SandboxHub, type SandboxAccount, type SandboxHubOptions } from './sandbox-hub.js';
export { startSandboxServer, type SandboxServer, type SandboxServerOptions } from './sandbox-server.js';
export { BINANCE_LIMITS, type RestLimits, signPayload } from './rest/index.js';
