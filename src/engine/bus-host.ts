import type { Message } from '../domain/index.js';
import { type BusFault, type BusPort, COMMAND_TYPES, MessageBus, UNOWNED } from './bus.js';
import type { Clock } from './clock.js';
import { type ComponentState, moveComponent } from './component-state.js';
import type { IdSource } from './ids.js';

/** What a component is handed when it joins the host: the bus as its own port, and the shared clock and ids. */
export interface ComponentContext {
  readonly bus: BusPort;
  readonly clock: Clock;
  readonly ids: IdSource;
}

/** A part of the engine that lives on the bus; `start`/`stop` are for the edges that own I/O. */
export interface Component {
  readonly name: string;
  attach(context: ComponentContext): void;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/** A fault as the host reports it: the owner, the message kind it failed on, and the error's words. */
export interface ComponentFault {
  readonly component: string;
  readonly messageType: Message['type'];
  readonly error: string;
}

/**
 * The bus host: owns the message bus, the components on it and their state table. Paper, testnet, live and a replay
 * differ only in the clock, the ids and the components handed in. A handler that throws is reported here, once: its
 * component is marked FAULTED and silenced, and a `ComponentFaulted` event goes on the bus (the risk side halts trading
 * on it and the chat tells the owner). `report` is where the host writes the fault down (the app's log).
 */
export class BusHost {
  readonly bus = new MessageBus();
  private readonly components: Component[] = [];
  private readonly states = new Map<string, ComponentState>();
  private readonly faults: ComponentFault[] = [];

  constructor(
    readonly clock: Clock,
    readonly ids: IdSource,
    private readonly report: (fault: ComponentFault, error: unknown) => void = () => {},
  ) {
    this.bus.onFault((fault) => this.onFault(fault));
  }

  add(component: Component): this {
    if (this.states.has(component.name)) throw new Error(`a component named ${component.name} is already on the bus`);
    component.attach({ bus: this.bus.portFor(component.name), clock: this.clock, ids: this.ids });
    this.components.push(component);
    this.states.set(component.name, 'READY');
    return this;
  }

  /**
   * Throws unless every command has its one handler: the check a whole build (the trading kernel) makes once it is
   * wired. A partial host (a test rig of one component) may leave commands unhandled; sending one is then a fault.
   */
  assertWired(): void {
    const missing = COMMAND_TYPES.filter((type) => this.bus.handlerOf(type) === undefined);
    if (missing.length > 0) throw new Error(`nothing handles ${missing.join(', ')}: the components are not wired whole`);
  }

  /** Starts the components in the order added. */
  async start(): Promise<void> {
    for (const c of this.components) {
      await c.start?.();
      this.move(c.name, 'RUNNING');
    }
  }

  /** Stops in reverse order, so edges that feed the engine go quiet before what they feed. */
  async stop(): Promise<void> {
    for (const c of [...this.components].reverse()) {
      await c.stop?.();
      this.move(c.name, 'STOPPED');
    }
  }

  state(name: string): ComponentState | undefined {
    return this.states.get(name);
  }

  /** The faults so far, oldest first (one per component: a faulted component hears nothing more). */
  faulted(): readonly ComponentFault[] {
    return this.faults;
  }

  private move(name: string, to: ComponentState): void {
    const from = this.states.get(name);
    if (from !== undefined) this.states.set(name, moveComponent(from, to));
  }

  private onFault(fault: BusFault): void {
    const error = fault.error instanceof Error ? fault.error.message : String(fault.error);
    const record: ComponentFault = { component: fault.owner, messageType: fault.message.type, error };
    // A subscriber outside any component (a chat follower, a test's probe) is not silenced: it owns no trading state.
    if (fault.owner !== UNOWNED) {
      this.bus.silence(fault.owner);
      this.move(fault.owner, 'FAULTED');
    }
    this.faults.push(record);
    this.report(record, fault.error);
    // A probe that throws on the fault event itself would otherwise be told of its own fault for ever.
    if (fault.owner === UNOWNED && fault.message.type === 'ComponentFaulted') return;
    this.bus.publish({ type: 'ComponentFaulted', ...record, time: this.clock.now() });
  }
}
