import type { Server } from 'node:http';
import type { SandboxHub } from '../sandbox-hub.js';

/** Market streams (/ws, /stream) and the WebSocket API (/ws-api/v3) on the sandbox's HTTP server. */
export interface WebSocketEndpoints {
  close(): Promise<void>;
}

export function attachWebSockets(_server: Server, _hub: SandboxHub): WebSocketEndpoints {
  // Filled in by the streams work; until then the sandbox serves REST only.
  return { close: async () => undefined };
}
