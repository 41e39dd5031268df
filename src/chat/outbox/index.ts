/**
 * The outbox: every message the bot sends (notifications, command replies, edits), kept in Redis until Telegram took
 * it or refused it for good; and a direct in-memory line, paced with it, for what must not wait for Redis.
 *
 * Plain Redis and five Lua scripts rather than BullMQ: delivery is per chat (a lock, a pace, a 429 pause each) and one
 * message settles many notifications at once (digests). BullMQ's limiter is per queue, a job is one message, and a
 * crashed active job is re-run (at-least-once, unflagged); a queue per chat would mean a worker per chat. Here a chat's
 * waiting ids are two Redis lists (urgent, routine) and the one message in flight is a record with a lease.
 */
export { type Notification, type NotificationKind, URGENT_KINDS } from './notification.js';
export { planMessage, UNCERTAIN_HEADER, type WaitingNote } from './digest.js';
export { Outbox, type OutboxOptions, type OutboxStats } from './outbox.js';
export type { OutboxEdit, OutboxSend, OutboxSendPhoto, OutboxSendResult, OutboxTimers } from './outbox-ports.js';
export { outboxNotifier } from './bus-notifications.js';
