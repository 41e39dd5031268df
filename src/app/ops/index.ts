/**
 * Operations: Prometheus metrics (`/metrics`), the health check (`/health`, 503 when trading would be unsafe) on a
 * loopback port, and the numbers behind the chat's `/limits`. docs/OPERATIONS.md describes the endpoints and alerts.
 */
export { type Ops, createOps } from './open-ops.js';
export type { HealthReport } from './health-report.js';
export type { HealthSources, OpsParts, OutboxStats, TelegramLinkState } from './ops-sources.js';
