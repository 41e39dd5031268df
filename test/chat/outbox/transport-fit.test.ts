import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxSend } from '../../../src/chat/outbox/index.js';
import type { TelegramTransport } from '../../../src/chat/telegram/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { redisForEachTest } from '../../kit/redis.js';

const db = redisForEachTest();

/** Whatever the transport's notify answers, named however it is named today. */
type SendResult = Awaited<ReturnType<TelegramTransport['notify']>>;

describe("the grammY transport's SendResult plugs straight into the outbox", () => {
  it('rate_limited pauses the chat, failed is logged with its description, ok settles', async () => {
    const clock = new ManualClock(100_000);
    const answers: SendResult[] = [
      { ok: false, kind: 'rate_limited', retryAfterMs: 3000, delivered: 0 },
      { ok: false, kind: 'failed', error: 'Bad Request: chat not found', permanent: true, delivered: 0 },
      { ok: true, messageIds: [17] },
    ];
    const at: number[] = [];
    // Typed as the transport's notify would be: no adapter in between.
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
      await outbox.pump();
    }
    expect(at).toEqual([100_000, 103_000, 104_000]);
    expect(errors).toEqual(['Bad Request: chat not found']);
    expect(outbox.stats()).toEqual({ messages: 1, notes: 1, dropped: 0 });
  });
});
