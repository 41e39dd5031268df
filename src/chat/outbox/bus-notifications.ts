import type { Notifier } from '../notifications.js';
import type { Notification } from './notification.js';

export interface OutboxSink {
  enqueue(note: Notification): Promise<unknown>;
}

/**
 * The Telegram side of the notifier port: each described event is queued in the outbox for every allowed chat. The bus is
 * synchronous and the outbox is Redis, so a failed enqueue can only be reported, to `onError`.
 */
export function outboxNotifier(outbox: OutboxSink, chatIds: readonly number[], onError: (err: unknown) => void): Notifier {
  return {
    notify(note) {
      for (const chatId of chatIds) outbox.enqueue({ chatId, ...note }).catch(onError);
    },
  };
}
