import type { EngineEvent } from '../domain/index.js';
import type { BusPort, EventType, Handler } from './bus.js';
import { NEXT_TURN, type TradingFirst } from './trading-first.js';

/** What an observer registers on: events only, never commands. */
export type ObserverPort = Pick<BusPort, 'on'>;

/**
 * The bus as an observer off the trading path sees it (the owner's notifications): the same events in the same order,
 * delivered on a later turn of the event loop, once the dispatch that published them has run to completion and the
 * orders it placed are on their way (`offPath`; by default the next turn). Formatting a chat line then never stands
 * between a fill and its re-arm. A handler that throws is reported to `onError` and the rest are still delivered.
 */
export function laterPort(
  bus: ObserverPort,
  onError: (error: unknown, event: EngineEvent) => void,
  offPath: Pick<TradingFirst, 'later'> = NEXT_TURN,
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
        if (waiting.push({ deliver, event }) === 1) offPath.later(flush);
      });
    },
  };
}
