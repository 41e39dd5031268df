/** Ids are injected so tests and replays are repeatable: a counter with a prefix, e.g. G1, G2, … */
export interface IdSource {
  next(prefix: string): string;
}

export class SequentialIds implements IdSource {
  private readonly counters = new Map<string, number>();

  constructor(start: Readonly<Record<string, number>> = {}) {
    for (const [k, v] of Object.entries(start)) this.counters.set(k, v);
  }

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}${n}`;
  }

  /** The last number handed out per prefix, to be saved across a restart. */
  exportState(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of this.counters) out[k] = v;
    return out;
  }

  /**
   * Takes saved counters. A counter never moves backwards: ids already handed out in this process (or saved by a
   * later write) must not be handed out again, since a client order id reused on Binance is a second order.
   */
  importState(counters: Readonly<Record<string, number>>): void {
    for (const [k, v] of Object.entries(counters)) {
      if (!Number.isSafeInteger(v) || v < 0) throw new Error(`id counter ${k} is not a count: ${String(v)}`);
      if (v > (this.counters.get(k) ?? 0)) this.counters.set(k, v);
    }
  }
}
