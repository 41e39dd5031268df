import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { HealthReport } from './health-report.js';

export interface OpsEndpoints {
  metrics(): Promise<{ readonly contentType: string; readonly text: string }>;
  health(): Promise<HealthReport>;
}

/** The listening server: its address for the log and the tests, and how to close it. */
export interface OpsServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * `/metrics` and `/health` on a plain node:http server. GET (or HEAD) only; anything else is 404/405. A failure while
 * answering is a 500 with its message, never a crash of the bot.
 */
export async function startOpsServer(endpoints: OpsEndpoints, host: string, port: number): Promise<OpsServer> {
  const server = createServer((req, res) => void answer(endpoints, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as { address: string; port: number };
  const shown = address.address.includes(':') ? `[${address.address}]` : address.address;
  return { url: `http://${shown}:${address.port}`, close: () => closeServer(server) };
}

async function answer(endpoints: OpsEndpoints, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  try {
    if (path !== '/metrics' && path !== '/health')
      return send(res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics or /health\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'GET only\n');
    if (path === '/metrics') {
      const m = await endpoints.metrics();
      return send(res, 200, m.contentType, m.text);
    }
    const health = await endpoints.health();
    return send(res, health.status === 'unsafe' ? 503 : 200, 'application/json; charset=utf-8', `${JSON.stringify(health, null, 2)}\n`);
  } catch (error) {
    send(res, 500, 'text/plain; charset=utf-8', `${error instanceof Error ? error.message : String(error)}\n`);
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** Stops listening and ends idle keep-alive connections (a Prometheus scraper keeps one open). */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
