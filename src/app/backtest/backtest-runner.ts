import { Worker } from 'node:worker_threads';
import { type Result, failure } from '../../domain/index.js';
import type { BacktestJob, BacktestOutcome, BacktestWorkerMessage } from './backtest-job.js';

/** A backtest running in its worker thread. */
export interface BacktestTask {
  /** The outcome; a cancelled run resolves CANCELLED, a worker that crashed BACKTEST_FAILED. Never rejects. */
  readonly done: Promise<Result<BacktestOutcome>>;
  /** Terminates the worker at once (between two candles or in the middle of one: its state dies with it). */
  cancel(): void;
}

/**
 * How the worker thread is started. Compiled (dist/, the Docker image) its entry is the .js file beside this one, plain
 * node. Run from TypeScript (tsx, vitest) the entry is the .ts file, which node cannot load by itself, and a worker
 * inherits no loader hooks; `--import tsx` in the worker's execArgv does not take either (node 20 resolves the entry
 * before the hooks are in), so a small bootstrap registers tsx's loader in the worker and then imports the entry.
 */
function workerSource(): { readonly code: string | URL; readonly eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { code: new URL('./backtest-worker.js', here), eval: false };
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./backtest-worker.ts', here).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return { code, eval: true };
}

/** Starts `job` in a worker thread of its own; `progress` hears candles done and their total as the replay goes. */
export function startBacktest(job: BacktestJob, progress: (done: number, total: number) => void): BacktestTask {
  const source = workerSource();
  const worker = new Worker(source.code, { workerData: job, eval: source.eval });
  // A backtest never keeps the process alive: shutting down ends it with everything else.
  worker.unref();
  let cancelled = false;
  const done = new Promise<Result<BacktestOutcome>>((resolve) => {
    worker.on('message', (m: BacktestWorkerMessage) => {
      if (m.kind === 'progress') progress(m.done, m.total);
      else resolve(m.result);
    });
    worker.on('error', (error) => resolve(failure('BACKTEST_FAILED', `the backtest failed: ${error.message}`)));
    // Resolving twice is harmless: an exit after the outcome changes nothing.
    worker.on('exit', (code) =>
      resolve(
        cancelled
          ? failure('CANCELLED', 'the backtest was cancelled')
          : failure('BACKTEST_FAILED', `the backtest's worker stopped (exit code ${code}) before it finished`),
      ),
    );
  });
  return {
    done,
    cancel: () => {
      cancelled = true;
      void worker.terminate();
    },
  };
}
