import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REDIS_URL, uniquePrefix } from '../kit/redis.js';
import { spawnTelegrid } from '../kit/telegrid-process.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('telegrid watchdog on the command line', () => {
  it("with the compose file's default paper settings there is nothing to guard: it says why, waits, and stops cleanly", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'telegrid-watchdog-'));
    dirs.push(cwd);
    const child = spawnTelegrid(['watchdog'], { REDIS_URL, KEY_PREFIX: uniquePrefix(), LOG_LEVEL: 'warn' }, cwd);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const end = Date.now() + 60_000;
    while (!out.includes('Waiting; Ctrl-C or SIGTERM to stop.') && child.exitCode === null) {
      if (Date.now() > end) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(out).toContain("telegrid watchdog: nothing to guard: a paper bot's own sandbox stops with it");
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 90_000);
});
