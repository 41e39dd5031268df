import type { RequestListener, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { FaultPlan } from './fault-plan.js';
import type { FaultSpec } from './fault-spec.js';
import { MAX_BODY, readBody } from '../read-body.js';

const ADMIN_FAULTS_PATH = '/admin/faults';

/**
 * True for a loopback peer: 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6 (::ffff:127.x.y.z). Anything else,
 * including an unknown address, is refused.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.toLowerCase();
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Wraps the sandbox's request listener with `/admin/faults` (GET: status, POST: arm one spec or an array, DELETE:
 * clear), served only to loopback peers; every other path goes to `next`. The peer is the socket's address: a
 * forwarding header cannot talk its way in.
 */
export function withFaultAdmin(plan: FaultPlan, next: RequestListener): RequestListener {
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (!path.startsWith('/admin/')) {
      next(req, res);
      return;
    }
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      req.resume();
      reply(res, 403, { error: { code: 'admin.forbidden', message: 'The fault admin endpoint answers loopback clients only.' } });
      return;
    }
    if (path !== ADMIN_FAULTS_PATH) {
      req.resume();
      reply(res, 404, { error: { code: 'admin.unknown', message: `No admin endpoint at ${path}; try ${ADMIN_FAULTS_PATH}.` } });
      return;
    }
    readBody(req, (body) => admin(plan, req.method ?? 'GET', body, res));
  };
}

function admin(plan: FaultPlan, method: string, body: string | undefined, res: ServerResponse): void {
  switch (method) {
    case 'GET':
      return reply(res, 200, plan.status());
    case 'DELETE': {
      const cleared = plan.status().armed.length;
      plan.clear();
      return reply(res, 200, { cleared });
    }
    case 'POST': {
      if (body === undefined)
        return reply(res, 413, { error: { code: 'admin.too-large', message: `A request body is at most ${MAX_BODY} bytes.` } });
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return reply(res, 400, {
          error: { code: 'admin.bad-json', message: 'The body must be JSON: one fault object or an array of them.' },
        });
      }
      const specs = (Array.isArray(parsed) ? parsed : [parsed]) as FaultSpec[];
      const armed = plan.armAll(specs);
      if (!armed.ok) return reply(res, 400, { error: armed.error });
      return reply(res, 200, { armed: armed.value.ids });
    }
    default:
      res.setHeader('Allow', 'GET, POST, DELETE');
      return reply(res, 405, { error: { code: 'admin.method', message: `${method} is not supported on ${ADMIN_FAULTS_PATH}.` } });
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
