import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

/** The one day of real BTCUSDT minutes the repo's tests share (../shared/data). */
const SHARED_DAY = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/data/BTCUSDT-1m-2020-01-01.csv');
const DAY_MS = 86_400_000;

/**
 * A history folder in a temp dir (never the repo), in data.binance.vision's layout as `telegrid data fetch` fills it,
 * holding the shared day 2020-01-01 and, with `days` > 1, that day's minutes again on each following day (times moved
 * by whole days): a long tape for a backtest that must still be running while a test looks. Removed when the test
 * that made it finishes.
 */
export function historyFolder(days = 1): string {
  const dir = mkdtempSync(join(tmpdir(), 'telegrid-history-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const folder = join(dir, 'spot/daily/klines/BTCUSDT/1m');
  mkdirSync(folder, { recursive: true });
  copyFileSync(SHARED_DAY, join(folder, 'BTCUSDT-1m-2020-01-01.csv'));
  const rows = readFileSync(SHARED_DAY, 'utf8').trim().split('\n');
  for (let d = 1; d < days; d++) {
    const shift = d * DAY_MS;
    const moved = rows.map((row) => {
      const cells = row.split(',');
      cells[0] = String(Number(cells[0]) + shift);
      cells[6] = String(Number(cells[6]) + shift);
      return cells.join(',');
    });
    const day = new Date(Date.UTC(2020, 0, 1) + shift).toISOString().slice(0, 10);
    writeFileSync(join(folder, `BTCUSDT-1m-${day}.csv`), `${moved.join('\n')}\n`);
  }
  return dir;
}
