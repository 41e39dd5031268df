import type { EngineEvent } from '../domain/index.js';
import type { BusPort, EventType, Handler } from './bus.js';

/** What an observer registers on: events only, never commands. */
export type ObserverPort = Pick<BusPort, 'on'>;

/**
 * The bus as an observer off the trading path sees it (the audit trail, the owner's notifications): the same events in
 * the same order, delivered on the next turn of the event loop (setImmediate), once the dispatch that published them
 * has run to completion and the I/O it started (the state's transaction, the orders) has gone out. Formatting a chat
 * line or an audit entry then never stands between a fill and its re-arm. A handler that throws is reported to
 * `onError` and the rest are still delivered.
 */
export function laterPort(
  bus: ObserverPort,
  onError: (error: unknown, event: EngineEvent) => void,
): ObserverPort & { /** Delivers what waits now (a stop flushes what its observer heard). */ drain(): void } {
  let waiting: Array<{ readonly deliver: (event: EngineEvent) => void; readonly event: EngineEvent }> = [];
  const flush = () => {
    const due = waiting;
    waiting = [];
    for (const { deliver, event } of due) {
      try {
        deliver(event);
      } catch (error) {
        onError(error, event);
      }
    }
  };
  return {
    drain: flush,
    on<T extends EventType>(type: T, handler: Handler<T>): () => void {
      const deliver = handler as (event: EngineEvent) => void;
      return bus.on(type, (event) => {
        if (waiting.push({ deliver, event }) === 1) setImmediate(flush);
      });
    },
  };
}
