import type { PipelineTime } from './pipeline-time.js';

/**
 * When a kill switch's sweep job may send again after a 429, shared by the job's sweeps (one gate per job).
 *
 * Every request held back is released in the same tick when the gate opens, so a round of requests goes out together.
 * Released one by one (each at its own timer, each re-reading the gate), a request delayed a few ms by a busy event loop
 * finds the gate already moved by the others' 429s and waits a whole extra Retry-After alone; under a burst of 429s
 * that costs a second a round.
 */
export class SweepGate {
  private end = 0;
  private readonly held: (() => void)[] = [];
  private sleeping = false;

  constructor(private readonly time: PipelineTime) {}

  /** Holds requests back until `until` (clock ms); an opening already later stands. */
  closeUntil(until: number): void {
    if (until > this.end) this.end = until;
  }

  /** Resolves at once when open; otherwise when the gate opens, in the same tick as every other request held back. */
  pass(): Promise<void> {
    if (this.time.now() >= this.end) return Promise.resolve();
    const passed = new Promise<void>((resolve) => this.held.push(resolve));
    if (!this.sleeping) void this.openWhenDue();
    return passed;
  }

  private async openWhenDue(): Promise<void> {
    this.sleeping = true;
    // The end may move while asleep (a late 429 of the same round): sleep on until the latest end has passed.
    for (let left = this.end - this.time.now(); left > 0; left = this.end - this.time.now()) await this.time.sleep(left);
    this.sleeping = false;
    for (const release of this.held.splice(0)) release();
  }
}
