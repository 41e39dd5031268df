import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteKeys, uniquePrefix } from '../kit/redis.js';
import { spawnTelegrid } from '../kit/telegrid-process.js';

const dirs: string[] = [];
// Each run's paper account lives under its own Redis prefix, deleted after the test.
const prefixes: string[] = [];

/** Runs `telegrid start` as the owner would, in an empty folder, with only the given settings. */
function telegrid(env: Record<string, string> = {}): {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
} {
  const cwd = mkdtempSync(join(tmpdir(), 'telegrid-cli-'));
  dirs.push(cwd);
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const child = spawnTelegrid(['start'], { KEY_PREFIX: prefix, ...env }, cwd);
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

/** Resolves when `text` has appeared on the child's output (event-driven; the test's timeout bounds it). */
function waitFor(child: ChildProcessWithoutNullStreams, read: () => string, text: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (read().includes(text)) {
        child.stdout.off('data', check);
        resolve();
      }
    };
    child.stdout.on('data', check);
    check();
  });
}

afterEach(async () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  for (const p of prefixes.splice(0)) await deleteKeys(p);
});

describe('telegrid start', () => {
  it('opens the paper chat with no settings, answers, and exits 0 on Ctrl-C', async () => {
    const run = telegrid();
    await waitFor(run.child, run.out, 'send /help');
    run.child.stdin.write('/status\n');
    await waitFor(run.child, run.out, 'Trading: ACTIVE');
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
    expect(run.out()).toContain('bye');
  });

  it('refuses to start on a bad setting and lists every problem', async () => {
    const run = telegrid({ TRADING_MODE: 'yolo', RISK_MAX_DAILY_LOSS: '-5' });
    expect(await run.exit).toBe(2);
    expect(run.err()).toContain('TRADING_MODE: expected paper, testnet or live');
    expect(run.err()).toContain('RISK_MAX_DAILY_LOSS');
  });

  it('runs live on the same code path: an unreachable exchange is said plainly, and the secret is never printed', async () => {
    const run = telegrid({
      TRADING_MODE: 'live',
      BINANCE_API_KEY: 'k'.repeat(64),
      BINANCE_API_SECRET: 's'.repeat(64),
      BINANCE_HTTP_BASE: 'http://127.0.0.1:1',
    });
    expect(await run.exit).toBe(2);
    expect(run.err()).toContain('cannot reach the exchange at http://127.0.0.1:1');
    expect(run.err()).not.toContain('s'.repeat(64));
    expect(run.err()).not.toContain('k'.repeat(64));
  });

  it('telegrid worker in paper mode without a shared sandbox says what it needs', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'telegrid-cli-'));
    const child = spawnTelegrid(['worker'], { KEY_PREFIX: uniquePrefix() }, cwd);
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('BINANCE_HTTP_BASE');
  });
});
