import type { LimitsView } from '../../chat/index.js';
import type { Logger } from '../logger.js';
import { type HealthReport, healthReport } from './health-report.js';
import { limitsReport } from './limits-report.js';
import { OpsMetrics } from './ops-metrics.js';
import { type OpsServer, startOpsServer } from './ops-server.js';
import type { HealthSources, OpsParts } from './ops-sources.js';
import { OrderQueues } from './order-queues.js';

/** The bot's operations face: metrics, health and `/limits`, and the loopback server for the first two. */
export interface Ops {
  /** `/limits` in the chat. */
  limits(): Promise<LimitsView>;
  health(): Promise<HealthReport>;
  /** The front end's parts once it is open (the outbox's numbers, the Telegram link's state); later calls add to them. */
  watch(sources: HealthSources): void;
  /** Serves `/metrics` and `/health` on `host:port` (port 0: not at all); a port taken is logged, never fatal. */
  listen(host: string, port: number): Promise<void>;
  /** The server's address once it listens. */
  url(): string | undefined;
  close(): Promise<void>;
}

/**
 * Builds the operations face over the running bot's parts. The bus counters join the host at once (so the fills a
 * restart books are counted); the server starts when `listen` is called, once the bot is up.
 */
export function createOps(parts: OpsParts, log: Logger): Ops {
  const queues = new OrderQueues(parts.redis, parts.prefix);
  let sources: HealthSources = {};
  const metrics = new OpsMetrics(parts, queues, () => sources);
  parts.host.add(metrics.counters);
  let server: OpsServer | undefined;
  return {
    limits: () => limitsReport(parts, queues, sources),
    health: () => healthReport(parts, queues, sources),
    watch: (more) => void (sources = { ...sources, ...more }),
    async listen(host, port) {
      if (port === 0) return;
      try {
        server = await startOpsServer({ metrics: () => metrics.render(), health: () => healthReport(parts, queues, sources) }, host, port);
        log.info({ url: server.url }, 'metrics and health are served');
      } catch (error) {
        // Trading does not depend on being watched: a second bot on the host, say, gets the bot without its endpoints.
        log.error({ err: error, host, port }, 'the metrics and health server could not listen; set METRICS_PORT to a free port (0 = off)');
      }
    },
    url: () => server?.url,
    async close() {
      await server?.close();
      await queues.close();
    },
  };
}
