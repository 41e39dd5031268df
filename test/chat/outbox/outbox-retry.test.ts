import { describe, expect, it } from 'vitest';
import { type Notification, Outbox } from '../../../src/chat/outbox/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { redisForEachTest } from '../../kit/redis.js';
import { FakeTelegram } from './outbox-kit.js';

const db = redisForEachTest();

/** Moves the clock from its time to `to` in `step` ms, enqueuing what is due at each instant, with one pump per step. */
async function drive(
  clock: ManualClock,
  outbox: Outbox,
  schedule: readonly { readonly at: number; readonly note: Notification }[],
  to: number,
  step = 100,
): Promise<void> {
  let next = 0;
  for (let t = clock.now(); t <= to; t += step) {
    clock.set(t);
    while (next < schedule.length && (schedule[next]?.at ?? Infinity) <= t) await outbox.enqueue(schedule[next++]!.note);
    await outbox.pump();
  }
}

const fillsTold = (lines: readonly string[]): number =>
  lines.reduce((n, line) => {
    const digest = /^✅ (\d+) fills on /.exec(line);
    return n + (digest ? Number(digest[1]) : /^FILL /.test(line) ? 1 : 0);
  }, 0);

describe('the outbox never gives up on a note a transient failure held back', () => {
  it('Telegram answering 5xx for 20 s while 39 fills arrive: every fill is told once Telegram is back, none dropped', async () => {
    const clock = new ManualClock(7_000_000);
    const t0 = clock.now();
    const tg = new FakeTelegram(clock);
    tg.script = (call) => (call.at < t0 + 20_000 ? { ok: false, error: 'Internal Server Error', permanent: false } : undefined);
    const warnings: string[] = [];
    const outbox = new Outbox({
      redis: db.redis,
      keyPrefix: db.prefix,
      send: tg.send,
      clock,
      log: { warn: (_o, msg) => warnings.push(msg) },
    });
    const schedule = Array.from({ length: 39 }, (_, i) => ({
      at: t0 + i * 500,
      note: {
        chatId: 77,
        kind: 'fill',
        text: `FILL BUY ${i}`,
        symbol: 'BTCUSDT',
        fill: { side: 'BUY', quantity: 1n, quote: 10n },
      } satisfies Notification,
    }));

    await drive(clock, outbox, schedule, t0 + 120_000);

    expect(fillsTold(tg.lines())).toBe(39);
    expect(await outbox.pending(77)).toBe(0);
    expect((await outbox.stats()).dropped).toBe(0);
    expect(tg.violations).toBe(0);
    // Retried with backoff meanwhile, not once at the end.
    expect(tg.calls.filter((c) => c.at < t0 + 20_000).length).toBeGreaterThan(3);
    expect(warnings.every((w) => w === 'outbox: send failed')).toBe(true);
  });

  it('the wait between attempts doubles from errorBackoffMs up to errorBackoffCapMs, thrown sends included', async () => {
    const clock = new ManualClock(8_000_000);
    const t0 = clock.now();
    const tg = new FakeTelegram(clock);
    tg.script = (call) => {
      if (call.at >= t0 + 120_000) return undefined;
      if (tg.calls.length % 2 === 0) throw new Error('socket hang up');
      return { ok: false, error: 'Gateway Timeout', permanent: false };
    };
    const outbox = new Outbox({
      redis: db.redis,
      keyPrefix: db.prefix,
      send: tg.send,
      clock,
      errorBackoffMs: 1000,
      errorBackoffCapMs: 20_000,
    });
    await outbox.enqueue({ chatId: 5, kind: 'error', text: 'keeps trying' });

    await drive(clock, outbox, [], t0 + 150_000);

    const gaps = tg.calls.slice(1).map((c, i) => c.at - tg.calls[i]!.at);
    expect(gaps.slice(0, 7)).toEqual([1000, 2000, 4000, 8000, 16_000, 20_000, 20_000]);
    expect(tg.received.map((m) => m.text)).toEqual(['keeps trying']);
    expect(await outbox.stats()).toMatchObject({ messages: 1, notes: 1, dropped: 0, retried: tg.calls.length - 1 });
  });

  it('a permanent refusal (bot blocked) drops the message at once, with a log line and a count; the next note still goes', async () => {
    const clock = new ManualClock(5_000_000);
    const t0 = clock.now();
    const tg = new FakeTelegram(clock);
    tg.script = (_call, n) => (n === 1 ? { ok: false, error: 'Forbidden: bot was blocked by the user', permanent: true } : undefined);
    const warnings: { obj: object; msg: string }[] = [];
    const outbox = new Outbox({
      redis: db.redis,
      keyPrefix: db.prefix,
      send: tg.send,
      clock,
      log: { warn: (obj, msg) => warnings.push({ obj, msg }) },
    });
    await outbox.enqueue({ chatId: 9, kind: 'error', text: 'something broke' });

    await drive(clock, outbox, [{ at: t0 + 2000, note: { chatId: 9, kind: 'state', text: 'unblocked again' } }], t0 + 10_000);

    expect(tg.calls.map((c) => [c.at - t0, c.text])).toEqual([
      [0, 'something broke'],
      [2000, 'unblocked again'],
    ]);
    expect(warnings).toEqual([
      {
        obj: { chatId: '9', error: 'Forbidden: bot was blocked by the user', dropped: 1 },
        msg: 'outbox: Telegram refused a message for good; dropped',
      },
    ]);
    expect(await outbox.stats()).toMatchObject({ messages: 1, notes: 1, dropped: 1, retried: 0 });
    expect(await outbox.pending(9)).toBe(0);
    expect(await db.redis.hlen(`${db.prefix}:outbox:items`)).toBe(0);
    expect(await db.redis.hlen(`${db.prefix}:outbox:fails`)).toBe(0);
  });
});
