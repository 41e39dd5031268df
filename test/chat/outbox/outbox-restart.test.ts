import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxSendResult, UNCERTAIN_HEADER } from '../../../src/chat/outbox/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { redisForEachTest } from '../../kit/redis.js';
import { FakeTelegram, until, virtualTimers } from './outbox-kit.js';

const db = redisForEachTest();

const CHAT = 31337;
const noteText = (i: number): string => `note #${i} ${'·'.repeat(20)}`;

function deliveries(lines: readonly string[]): Map<number, number> {
  const seen = new Map<number, number>();
  for (const line of lines) {
    const m = /^note #(\d+) /.exec(line);
    if (m) seen.set(Number(m[1]), (seen.get(Number(m[1])) ?? 0) + 1);
  }
  return seen;
}

describe('Outbox across restarts (real Redis, virtual time)', () => {
  it('50 queued, stopped mid-way, a new instance on the same prefix delivers the rest: all 50, none twice', async () => {
    const clock = new ManualClock(2_000_000);
    const tg = new FakeTelegram(clock);
    // A small text limit makes the 50 take many messages, so the stop lands in the middle.
    const options = { redis: db.redis, keyPrefix: db.prefix, send: tg.send, clock, timers: virtualTimers(clock), textLimit: 150 };
    const first = new Outbox(options);
    for (let i = 0; i < 50; i++) await first.enqueue({ chatId: CHAT, kind: 'recovery', text: noteText(i) });
    expect(await first.pending(CHAT)).toBe(50);

    first.start();
    await until(() => tg.received.length >= 3);
    await first.stop();
    const sentByFirst = tg.received.length;
    const left = await first.pending(CHAT);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(50);

    const second = new Outbox(options);
    second.start();
    await until(async () => (await second.pending(CHAT)) === 0);
    await second.stop();

    const seen = deliveries(tg.lines());
    expect(seen.size).toBe(50);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(tg.received.length).toBeGreaterThan(sentByFirst);
    expect(tg.violations).toBe(0);
    expect((await first.stats()).notes + (await second.stats()).notes).toBe(50);
  });

  it('a process that dies mid-send: after the lease the chat is taken over and that message is resent, flagged', async () => {
    const clock = new ManualClock(3_000_000);
    const tg = new FakeTelegram(clock);
    let release: ((r: OutboxSendResult) => void) | undefined;
    // The second message hangs: its process is as good as dead, and nobody knows whether Telegram got it.
    tg.script = (_call, n) => (n === 2 ? new Promise<OutboxSendResult>((r) => (release = r)) : undefined);
    const warnings: string[] = [];
    const options = {
      redis: db.redis,
      keyPrefix: db.prefix,
      send: tg.send,
      clock,
      timers: virtualTimers(clock),
      textLimit: 150,
      leaseMs: 30_000,
      log: { warn: (_o: object, msg: string) => warnings.push(msg) },
    };
    const dying = new Outbox(options);
    for (let i = 0; i < 20; i++) await dying.enqueue({ chatId: CHAT, kind: 'recovery', text: noteText(i) });
    dying.start();
    await until(() => release !== undefined);
    const hungAt = clock.now();
    const hungText = tg.calls[1]!.text;

    const heir = new Outbox(options);
    heir.start();
    await until(async () => (await heir.pending(CHAT)) === 0);
    await heir.stop();

    const resent = tg.received.find((m) => m.text.startsWith(UNCERTAIN_HEADER));
    expect(resent).toBeDefined();
    expect(resent!.at).toBeGreaterThanOrEqual(hungAt + 30_000);
    // The header takes room, so the resent notes may need more than one message; each carries the header.
    const flagged = tg.received.filter((m) => m.text.startsWith(UNCERTAIN_HEADER)).flatMap((m) => m.text.split('\n').slice(1));
    expect(flagged).toEqual(hungText.split('\n'));
    expect(warnings).toContain('outbox: took over a message a stopped process may have sent');

    // The dead send turns out to have gone through after all: its notes were seen twice, every other note once.
    release!({ ok: true });
    await dying.stop();
    expect(warnings).toContain('outbox: a send outlived its lease; another process may repeat it');
    const inHung = new Set(deliveries(hungText.split('\n')).keys());
    const seen = deliveries(tg.lines());
    expect(seen.size).toBe(20);
    for (const [i, n] of seen) expect(n).toBe(inHung.has(i) ? 2 : 1);
    expect(await db.redis.hlen(`${db.prefix}:outbox:items`)).toBe(0);
  });

  it("with onUncertain 'drop' the maybe-sent message is not repeated", async () => {
    const clock = new ManualClock(4_000_000);
    const tg = new FakeTelegram(clock);
    let release: ((r: OutboxSendResult) => void) | undefined;
    tg.script = (_call, n) => (n === 1 ? new Promise<OutboxSendResult>((r) => (release = r)) : undefined);
    const options = {
      redis: db.redis,
      keyPrefix: db.prefix,
      send: tg.send,
      clock,
      timers: virtualTimers(clock),
      textLimit: 150,
      leaseMs: 30_000,
      onUncertain: 'drop' as const,
    };
    const dying = new Outbox(options);
    for (let i = 0; i < 10; i++) await dying.enqueue({ chatId: CHAT, kind: 'recovery', text: noteText(i) });
    dying.start();
    await until(() => release !== undefined);
    const hung = deliveries(tg.calls[0]!.text.split('\n'));

    const heir = new Outbox(options);
    heir.start();
    await until(async () => (await heir.pending(CHAT)) === 0);
    await heir.stop();
    release!({ ok: true });
    await dying.stop();

    const seen = deliveries(tg.lines());
    expect(seen.size).toBe(10);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(tg.received.some((m) => m.text.startsWith(UNCERTAIN_HEADER))).toBe(false);
    expect(hung.size).toBeGreaterThan(0);
  });
});
