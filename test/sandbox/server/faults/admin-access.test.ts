import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultPlan, isLoopbackAddress, parseFaultSpec } from '../../../../src/sandbox/index.js';
import { withFaultAdmin } from '../../../../src/sandbox/server/faults/index.js';

describe('isLoopbackAddress', () => {
  it('accepts IPv4 and IPv6 loopback, including IPv4-mapped', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) expect(isLoopbackAddress(a), a).toBe(true);
  });

  it('refuses everything else, and an unknown address', () => {
    for (const a of [
      '10.0.0.5',
      '192.168.1.2',
      '0.0.0.0',
      '::',
      '::ffff:10.0.0.1',
      'fe80::1',
      '128.0.0.1',
      '127.example.com',
      '',
      undefined,
    ]) {
      expect(isLoopbackAddress(a), String(a)).toBe(false);
    }
  });
});

describe('admin endpoint access', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  /** The admin wrapper on a real server whose peers all appear to come from `peer`. */
  async function serveAs(peer: string, plan: FaultPlan): Promise<string> {
    const admin = withFaultAdmin(plan, (_req, res) => res.writeHead(204).end());
    server = createServer((req, res) => {
      Object.defineProperty(req.socket, 'remoteAddress', { value: peer, configurable: true });
      admin(req, res);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('answers 403 to a non-loopback peer and arms nothing; other paths still reach the API', async () => {
    const plan = new FaultPlan();
    const base = await serveAs('203.0.113.7', plan);
    const res = await fetch(`${base}/admin/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'hang' }),
      headers: { 'X-Forwarded-For': '127.0.0.1' },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('admin.forbidden');
    expect((await fetch(`${base}/admin/other`)).status).toBe(403);
    expect(plan.status().armed).toEqual([]);
    expect((await fetch(`${base}/api/v3/ping`)).status).toBe(204);
  });

  it('serves a loopback peer', async () => {
    const plan = new FaultPlan();
    const base = await serveAs('::ffff:127.0.0.1', plan);
    expect((await fetch(`${base}/admin/faults`, { method: 'POST', body: '{"kind":"hang"}' })).status).toBe(200);
    expect(plan.status().armed).toHaveLength(1);
    expect((await fetch(`${base}/admin/nothing`)).status).toBe(404);
  });
});

describe('parseFaultSpec', () => {
  it('names the wrong field', () => {
    const cases: Array<[unknown, string]> = [
      [null, 'a fault is a JSON object with a "kind"'],
      [{ kind: 'http5xx', status: 504 }, 'status must be 500, 502 or 503'],
      [{ kind: 'http5xx', count: 0 }, 'count must be a positive integer or "all"'],
      [{ kind: 'delay', ms: 5, match: 'order' }, 'match must be "METHOD /path", "* /path", "METHOD *" or "*"; got "order"'],
      [{ kind: 'dropSockets', target: 'both' }, 'target must be market, user or all'],
      [{ kind: 'pauseUserStream', ms: 10, match: '*' }, '"match" is not a field of pauseUserStream'],
      [{ kind: 'freezeSockets', ms: 10_000_000 }, 'ms must be an integer from 1 to 600000'],
    ];
    for (const [spec, message] of cases) {
      const r = parseFaultSpec(spec);
      expect(r.ok ? undefined : r.error.message, JSON.stringify(spec)).toBe(message);
    }
    expect(parseFaultSpec({ kind: 'rateLimit', match: 'post *', retryAfter: 2, code: -1015 }).ok).toBe(true);
  });
});
