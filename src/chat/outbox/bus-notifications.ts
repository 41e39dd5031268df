import type { Message } from '../../domain/index.js';
import type { BusPort } from '../../engine/index.js';
import { NOTIFIED_EVENTS, type NotificationOptions, renderEvent } from '../notifications.js';
import type { Notification } from './notification.js';

/** The outbox notification for a bus event (its text from renderEvent); undefined for events the chat does not hear. */
export function notificationFor(event: Message, chatId: number, options: NotificationOptions = {}): Notification | undefined {
  const text = renderEvent(event, options);
  if (text === undefined) return undefined;
  switch (event.type) {
    case 'OrderFilled': {
      const quoteAsset = options.quoteAssetOf?.(event.symbol);
      return {
        chatId,
        kind: 'fill',
        text,
        symbol: event.symbol,
        fill: { side: event.side, quantity: event.quantity, quote: event.quote, ...(quoteAsset !== undefined ? { quoteAsset } : {}) },
      };
    }
    case 'OrderDenied':
      return { chatId, kind: 'denial', text, symbol: event.intent.symbol };
    case 'PositionChanged':
      return { chatId, kind: 'position', text, symbol: event.symbol };
    case 'GridRoundTrip':
      return { chatId, kind: 'round_trip', text, symbol: event.symbol };
    case 'OrderUnknown':
      return { chatId, kind: 'unknown_order', text, symbol: event.symbol };
    case 'OrderRejected':
      return { chatId, kind: 'error', text, symbol: event.symbol };
    case 'MarketDataStale':
    case 'MarketDataResumed':
      return { chatId, kind: 'data', text };
    case 'ComponentFaulted':
      return { chatId, kind: 'state', text, urgent: true };
    case 'TradingStateChanged':
      // A halt is news the owner must not find under a pile of fills.
      return { chatId, kind: 'state', text, urgent: event.to === 'HALTED' };
    case 'GridStopped':
      return { chatId, kind: 'state', text, symbol: event.symbol };
    default:
      return { chatId, kind: 'state', text };
  }
}

export interface OutboxSink {
  enqueue(note: Notification): Promise<unknown>;
}

/**
 * Routes every notifiable bus event to the outbox for one chat; returns the function that stops it. The bus is
 * synchronous and the outbox is Redis, so a failed enqueue can only be reported, to `onError`.
 */
export function subscribeOutbox(
  bus: BusPort,
  outbox: OutboxSink,
  chatId: number,
  onError: (err: unknown) => void,
  options: NotificationOptions = {},
): () => void {
  const offs = NOTIFIED_EVENTS.map((type) =>
    bus.on(type, (event) => {
      const note = notificationFor(event, chatId, options);
      if (note !== undefined) outbox.enqueue(note).catch(onError);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}
