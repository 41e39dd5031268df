/** Time is injected: the engine reads it here, tests and replays set it. */
export interface Clock {
  /** ms since the epoch */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told; replays advance it to each trade's time. */
export class ManualClock implements Clock {
  constructor(private time = 0) {}

  now(): number {
    return this.time;
  }

  set(time: number): void {
    if (time > this.time) this.time = time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
