import type { Command, EngineEvent, Message, MessageOf } from '../domain/index.js';

export type CommandType = Command['type'];
export type EventType = EngineEvent['type'];
export type Handler<T extends Message['type']> = (message: MessageOf<T>) => void;

/** A handler threw: which owner's, on which message. Reported once, to the one fault sink. */
export interface BusFault {
  readonly owner: string;
  readonly message: Message;
  readonly error: unknown;
}

/** What a component sees of the bus: its registrations carry its name, so a fault is pinned on it. */
export interface BusPort {
  /** Subscribes to an event; returns the unsubscribe function. */
  on<T extends EventType>(type: T, handler: Handler<T>): () => void;
  /** Becomes the one handler of a command; a second handler for the same command is a wiring error. */
  handle<T extends CommandType>(type: T, handler: Handler<T>): void;
  publish(event: EngineEvent): void;
  send(command: Command): void;
}

interface Subscription {
  readonly fn: (m: Message) => void;
  readonly owner: string;
  /** Set when its owner faulted: a component whose handler threw may hold half-changed state, so it hears nothing more. */
  dead: boolean;
}

/** The owner named for subscriptions made straight on the bus rather than through a component's port. */
export const UNOWNED = 'subscriber';

/**
 * The engine's typed, synchronous, in-process bus. Events are published to any number of subscribers; commands are sent
 * to exactly one handler. A message published or sent while another is being delivered waits in one FIFO queue until the
 * current delivery finishes (run to completion), so every handler sees messages in causal order and none is re-entered.
 *
 * A handler that throws is isolated: the fault goes once to the fault sink, that handler's owner hears nothing more, and
 * every other handler of that message and every message queued behind it is still delivered, in order. `publish` and
 * `send` never throw.
 */
export class MessageBus implements BusPort {
  /** Per message type, its subscribers (an event) or its one handler (a command): one lookup per delivery either way. */
  private readonly routes = new Map<Message['type'], Subscription[]>();
  /** Messages waiting, at head..tail; slots past tail are empty and kept for the next dispatch. */
  private readonly queue: (Message | undefined)[] = [];
  private head = 0;
  private tail = 0;
  private draining = false;
  private sink: (fault: BusFault) => void = (fault) => {
    throw fault.error;
  };

  /** Where faults go (the component host); until one is set a fault is rethrown after the queue has drained. */
  onFault(sink: (fault: BusFault) => void): void {
    this.sink = sink;
  }

  on<T extends EventType>(type: T, handler: Handler<T>, owner: string = UNOWNED): () => void {
    const sub: Subscription = { fn: handler as (m: Message) => void, owner, dead: false };
    const list = this.routes.get(type) ?? [];
    list.push(sub);
    this.routes.set(type, list);
    return () => {
      const at = list.indexOf(sub);
      if (at >= 0) list.splice(at, 1);
    };
  }

  handle<T extends CommandType>(type: T, handler: Handler<T>, owner: string = UNOWNED): void {
    const existing = this.routes.get(type)?.[0];
    if (existing)
      throw new Error(`${type} already has a handler (${existing.owner}); ${owner} cannot handle it too: a command goes to exactly one`);
    this.routes.set(type, [{ fn: handler as (m: Message) => void, owner, dead: false }]);
  }

  /** The owner of a command's handler, or undefined when nothing handles it (checked when the host starts). */
  handlerOf(type: CommandType): string | undefined {
    return this.routes.get(type)?.[0]?.owner;
  }

  publish(event: EngineEvent): void {
    this.dispatch(event);
  }

  send(command: Command): void {
    this.dispatch(command);
  }

  /** The bus as one owner sees it: everything it registers is marked with its name. */
  portFor(owner: string): BusPort {
    return {
      on: (type, handler) => this.on(type, handler, owner),
      handle: (type, handler) => this.handle(type, handler, owner),
      publish: (event) => this.dispatch(event),
      send: (command) => this.dispatch(command),
    };
  }

  /** Stops delivering to every handler of `owner` (its component faulted). */
  silence(owner: string): void {
    for (const list of this.routes.values()) for (const sub of list) if (sub.owner === owner) sub.dead = true;
  }

  private dispatch(message: Message): void {
    if (this.draining) {
      this.queue[this.tail++] = message;
      return;
    }
    this.draining = true;
    let thrown: BusFault[] | undefined;
    try {
      // Not draining means the queue is empty: deliver at once, then whatever the handlers published, in order.
      thrown = this.deliver(message, thrown);
      const queue = this.queue;
      while (this.head < this.tail) thrown = this.deliver(queue[this.head++] as Message, thrown);
    } finally {
      // Most ticks queue nothing: touch the queue only when it was used. Its slots are emptied (so what was delivered
      // can be collected young) but kept: truncating would free the backing store and the next fill would grow a new one.
      const queue = this.queue;
      if (this.tail > 0) {
        for (let i = 0; i < this.tail; i++) queue[i] = undefined;
        this.head = 0;
        this.tail = 0;
      }
      this.draining = false;
    }
    // Only without a sink (a bare bus in a test) does a fault surface, and only once everything queued was delivered.
    if (thrown) throw thrown[0]?.error;
  }

  private deliver(message: Message, thrown: BusFault[] | undefined): BusFault[] | undefined {
    const list = this.routes.get(message.type);
    if (list === undefined || list.length === 0) {
      // An event nobody hears is fine; a command nobody handles is a wiring fault (the host checks this at start too).
      if (isCommand(message)) return this.fault({ owner: UNOWNED, message, error: new Error(`nothing handles ${message.type}`) }, thrown);
      return thrown;
    }
    for (let i = 0; i < list.length; i++) thrown = this.call(list[i] as Subscription, message, thrown);
    return thrown;
  }

  private call(sub: Subscription, message: Message, thrown: BusFault[] | undefined): BusFault[] | undefined {
    if (sub.dead) return thrown;
    try {
      sub.fn(message);
      return thrown;
    } catch (error) {
      return this.fault({ owner: sub.owner, message, error }, thrown);
    }
  }

  private fault(fault: BusFault, thrown: BusFault[] | undefined): BusFault[] | undefined {
    try {
      this.sink(fault);
      return thrown;
    } catch {
      // The default sink rethrows: keep the first fault for after the drain.
      return [...(thrown ?? []), fault];
    }
  }
}

/** Every command type: a Record, so a command added to the union must be named here. */
const COMMANDS: Readonly<Record<CommandType, true>> = { SubmitOrder: true, PlaceOrder: true, CancelOrder: true };

function isCommand(message: Message): message is Command {
  return Object.hasOwn(COMMANDS, message.type);
}

/** Every command type, for the host's wiring check. */
export const COMMAND_TYPES = Object.keys(COMMANDS) as CommandType[];
