import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseSince } from '../../src/app/audit-command.js';
import { REDIS_KEYS } from '../../src/domain/index.js';
import { deleteKeys, uniquePrefix, withRedis } from '../kit/redis.js';
import { spawnTelegrid } from '../kit/telegrid-process.js';

/** `telegrid audit …` as a process in an empty folder: its exit code and both outputs. */
async function telegridAudit(args: readonly string[], env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'telegrid-audit-'));
  onTestFinished(() => rmSync(cwd, { recursive: true, force: true }));
  const child = spawnTelegrid(['audit', ...args], env, cwd);
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, out, err };
}

describe('telegrid audit, the process', () => {
  it('prints the entries since --since as JSON lines, and says what is wrong with a bad --since', async () => {
    const prefix = uniquePrefix();
    onTestFinished(() => deleteKeys(prefix));
    const key = REDIS_KEYS.auditLog.key(prefix);
    const entry = { kind: 'state', from: 'ACTIVE', to: 'HALTED', reason: 'kill switch', at: '2026-12-04T06:00:00.000Z' };
    await withRedis(async (r) => {
      await r.xadd(key, '1000-0', 'entry', JSON.stringify({ ...entry, reason: 'long ago' }));
      await r.xadd(key, '*', 'entry', JSON.stringify(entry));
    });
    const env = { KEY_PREFIX: prefix, ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}) };

    const recent = await telegridAudit(['--since', '2d'], env);
    expect(recent.err).toBe('');
    expect(recent.code).toBe(0);
    const lines = recent.out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({ id: expect.stringMatching(/^\d+-0$/), ...entry });

    const all = await telegridAudit([], env);
    expect(
      all.out
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { reason: string }).reason),
    ).toEqual(['long ago', 'kill switch']);

    const bad = await telegridAudit(['--since', '2 days'], env);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      "telegrid audit: --since '2 days': expected a duration like 30m, 2h or 2d, or an ISO date like 2026-12-01 or 2026-12-01T08:00:00Z\n",
    );
    const zero = await telegridAudit(['--since=0h'], env);
    expect(zero.err).toContain('--since 0h: the duration must be above 0');
    const missing = await telegridAudit(['--since'], env);
    expect(missing.err).toContain('--since needs a value: 30m, 2h, 2d or an ISO date');
  }, 60_000);
});

describe('--since WHEN', () => {
  const now = Date.UTC(2026, 11, 4, 7, 0);
  it('takes minutes, hours and days back from now, or an ISO date (UTC unless it names a zone)', () => {
    expect(parseSince('30m', now)).toEqual({ ok: true, value: now - 30 * 60_000 });
    expect(parseSince('2h', now)).toEqual({ ok: true, value: now - 2 * 3_600_000 });
    expect(parseSince('2d', now)).toEqual({ ok: true, value: now - 2 * 86_400_000 });
    expect(parseSince('2026-12-01', now)).toEqual({ ok: true, value: Date.UTC(2026, 11, 1) });
    expect(parseSince('2026-12-01T08:00', now)).toEqual({ ok: true, value: Date.UTC(2026, 11, 1, 8) });
    expect(parseSince('2026-12-01T08:00:00+02:00', now)).toEqual({ ok: true, value: Date.UTC(2026, 11, 1, 6) });
  });

  it('says what is wrong with anything else', () => {
    const message = (text: string) => {
      const res = parseSince(text, now);
      return res.ok ? 'accepted' : res.error.message;
    };
    expect(message('2026-13-01')).toContain('--since 2026-13-01: not a real date');
    expect(message('5y')).toContain("--since '5y': expected a duration like 30m, 2h or 2d");
    expect(message('-2d')).toContain("--since '-2d': expected");
  });
});
