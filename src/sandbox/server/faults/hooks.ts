import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';

/**
 * What the REST listener asks before answering a request. `proceed(into)` runs the normal request path, answering
 * into `into` (the real response, or a discarded one when the fault answers itself after doing the work).
 */
export interface RestFaultHook {
  /** True when a fault took the request over (it answers, or not, on its own); false to carry on normally. */
  intercept(req: IncomingMessage, res: ServerResponse, proceed: (into: ServerResponse) => void): boolean;
}

/** A WebSocket connection's family: market streams (spot's and USD-M's) or user data streams (/ws-api/v3, USD-M's listenKey). */
export type SocketKind = 'market' | 'user';

/** What the WebSocket layer tells the fault plan, and asks it before delivering a user data event. */
export interface SocketFaultHook {
  /** Each served connection, so drop and freeze faults can reach it. */
  trackSocket(socket: WebSocket, kind: SocketKind): void;
  /** True while user data events must be held (then handed to `holdUserEvent` instead of sent). */
  userStreamPaused(): boolean;
  /** Keeps one event's delivery until the pause ends; held deliveries run in the order they were held. */
  holdUserEvent(deliver: () => void): void;
}
