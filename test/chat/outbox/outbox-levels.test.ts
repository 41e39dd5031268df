import { describe, expect, it } from 'vitest';
import { type Notification, Outbox } from '../../../src/chat/outbox/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { redisForEachTest } from '../../kit/redis.js';
import { FakeTelegram } from './outbox-kit.js';

const db = redisForEachTest();

const CHAT = 55;
const note = (kind: Notification['kind'], text: string, extra: Partial<Notification> = {}): Notification => ({
  chatId: CHAT,
  kind,
  text,
  ...extra,
});

describe('Outbox urgency and levels (real Redis)', () => {
  it('urgent notes jump the routine queue and are never merged with routine ones', async () => {
    const clock = new ManualClock(10_000);
    const tg = new FakeTelegram(clock);
    const outbox = new Outbox({ redis: db.redis, keyPrefix: db.prefix, send: tg.send, clock });
    await outbox.enqueue(note('position', 'pos 1'));
    await outbox.enqueue(note('round_trip', 'rt 1'));
    await outbox.enqueue(note('kill', 'KILL receipt'));
    await outbox.enqueue(note('data', 'data 1'));
    await outbox.enqueue(note('denial', 'DENIED'));
    await outbox.enqueue(note('error', 'ERROR forced urgent', { urgent: true }));
    await outbox.enqueue(note('unknown_order', 'UNKNOWN order', { urgent: false }));

    for (const t of [10_000, 11_000, 12_000]) {
      clock.set(t);
      await outbox.pump();
    }

    expect(tg.received.map((m) => m.text)).toEqual(['KILL receipt\nDENIED\nERROR forced urgent', 'pos 1\nrt 1\ndata 1\nUNKNOWN order']);
    expect(tg.violations).toBe(0);
  });

  it('an urgent note that arrives while routine ones wait goes first', async () => {
    const clock = new ManualClock(20_000);
    const tg = new FakeTelegram(clock);
    const outbox = new Outbox({ redis: db.redis, keyPrefix: db.prefix, send: tg.send, clock });
    await outbox.enqueue(note('data', 'first'));
    await outbox.pump();
    for (let i = 0; i < 5; i++) await outbox.enqueue(note('position', `routine ${i}`));
    clock.set(20_500);
    await outbox.pump();
    await outbox.enqueue(note('kill', 'KILL'));
    for (const t of [21_000, 22_000]) {
      clock.set(t);
      await outbox.pump();
    }
    expect(tg.received.map((m) => [m.at, m.text])).toEqual([
      [20_000, 'first'],
      [21_000, 'KILL'],
      [22_000, 'routine 0\nroutine 1\nroutine 2\nroutine 3\nroutine 4'],
    ]);
  });

  it("'off' kinds are never stored nor sent; 'silent' ones go with silent, and a digest is silent only if all of it is", async () => {
    const clock = new ManualClock(30_000);
    const tg = new FakeTelegram(clock);
    const outbox = new Outbox({
      redis: db.redis,
      keyPrefix: db.prefix,
      send: tg.send,
      clock,
      levels: { position: 'off', data: 'silent', round_trip: 'silent' },
    });
    expect(await outbox.enqueue(note('position', 'never'))).toBeUndefined();
    expect(await db.redis.exists(`${db.prefix}:outbox:items`)).toBe(0);
    expect(await outbox.pump()).toBeUndefined();

    expect(await outbox.enqueue(note('data', 'quiet 1'))).toMatch(/^\d+$/);
    await outbox.pump();
    await outbox.enqueue(note('data', 'quiet 2'));
    await outbox.enqueue(note('round_trip', 'quiet 3'));
    await outbox.enqueue(note('position', 'never again'));
    clock.set(31_000);
    await outbox.pump();
    await outbox.enqueue(note('data', 'quiet 4'));
    await outbox.enqueue(note('recovery', 'loud'));
    clock.set(32_000);
    await outbox.pump();

    expect(tg.received.map((m) => [m.text, m.silent])).toEqual([
      ['quiet 1', true],
      ['quiet 2\nquiet 3', true],
      ['quiet 4\nloud', false],
    ]);
    expect(tg.lines().some((l) => l.startsWith('never'))).toBe(false);
  });
});
