import type { Message, MessageOf, MessageType } from '../domain/index.js';

export type Handler<T extends MessageType> = (message: MessageOf<T>) => void;

/**
 * The engine's typed, synchronous, in-process bus. A message published while another is being delivered waits in a
 * FIFO queue until the current delivery finishes (run to completion), so every handler sees messages in causal
 * order and no handler is re-entered. `publish` returns once the queue is drained.
 */
export class Bus {
  private readonly handlers = new Map<MessageType, Array<(m: Message) => void>>();
  private readonly queue: Message[] = [];
  private head = 0;
  private draining = false;

  /** Subscribes to one message type; returns the unsubscribe function. */
  on<T extends MessageType>(type: T, handler: Handler<T>): () => void {
    const list = this.handlers.get(type) ?? [];
    const h = handler as (m: Message) => void;
    list.push(h);
    this.handlers.set(type, list);
    return () => {
      const at = list.indexOf(h);
      if (at >= 0) list.splice(at, 1);
    };
  }

  publish(message: Message): void {
    if (this.draining) {
      this.queue.push(message);
      return;
    }
    this.draining = true;
    try {
      // Not draining means the queue is empty: deliver at once, then whatever the handlers published, in order.
      this.deliver(message);
      const queue = this.queue;
      while (this.head < queue.length) this.deliver(queue[this.head++] as Message);
    } finally {
      // Most ticks queue nothing, and truncating an array is a runtime call: touch the queue only when it was used.
      if (this.queue.length > 0) {
        this.queue.length = 0;
        this.head = 0;
      }
      this.draining = false;
    }
  }

  private deliver(message: Message): void {
    const list = this.handlers.get(message.type);
    if (list) for (let i = 0; i < list.length; i++) (list[i] as (m: Message) => void)(message);
  }
}
