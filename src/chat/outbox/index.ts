/**
 * The outbox: every message the bot sends (notifications, command replies, edits), kept in Redis until Telegram took
 * it or refused it for good; and a direct in-memory line, paced with it, for what must not wait for Redis.
 *
 * Plain Redis and five Lua scripts rather than BullMQ: delivery is per chat (a lock, a pace, a 429 pause each) and one
 * message settles many notifications at once (digests). BullMQ's limiter is per queue, a job is one message, and a
 * crashed active job is re-run (at-least-once, unflagged); a queue per chat would mean a worker per chat. Here a chat's
 * waiting ids are two Redis lists (urgent, routine) and the one message in flight is a record with a lease.
 *
 * A reply's picture is one more record of the reply (kind 'photo'), its PNG base64 inside it: one record per message
 * keeps the scripts' invariant (an id is in one place until ACK) and its retention (the record goes with its ACK or
 * drop) with no second key to leak. Base64 costs a third more, so pictures are bounded (maxPhotoBytes, 1 MiB): a bigger
 * one is logged and told in the chat instead. A picture is an answer, never merged into a digest; while Redis is away
 * it takes the direct line from memory like any reply.
 */
export { type Notification, type NotificationKind, URGENT_KINDS } from './notification.js';
export { planMessage, UNCERTAIN_HEADER, type WaitingNote } from './digest.js';
export { Outbox, type OutboxOptions, type OutboxStats } from './outbox.js';
export type { OutboxEdit, OutboxSend, OutboxSendResult, OutboxTimers } from './outbox-ports.js';
export { outboxNotifier } from './bus-notifications.js';
