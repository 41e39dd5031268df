import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxSend } from '../../../src/chat/outbox/index.js';
import type { TelegramOut } from '../../../src/chat/telegram/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { redisForEachTest } from '../../kit/redis.js';

const db = redisForEachTest();

/** Whatever the transport's send answers (TelegramSendResult), as the reply sink's port names it. */
type SendResult = Awaited<ReturnType<TelegramOut['send']>>;

describe("the transport's TelegramSendResult plugs straight into the outbox", () => {
  it('rate_limited pauses the chat, a transient failure is retried after a backoff, a permanent one drops, ok settles', async () => {
    const clock = new ManualClock(100_000);
    const answers: SendResult[] = [
      { ok: false, kind: 'rate_limited', retryAfterMs: 3000, delivered: 0 },
      { ok: false, kind: 'failed', error: 'Bad Gateway', permanent: false, delivered: 0 },
      { ok: true, messageIds: [17] },
      { ok: false, kind: 'failed', error: 'Bad Request: chat not found', permanent: true, delivered: 0 },
    ];
    const at: number[] = [];
    // Typed as TelegramOut.send is: no adapter in between.
    const send: OutboxSend = async () => {
      at.push(clock.now());
      return answers.shift()!;
    };
    const errors: unknown[] = [];
    const outbox = new Outbox({
      redis: db.redis,
      keyPrefix: db.prefix,
      send,
      clock,
      errorBackoffMs: 1000,
      log: { warn: (o) => errors.push((o as { error?: unknown }).error) },
    });
    await outbox.enqueue({ chatId: 3, kind: 'recovery', text: 'recovered' });
    for (let t = 100_000; t <= 110_000; t += 100) {
      clock.set(t);
      // Queued once the first is delivered, so it goes as a message of its own.
      if (t === 105_000) await outbox.enqueue({ chatId: 3, kind: 'recovery', text: 'to a chat that is gone' });
      await outbox.pump();
    }
    expect(at).toEqual([100_000, 103_000, 104_000, 105_000]);
    expect(errors).toEqual(['Bad Gateway', 'Bad Request: chat not found']);
    expect(await outbox.stats()).toMatchObject({ messages: 1, notes: 1, dropped: 1, retried: 1 });
    expect(await outbox.pending(3)).toBe(0);
  });
});
