/**
 * Operations: Prometheus metrics (`/metrics`), the health check (`/health`, 503 when trading would be unsafe) on a
 * loopback port, and the numbers behind the chat's `/limits`. docs/OPERATIONS.md describes the endpoints and alerts.
 */
export { type Ops, createOps } from './open-ops.js';
// For the front end's wiring (`ops.watch`): the outbox's numbers in the shape health and /limits read.
export { outboxFigures } from './ops-sources.js';
