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
    this.queue.push(message);
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.head < this.queue.length) {
        const next = this.queue[this.head++] as Message;
        const list = this.handlers.get(next.type);
        if (list) for (let i = 0; i < list.length; i++) (list[i] as (m: Message) => void)(next);
      }
    } finally {
      this.queue.length = 0;
      this.head = 0;
      this.draining = false;
    }
  }
}
