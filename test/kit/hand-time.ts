/** Pipeline time moved by hand, for tests that decide when an exchange window slides. */
import type { PipelineTime } from '../../src/execution/index.js';

/**
 * A clock that moves only when the test advances it; a sleep on it ends when an advance passes its end. Given to the
 * rig, the sandbox's order windows, the rate budget and every budget wait run on it: a window slides exactly when the
 * test says, and the test can wait until every waiting job is asleep on the clock (a state) before it moves.
 */
export class HandTime implements PipelineTime {
  private readonly sleepers: { end: number; wake: () => void }[] = [];

  constructor(private at: number) {}

  now(): number {
    return this.at;
  }

  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((wake) => this.sleepers.push({ end: this.at + ms, wake }));
  }

  /** How many sleeps are waiting for the clock to move. */
  asleep(): number {
    return this.sleepers.length;
  }

  /** Moves the clock by whole milliseconds and wakes every sleep whose end it passed, earliest first. */
  advance(ms: number): void {
    this.at += ms;
    const due = this.sleepers.filter((s) => s.end <= this.at).sort((a, b) => a.end - b.end);
    for (const s of due) this.sleepers.splice(this.sleepers.indexOf(s), 1);
    for (const s of due) s.wake();
  }
}
