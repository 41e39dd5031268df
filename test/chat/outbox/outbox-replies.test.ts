import { describe, expect, it } from 'vitest';
import { type Notification, Outbox, type OutboxSendResult, UNCERTAIN_HEADER } from '../../../src/chat/outbox/index.js';
import type { InlineKeyboard } from '../../../src/chat/telegram/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { redisForEachTest } from '../../kit/redis.js';
import { FakeTelegram, until, virtualTimers } from './outbox-kit.js';

const db = redisForEachTest();

const CHAT = 5151;
const buttons: InlineKeyboard = [
  [
    { text: 'Confirm', callback_data: 'c:1' },
    { text: 'Cancel', callback_data: 'x:1' },
  ],
];
const fill = (i: number): Notification => ({
  chatId: CHAT,
  kind: 'fill',
  text: `✅ Filled BUY ${i}`,
  symbol: 'BTCUSDT',
  fill: { side: 'BUY', quantity: 1n, quote: 10n },
});

function rig(clock = new ManualClock(1_000_000)) {
  const tg = new FakeTelegram(clock);
  const outbox = new Outbox({ redis: db.redis, keyPrefix: db.prefix, send: tg.send, edit: tg.edit, clock });
  /** Moves the clock in steps of `step` ms to `to`, one delivery pass per step. */
  const runTo = async (to: number, step = 100) => {
    for (let t = clock.now(); t <= to; t += step) {
      clock.set(t);
      await outbox.pump();
    }
  };
  return { clock, tg, outbox, runTo };
}

describe('command replies through the outbox (real Redis, simulated clock)', () => {
  it('a long reply goes in parts at line breaks, buttons on the last, alone: never merged with the fills around it', async () => {
    const { clock, tg, outbox, runTo } = rig();
    const t0 = clock.now();
    const lines = Array.from({ length: 400 }, (_, i) => `order ${i} ${'·'.repeat(20)}`);
    await outbox.enqueue(fill(1));
    await outbox.enqueue(fill(2));
    await outbox.reply(CHAT, { text: lines.join('\n'), keyboard: buttons, urgent: false });
    await outbox.enqueue(fill(3));

    await runTo(t0 + 10_000);

    const [fills, ...rest] = tg.received;
    expect(fills!.text).toMatch(/^✅ 2 fills on BTCUSDT/);
    const parts = rest.slice(0, -1);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((p) => p.text.length <= 4096 - UNCERTAIN_HEADER.length - 1)).toBe(true);
    expect(parts.flatMap((p) => p.text.split('\n'))).toEqual(lines);
    expect(parts.map((p) => p.keyboard)).toEqual([...parts.slice(1).map(() => undefined), buttons]);
    expect(parts.every((p) => !p.silent)).toBe(true);
    expect(rest.at(-1)!.text).toBe('✅ Filled BUY 3');
    expect(tg.violations).toBe(0);
    expect(await outbox.pending(CHAT)).toBe(0);
  });

  it('replies keep their order among themselves; an urgent one goes before every routine message waiting', async () => {
    const { clock, tg, outbox, runTo } = rig();
    const t0 = clock.now();
    for (let i = 1; i <= 3; i++) await outbox.reply(CHAT, { text: `reply ${i}`, urgent: false });
    await outbox.enqueue({ chatId: CHAT, kind: 'state', text: 'a note' });
    await outbox.reply(CHAT, { text: 'reply 4', urgent: false });
    await outbox.reply(CHAT, { text: '🛑 Kill switch: trading HALTED', urgent: true });

    await runTo(t0 + 10_000);

    expect(tg.received.map((m) => m.text)).toEqual([
      '🛑 Kill switch: trading HALTED',
      'reply 1',
      'reply 2',
      'reply 3',
      'a note',
      'reply 4',
    ]);
    expect(tg.violations).toBe(0);
  });

  it('under a 429 the kill acknowledgement is the first message when the penalty ends, and no reply is dropped', async () => {
    const { clock, tg, outbox, runTo } = rig();
    const t0 = clock.now();
    tg.script = (_call, n) => (n === 1 ? { ok: false, retryAfterMs: 7000 } : undefined);
    for (let i = 1; i <= 5; i++) await outbox.enqueue(fill(i));
    await outbox.reply(CHAT, { text: '/status: ACTIVE', urgent: false });
    await runTo(t0 + 2000);
    expect(tg.calls).toHaveLength(1);

    await outbox.reply(CHAT, { text: '🛑 Kill switch engaged', urgent: true });
    await runTo(t0 + 15_000);

    const after = tg.calls.slice(1);
    expect(after[0]).toMatchObject({ at: t0 + 7000, text: '🛑 Kill switch engaged' });
    expect(after.slice(1).map((c) => c.text)).toEqual([expect.stringMatching(/^✅ 5 fills on BTCUSDT/), '/status: ACTIVE']);
    expect(tg.violations).toBe(0);
    const stats = await outbox.stats();
    expect(stats).toMatchObject({ messages: 3, dropped: 0, last429: { at: t0, retryAfterMs: 7000 } });
  });

  it('an edit is paced like a message, names its message, and goes before the routine ones waiting', async () => {
    const { clock, tg, outbox, runTo } = rig();
    const t0 = clock.now();
    await outbox.enqueue({ chatId: CHAT, kind: 'state', text: 'routine' });
    await outbox.reply(CHAT, { text: 'Grid preview', keyboard: buttons, urgent: true });
    await outbox.edit(CHAT, 42, 'Grid preview\n\n☑️ Confirmed → Grid G1 started');
    await outbox.reply(CHAT, { text: 'Grid G1 started', urgent: false });

    await runTo(t0 + 10_000);

    expect(tg.calls.map((c) => [c.at - t0, c.text, c.editOf])).toEqual([
      [0, 'Grid preview', undefined],
      [1000, 'Grid preview\n\n☑️ Confirmed → Grid G1 started', 42],
      [2000, 'routine', undefined],
      [3000, 'Grid G1 started', undefined],
    ]);
    expect(tg.violations).toBe(0);
  });

  it('a reply queued by one process is delivered by the next after a restart, flagged when a crash left it maybe sent', async () => {
    const clock = new ManualClock(2_000_000);
    const tg = new FakeTelegram(clock);
    let release: ((r: OutboxSendResult) => void) | undefined;
    tg.script = (_call, n) => (n === 1 ? new Promise<OutboxSendResult>((r) => (release = r)) : undefined);
    const options = { redis: db.redis, keyPrefix: db.prefix, send: tg.send, clock, timers: virtualTimers(clock), leaseMs: 30_000 };
    const long = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(30)}`).join('\n');
    const dying = new Outbox(options);
    await dying.reply(CHAT, { text: long, keyboard: buttons, urgent: false });
    dying.start();
    await until(() => release !== undefined);

    const heir = new Outbox(options);
    heir.start();
    await until(async () => (await heir.pending(CHAT)) === 0);
    await heir.stop();
    release!({ ok: true });
    await dying.stop();

    const [hung, ...delivered] = tg.calls;
    expect(delivered[0]!.text).toBe(`${UNCERTAIN_HEADER}\n${hung!.text}`);
    expect(delivered.every((m) => m.text.length <= 4096)).toBe(true);
    expect(delivered.slice(1).flatMap((m) => m.text.split('\n'))).toEqual(long.split('\n').slice(hung!.text.split('\n').length));
    expect(delivered.at(-1)!.keyboard).toEqual(buttons);
  });

  it('stats: depth per lane, the oldest waiting note, what was sent', async () => {
    const { clock, outbox } = rig();
    const t0 = clock.now();
    expect(await outbox.stats()).toEqual({ messages: 0, notes: 0, dropped: 0, retried: 0, waiting: { urgent: 0, routine: 0 }, direct: 0 });
    await outbox.enqueue(fill(1));
    clock.set(t0 + 4000);
    await outbox.reply(CHAT, { text: 'two\nlines', urgent: true });
    await outbox.enqueue({ chatId: -100200, kind: 'state', text: 'a group note' });
    clock.set(t0 + 9000);

    expect(await outbox.stats()).toEqual({
      messages: 0,
      notes: 0,
      dropped: 0,
      retried: 0,
      waiting: { urgent: 1, routine: 2, oldestAgeMs: 9000 },
      direct: 0,
    });
    await outbox.pump();
    expect(await outbox.stats()).toMatchObject({ messages: 2, notes: 2, waiting: { urgent: 0, routine: 1, oldestAgeMs: 9000 } });
  });
});
