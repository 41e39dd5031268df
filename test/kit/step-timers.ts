/** Wall time a test steps by hand (RealtimeTimers), for replays paced on wall time: the tape, the clock and staleness move together. */
import type { RealtimeTimers } from '../../src/market/index.js';

/**
 * Fake wall time that moves only when the test says, one due callback at a time, so the test can let the network
 * traffic a callback started (a tape trade sent over loopback) land before anything later runs. Unlike
 * test/market/fake-timers.ts it starts at a chosen epoch time (a wall clock years after a replayed tape).
 */
export class StepTimers implements RealtimeTimers {
  private seq = 0;
  private readonly tasks = new Map<number, { at: number; callback: () => void }>();

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.seq;
    // Whole milliseconds, as a real clock reads: a fractional Date.now() would make malformed request timestamps.
    this.tasks.set(id, { at: this.time + Math.max(0, Math.ceil(ms)), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.tasks.delete(handle as number);
  }

  /** Runs the earliest callback due at or before `limit` (the first set on a tie), time moving to it; false if none. */
  runNext(limit: number): boolean {
    let next: { id: number; at: number } | undefined;
    for (const [id, t] of this.tasks) if (t.at <= limit && (next === undefined || t.at < next.at)) next = { id, at: t.at };
    if (next === undefined) return false;
    const task = this.tasks.get(next.id) as { at: number; callback: () => void };
    this.tasks.delete(next.id);
    this.time = Math.max(this.time, task.at);
    task.callback();
    return true;
  }

  /** Moves time to `time` (whole ms, rounded down) without running anything (call runNext up to it first). */
  moveTo(time: number): void {
    this.time = Math.max(this.time, Math.floor(time));
  }
}
