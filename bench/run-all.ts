/**
 * Runs every bench/*.bench.ts in its own process and passes through the one JSON line each prints. Exits non-zero if
 * any benchmark fails. `npm run bench -- NAME` runs only the benches whose file name contains NAME.
 *
 * Each bench is first bundled with esbuild into one plain .mjs and run by bare `node --expose-gc`: a TypeScript loader
 * in the measured process (tsx costs ~40 MB and its own start-up work) would be counted in the bench's peak RSS.
 * node-fetch stays outside the bundle (loaded from node_modules, so the bundles sit in a folder under bench/): the
 * Binance adapter notes a 429's Retry-After by wrapping node-fetch's module record, which a bundled copy would not have,
 * and a bench would then wait out the window Binance's message names (a minute) instead of the second it asked for.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from './bundle-options.js';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();

/** Bundles one bench and everything it imports into `outfile` (ESM, Node 20, names kept for readable profiles). */
async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    ...BUNDLE_OPTIONS,
  });
}

const outDir = mkdtempSync(join(dir, '.bundles-'));
let failed = 0;
try {
  for (const file of benches) {
    const outfile = join(outDir, file.replace(/\.ts$/, '.mjs'));
    await bundle(join(dir, file), outfile);
    const run = spawnSync(process.execPath, ['--expose-gc', outfile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    process.stdout.write(run.stdout);
    if (run.status !== 0) {
      failed++;
      process.stderr.write(`${file} exited with ${run.status ?? run.signal}\n`);
    }
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
process.exit(failed === 0 ? 0 : 1);
