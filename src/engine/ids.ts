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
}
