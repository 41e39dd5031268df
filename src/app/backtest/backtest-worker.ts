/**
 * The entry of a backtest's worker thread (backtest-runner.ts starts it): loads the candles, replays the grid and posts
 * the progress and the outcome. The whole replay runs here, so the bot's event loop keeps trading and answering.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ok } from '../../domain/index.js';
import { type BacktestJob, type BacktestWorkerMessage, PROGRESS_STEPS } from './backtest-job.js';
import { backtestPicture } from './backtest-picture.js';
import { historyCandles } from './history-candles.js';
import { runBacktest } from './run-backtest.js';

const port = parentPort;
if (port === null) throw new Error('backtest-worker.ts runs only as a worker thread');
const post = (message: BacktestWorkerMessage): void => port.postMessage(message);

async function main(job: BacktestJob): Promise<void> {
  const source = job.candles;
  const loaded =
    source.kind === 'given'
      ? ok({ candles: source.candles, missingDays: [], missingCandles: 0 })
      : historyCandles(source.historyDir, job.request.instrument.symbol, job.request.interval, source.range);
  if (!loaded.ok) return post({ kind: 'done', result: loaded });
  const { candles, missingDays, missingCandles } = loaded.value;
  const replayed = await runBacktest({
    ...job.request,
    candles,
    progressEvery: Math.max(1, Math.ceil(candles.length / PROGRESS_STEPS)),
    progress: (done, total) => post({ kind: 'progress', done, total }),
  });
  if (!replayed.ok) return post({ kind: 'done', result: replayed });
  const report = replayed.value;
  // The picture is drawn here as well: building its SVG holds a loop for tens of ms, and this loop is not the bot's.
  const picture = await backtestPicture(report, candles, job.request.instrument.filters.priceFilter.tickSize).then(
    (p) => ({ png: p.png, caption: p.caption, filename: p.filename }),
    () => undefined,
  );
  post({ kind: 'done', result: ok({ report, missingDays, missingCandles, ...(picture ? { picture } : {}) }) });
}

await main(workerData as BacktestJob);
