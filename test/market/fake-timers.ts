import type { RealtimeTimers } from '../../src/market/index.js';

/** Timers on fake wall time: `advance` runs due callbacks in time order (FIFO on ties), never sleeping. */
export class FakeTimers implements RealtimeTimers {
  private time = 0;
  private seq = 0;
  private readonly tasks = new Map<number, { at: number; seq: number; callback: () => void }>();
  readonly delays: number[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.delays.push(ms);
    this.tasks.set(id, { at: this.time + Math.max(0, ms), seq: id, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.tasks.delete(handle as number);
  }

  get pending(): number {
    return this.tasks.size;
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      let next: { id: number; at: number; seq: number; callback: () => void } | undefined;
      for (const [id, t] of this.tasks)
        if (t.at <= until && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = { id, ...t };
      if (!next) break;
      this.tasks.delete(next.id);
      this.time = next.at;
      next.callback();
    }
    this.time = until;
  }
}
