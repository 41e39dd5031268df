import type { TradeTick } from '../domain/index.js';
import type { BusPort, ManualClock } from '../engine/index.js';
import type { TickSource } from './tick-source.js';

/** The timer functions the realtime driver needs, injected so tests run it on fake time. */
export interface RealtimeTimers {
  /** Wall time, ms. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: RealtimeTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface RealtimeOptions {
  /** Market ms per wall ms: 1 is live pace, 60 replays a minute per second, Infinity as fast as the loop allows. */
  readonly speed: number;
  readonly timers?: RealtimeTimers;
  /** Most ticks published before yielding to the event loop; default 10 000. */
  readonly maxBatch?: number;
}

export type RealtimeEnd = 'ended' | 'stopped';

export interface FeedPumpOptions {
  /** Set to each tick's time before it is published, so a replay's engine reads market time. */
  readonly clock?: ManualClock;
}

/**
 * The edge between a tape and the engine: pulls trades from a TickSource and publishes each as `TradeTicked`.
 * `pump`/`pumpUntil` drive it synchronously (tests, benchmarks, backtests); `runRealtime` paces market time
 * against wall time for the running app.
 */
export class FeedPump {
  private pending: TradeTick | undefined;
  private exhausted = false;
  private published = 0;
  private realtime: { handle: unknown; timers: RealtimeTimers; finish: (end: RealtimeEnd) => void } | undefined;

  constructor(
    private readonly source: TickSource,
    private readonly bus: BusPort,
    private readonly options: FeedPumpOptions = {},
  ) {}

  get symbols(): readonly string[] {
    return this.source.symbols;
  }

  /** Ticks published so far. */
  get count(): number {
    return this.published;
  }

  /** True once the source has no more ticks. */
  get ended(): boolean {
    return this.peek() === undefined;
  }

  get running(): boolean {
    return this.realtime !== undefined;
  }

  /** The next tick's time, or undefined at the end of the tape. */
  nextTime(): number | undefined {
    return this.peek()?.time;
  }

  /** Publishes up to `n` ticks; returns how many it published (fewer only when the tape ended). */
  pump(n: number): number {
    this.assertIdle();
    let done = 0;
    while (done < n && this.publishNext()) done++;
    return done;
  }

  /** Publishes every tick whose time is at or before `time` (ms); returns how many. */
  pumpUntil(time: number): number {
    this.assertIdle();
    let done = 0;
    for (let t = this.peek(); t !== undefined && t.time <= time; t = this.peek()) {
      this.publishNext();
      done++;
    }
    return done;
  }

  /**
   * Replays the tape at `speed`× wall time from now: the first tick goes out at once, a tick `d` market-ms later goes
   * out `d / speed` wall-ms later. Resolves when the tape ends or `stop()` is called; rejects if a bus handler throws
   * (a bug), after stopping.
   */
  runRealtime(options: RealtimeOptions): Promise<RealtimeEnd> {
    if (this.realtime) throw new Error('the feed pump is already running');
    const speed = options.speed;
    if (!(speed > 0)) throw new RangeError(`speed must be positive: ${speed}`);
    const timers = options.timers ?? systemTimers;
    const maxBatch = options.maxBatch ?? 10_000;
    const wallStart = timers.now();
    let marketStart: number | undefined;

    return new Promise<RealtimeEnd>((resolve, reject) => {
      const run = { handle: undefined as unknown, timers, finish: (end: RealtimeEnd) => settle(() => resolve(end)) };
      const settle = (done: () => void): void => {
        if (this.realtime !== run) return;
        if (run.handle !== undefined) timers.clearTimeout(run.handle);
        this.realtime = undefined;
        done();
      };
      const step = (): void => {
        run.handle = undefined;
        try {
          const now = timers.now();
          for (let sent = 0; ; sent++) {
            const tick = this.peek();
            if (tick === undefined) return run.finish('ended');
            marketStart ??= tick.time;
            const due = wallStart + (tick.time - marketStart) / speed;
            if (due > now) {
              run.handle = timers.setTimeout(step, Math.ceil(due - now));
              return;
            }
            if (sent >= maxBatch) {
              run.handle = timers.setTimeout(step, 0);
              return;
            }
            this.publishNext();
            // A handler may have stopped the pump.
            if (this.realtime !== run) return;
          }
        } catch (error) {
          settle(() => reject(error));
        }
      };
      this.realtime = run;
      step();
    });
  }

  /** Stops the realtime driver; the tick it would have published next stays pending for a later run. */
  stop(): void {
    this.realtime?.finish('stopped');
  }

  private peek(): TradeTick | undefined {
    if (this.pending === undefined && !this.exhausted) {
      this.pending = this.source.next();
      if (this.pending === undefined) this.exhausted = true;
    }
    return this.pending;
  }

  private publishNext(): boolean {
    const tick = this.peek();
    if (tick === undefined) return false;
    this.pending = undefined;
    this.options.clock?.set(tick.time);
    this.published++;
    this.bus.publish({ type: 'TradeTicked', tick });
    return true;
  }

  private assertIdle(): void {
    if (this.realtime) throw new Error('pump() while the realtime driver runs would reorder time');
  }
}
