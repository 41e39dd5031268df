import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../src/chat/outbox/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { closedPort, redisForEachTest } from '../../kit/redis.js';
import { FakeTelegram, until, virtualTimers } from './outbox-kit.js';

const db = redisForEachTest();

const CHAT = 6161;

describe('the direct line: what must not wait for Redis (real Redis where there is one, virtual time)', () => {
  it("an alert keeps the chat's pace with the outbox's own sends, and a 429 on it holds the outbox's next send too", async () => {
    const clock = new ManualClock(1_000_000);
    const t0 = clock.now();
    const tg = new FakeTelegram(clock);
    // Sleeps the test ends by hand, each moving the clock to where it was meant to end.
    const sleeps: Array<() => void> = [];
    const timers = {
      sleep: (ms: number) =>
        new Promise<void>((resolve) => {
          const end = clock.now() + ms;
          sleeps.push(() => (clock.set(Math.max(clock.now(), end)), resolve()));
        }),
    };
    const wake = async () => {
      await until(() => sleeps.length === 1);
      sleeps.shift()!();
    };
    const outbox = new Outbox({ redis: db.redis, keyPrefix: db.prefix, send: tg.send, clock, timers });
    await outbox.enqueue({ chatId: CHAT, kind: 'state', text: 'through Redis' });
    await outbox.pump();
    clock.set(t0 + 100);
    tg.script = (_call, n) => (n === 2 ? { ok: false, retryAfterMs: 4000 } : undefined);
    outbox.alert(CHAT, '⚠️ Redis connection lost');
    await wake(); // the chat's pace: until t0 + 1000
    await until(() => tg.calls.length === 2); // 429: wait 4 s

    // Redis's window knows only the first message; this process knows the 429 and holds its own next send.
    await outbox.enqueue({ chatId: CHAT, kind: 'state', text: 'after the alert' });
    clock.set(t0 + 2000);
    await outbox.pump();
    expect(tg.calls).toHaveLength(2);
    await wake();
    await until(() => tg.received.length === 2);
    clock.set(t0 + 5500);
    await outbox.pump();
    clock.set(t0 + 6000);
    await outbox.pump();

    expect(tg.calls.map((c) => [c.at - t0, c.text])).toEqual([
      [0, 'through Redis'],
      [1000, '⚠️ Redis connection lost'],
      [5000, '⚠️ Redis connection lost'],
      [6000, 'after the alert'],
    ]);
    expect(tg.violations).toBe(0);
    expect(await outbox.stats()).toMatchObject({ messages: 3, direct: 0, last429: { at: t0 + 1000, retryAfterMs: 4000 } });
  });

  it('an alert is tried a few times on error answers, then given up with a count; a permanent refusal at once', async () => {
    const clock = new ManualClock(2_000_000);
    const tg = new FakeTelegram(clock);
    tg.script = (call) =>
      call.text === 'gone' ? { ok: false, error: 'Bad Request: chat not found', permanent: true } : { ok: false, error: 'Bad Gateway' };
    const warnings: object[] = [];
    const outbox = new Outbox({
      redis: db.redis,
      keyPrefix: db.prefix,
      send: tg.send,
      clock,
      timers: virtualTimers(clock),
      directAttempts: 3,
      log: { warn: (o) => warnings.push(o) },
    });
    outbox.alert(CHAT, 'unlucky');
    outbox.alert(-CHAT, 'gone');
    await until(async () => (await outbox.stats()).dropped === 2);

    expect(tg.calls.filter((c) => c.text === 'unlucky').map((c) => c.at - 2_000_000)).toEqual([0, 1000, 3000]);
    expect(tg.calls.filter((c) => c.text === 'gone')).toHaveLength(1);
    expect(warnings).toContainEqual({ chatId: CHAT, error: 'Bad Gateway', attempt: 3, givenUp: true });
    expect(await outbox.stats()).toMatchObject({ direct: 0, dropped: 2 });
  });

  it('with Redis unreachable a reply and an edit go straight to Telegram instead of waiting for it', async () => {
    const clock = new ManualClock(3_000_000);
    const tg = new FakeTelegram(clock);
    // A client that never connected: any command would wait in its offline queue.
    const down = new Redis(`redis://127.0.0.1:${await closedPort()}`, { lazyConnect: true });
    try {
      const outbox = new Outbox({
        redis: down,
        keyPrefix: 'never-used',
        send: tg.send,
        edit: tg.edit,
        clock,
        timers: virtualTimers(clock),
      });
      await outbox.reply(CHAT, { text: 'routine answer', urgent: false });
      await outbox.reply(CHAT, { text: '🛑 Kill switch engaged', urgent: true });
      await outbox.edit(CHAT, 7, 'preview ☑️');
      await until(() => tg.received.length === 3);

      // The first was already on its way; the urgent ones overtake what waited behind it.
      expect(tg.received.map((m) => [m.at - 3_000_000, m.text, m.editOf])).toEqual([
        [0, 'routine answer', undefined],
        [1000, '🛑 Kill switch engaged', undefined],
        [2000, 'preview ☑️', 7],
      ]);
      const stats = await outbox.stats();
      expect(stats.waiting).toBeUndefined();
      expect(stats).toMatchObject({ messages: 3, direct: 0 });
      await outbox.stop();
    } finally {
      down.disconnect();
    }
  });
});
