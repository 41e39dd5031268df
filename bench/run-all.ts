/**
 * Runs every bench/*.bench.ts in its own process (so peak RSS is each benchmark's own) and passes through the one
 * JSON line each prints. Exits non-zero if any benchmark fails.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const only = process.argv[2];
let failed = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()) {
  if (only && !file.includes(only)) continue;
  const run = spawnSync(process.execPath, ['--expose-gc', tsx, `${dir}${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(run.stdout);
  if (run.status !== 0) {
    failed++;
    process.stderr.write(`${file} exited with ${run.status}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
