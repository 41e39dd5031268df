import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../src/chat/outbox/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { fx } from '../../../src/domain/index.js';
import { redisForEachTest } from '../../kit/redis.js';
import { FakeTelegram, until, virtualTimers } from './outbox-kit.js';

const db = redisForEachTest();

const CHAT = 4242;
const OTHER = 4343;

function rig() {
  const clock = new ManualClock(5_000_000);
  const tg = new FakeTelegram(clock);
  const warnings: { obj: object; msg: string }[] = [];
  const outbox = new Outbox({
    redis: db.redis,
    keyPrefix: db.prefix,
    send: tg.send,
    clock,
    timers: virtualTimers(clock),
    log: { warn: (obj, msg) => warnings.push({ obj, msg }) },
  });
  return { clock, tg, warnings, outbox };
}

const setAsideWarnings = (w: { msg: string }[]) => w.filter((x) => x.msg.includes('set aside'));

describe('a damaged outbox entry does not silence the chat', () => {
  it('a note that is not JSON: the others arrive, it is set aside in the dead-letter hash and reported once', async () => {
    const { tg, warnings, outbox } = rig();
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await outbox.enqueue({ chatId: CHAT, kind: 'recovery', text: `note ${i}` }))!);
    await outbox.enqueue({ chatId: OTHER, kind: 'recovery', text: 'other chat' });
    await db.redis.hset(`${db.prefix}:outbox:items`, ids[1]!, '{"k":"recovery","t":');

    outbox.start();
    await until(async () => (await outbox.pending(CHAT)) === 0 && tg.lines().some((l) => l.includes('set aside')));
    await outbox.stop();

    const lines = tg.lines();
    for (const i of [1, 3, 4, 5]) expect(lines).toContain(`note ${i}`);
    expect(lines).not.toContain('note 2');
    expect(lines).toContain('other chat');
    expect(await db.redis.hget(`${db.prefix}:outbox:dead`, `note:${ids[1]}`)).toBe('{"k":"recovery","t":');
    expect(setAsideWarnings(warnings)).toHaveLength(1);
    const told = lines.filter((l) => l.includes('set aside'));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`${db.prefix}:outbox:dead`);
  });

  it('a fill whose amount is not an integer (the digest could not add it up): the other fills arrive, summed exactly', async () => {
    const { tg, outbox } = rig();
    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const fill = { side: 'BUY' as const, quantity: fx('0.001'), quote: fx('95') };
      ids.push((await outbox.enqueue({ chatId: CHAT, kind: 'fill', symbol: 'BTCUSDT', text: `fill ${i}`, fill }))!);
    }
    const raw = (await db.redis.hget(`${db.prefix}:outbox:items`, ids[2]!))!;
    await db.redis.hset(`${db.prefix}:outbox:items`, ids[2]!, raw.replace('"q":"100000"', '"q":"0.001"'));

    outbox.start();
    await until(async () => (await outbox.pending(CHAT)) === 0 && tg.lines().some((l) => l.includes('set aside')));
    await outbox.stop();

    const digest = tg.lines().find((l) => l.includes('fills on BTCUSDT'));
    expect(digest).toMatch(/^✅ 3 fills on BTCUSDT .*3 buys 0\.003 for 285/);
    expect(await db.redis.hexists(`${db.prefix}:outbox:dead`, `note:${ids[2]}`)).toBe(1);
  });

  it('an edit that names no message is set aside, not sent as a new message', async () => {
    const { tg, outbox } = rig();
    await outbox.reply(CHAT, { text: 'before', urgent: true });
    await outbox.edit(CHAT, 12, 'edited');
    await outbox.reply(CHAT, { text: 'after', urgent: true });
    const [id] = await db.redis.lrange(`${db.prefix}:outbox:q:${CHAT}:u`, 1, 1);
    const raw = (await db.redis.hget(`${db.prefix}:outbox:items`, id!))!;
    await db.redis.hset(`${db.prefix}:outbox:items`, id!, raw.replace(',"e":12', ''));

    outbox.start();
    await until(async () => (await outbox.pending(CHAT)) === 0 && tg.lines().some((l) => l.includes('set aside')));
    await outbox.stop();

    expect(tg.calls.map((c) => c.text).filter((t) => !t.includes('set aside'))).toEqual(['before', 'after']);
    expect(await db.redis.hexists(`${db.prefix}:outbox:dead`, `note:${id}`)).toBe(1);
  });

  it('an in-flight record that is not one: set aside, and the chat delivers again at once', async () => {
    const { tg, warnings, outbox } = rig();
    for (let i = 1; i <= 3; i++) await outbox.enqueue({ chatId: CHAT, kind: 'recovery', text: `note ${i}` });
    await db.redis.set(`${db.prefix}:outbox:inflight:${CHAT}`, 'garbage');

    outbox.start();
    await until(async () => (await outbox.pending(CHAT)) === 0 && tg.lines().some((l) => l.includes('set aside')));
    await outbox.stop();

    for (const i of [1, 2, 3]) expect(tg.lines()).toContain(`note ${i}`);
    const dead = await db.redis.hgetall(`${db.prefix}:outbox:dead`);
    expect(Object.entries(dead)).toEqual([[expect.stringMatching(new RegExp(`^inflight:${CHAT}:`)), 'garbage']]);
    expect(setAsideWarnings(warnings)).toHaveLength(1);
  });

  it('counts what waits even while a claim holds the chat (cjson writes its empty lists as {})', async () => {
    const { outbox, clock } = rig();
    await outbox.enqueue({ chatId: CHAT, kind: 'recovery', text: 'waiting' });
    // What CLAIM leaves between the claim and the commit of a message.
    const lease = { owner: 'another-process', leaseUntil: String(clock.now() + 60_000), sending: false, u: {}, r: {} };
    await db.redis.set(`${db.prefix}:outbox:inflight:${CHAT}`, JSON.stringify(lease));
    expect(await outbox.pending(CHAT)).toBe(1);
  });
});
