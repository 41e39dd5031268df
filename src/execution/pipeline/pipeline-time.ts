import type { Clock } from '../../engine/index.js';

/**
 * The pipeline's sense of time: the clock the rate budget is counted on (shared through Redis, so every process must
 * use the same one) and how to wait on it. Tests run the exchange and the pipeline on one scaled clock, so a 10 s
 * window passes in half a second of real time without changing any arithmetic.
 */
export interface PipelineTime extends Clock {
  sleep(ms: number): Promise<void>;
}

export const systemTime: PipelineTime = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Wall time sped up `rate` times from `origin` (tests). */
export function scaledTime(rate: number, origin = Date.now()): PipelineTime {
  return {
    now: () => Math.floor(origin + (Date.now() - origin) * rate),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.ceil(ms / rate))),
  };
}
