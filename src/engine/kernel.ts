import { Bus } from './bus.js';
import type { Clock } from './clock.js';
import type { IdSource } from './ids.js';

/** A part of the engine that lives on the bus; `start`/`stop` are for the edges that own I/O. */
export interface Component {
  readonly name: string;
  attach(kernel: Kernel): void;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/**
 * Wires the same components whatever the venue: paper, testnet, live or a replay differ only in the clock, the ids and
 * the components the composition root hands in.
 */
export class Kernel {
  readonly bus = new Bus();
  private readonly components: Component[] = [];

  constructor(
    readonly clock: Clock,
    readonly ids: IdSource,
  ) {}

  add(component: Component): this {
    component.attach(this);
    this.components.push(component);
    return this;
  }

  async start(): Promise<void> {
    for (const c of this.components) await c.start?.();
  }

  /** Stops in reverse order, so edges that feed the engine go quiet before what they feed. */
  async stop(): Promise<void> {
    for (const c of [...this.components].reverse()) await c.stop?.();
  }
}
