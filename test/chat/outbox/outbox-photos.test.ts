/**
 * Pictures through the outbox: real Redis, the real grammY transport (polling), the fake Bot API on loopback, and one
 * clock for the outbox and the fake, moved by hand between delivery passes so pacing is checked without timing.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnyCommand, defineCommand, noArgs, Outbox, type OutboxOptions, UNCERTAIN_HEADER } from '../../../src/chat/index.js';
import { ok } from '../../../src/domain/index.js';
import { closedPort, redisForEachTest } from '../../kit/redis.js';
import { sha256, tinyPng } from '../../kit/tiny-png.js';
import { until } from '../../kit/until.js';
import { alice, aliceDm, type Rig, startRig } from '../telegram/harness.js';

const db = redisForEachTest();

let rig: Rig | undefined;
let outbox: Outbox | undefined;
afterEach(async () => {
  await outbox?.stop();
  await rig?.close();
  outbox = undefined;
  rig = undefined;
});

const CHART = tinyPng(120, 80);

/** A test-only command whose reply is a line of text and a chart. */
function pictureCommand(): AnyCommand {
  return defineCommand({
    name: 'picture',
    role: 'viewer',
    summary: 'A reply with a picture (test only).',
    usage: '/picture',
    example: '/picture',
    args: noArgs,
    handler: async () => ok(undefined),
    render: () => ({ text: 'Chart below.', photo: { png: CHART, caption: 'BTCUSDT · 1h', filename: 'btcusdt-1h.png' } }),
  });
}

/** The rig with the outbox as its reply sink, both on the rig's hand-moved clock. */
/** A second process's outbox on the same prefix, sending through the same transport (no edits, no log). */
function anotherOutbox(r: Rig, over: Partial<OutboxOptions> = {}): Outbox {
  return new Outbox({
    redis: db.redis,
    keyPrefix: db.prefix,
    send: (chatId, text, options) => r.transport.send(chatId, text, options),
    sendPhoto: (chatId, png, caption, options) => r.transport.sendPhoto(chatId, png, caption, options),
    clock: { now: () => r.clock.now },
    ...over,
  });
}

async function start(over: Partial<OutboxOptions> = {}): Promise<{ rig: Rig; outbox: Outbox; warnings: string[] }> {
  const warnings: string[] = [];
  const box = new Outbox({
    redis: db.redis,
    keyPrefix: db.prefix,
    send: (chatId, text, options) => rig!.transport.send(chatId, text, options),
    edit: (chatId, messageId, text) => rig!.transport.edit(chatId, messageId, text),
    sendPhoto: (chatId, png, caption, options) => rig!.transport.sendPhoto(chatId, png, caption, options),
    clock: { now: () => rig!.clock.now },
    log: { warn: (_obj, msg) => warnings.push(msg) },
    ...over,
  });
  outbox = box;
  rig = await startRig({ replies: box }, (fake) => fake.addChat(aliceDm, undefined, alice), [pictureCommand()]);
  return { rig, outbox: box, warnings };
}

/** Delivery passes 100 ms of the shared clock apart until `done` (bounded), letting the poller run between them. */
async function deliverUntil(r: Rig, box: Outbox, done: () => boolean | Promise<boolean>): Promise<void> {
  for (let pass = 0; pass < 2_000; pass++) {
    if (await done()) return;
    await box.pump();
    r.clock.now += 100;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error('not delivered');
}

/** When each message method succeeded on the fake, in the shared clock's ms. */
function deliveries(r: Rig): { method: string; time: number }[] {
  return r.fake
    .requests()
    .filter((q) => (q.method === 'sendMessage' || q.method === 'sendPhoto') && q.status === 200)
    .map((q) => ({ method: q.method, time: q.time }));
}

describe('pictures through the outbox to the fake Bot API', () => {
  it("a command's picture arrives after its text, with its caption and exactly its bytes", async () => {
    const { rig, outbox } = await start();
    rig.fake.userSends(aliceDm, alice, '/picture');
    await deliverUntil(rig, outbox, () => rig.fake.photos(aliceDm.id).length === 1);
    const [text, picture] = rig.fake.messages(aliceDm.id);
    expect(text!.text).toBe('Chart below.');
    expect(picture!.caption).toBe('BTCUSDT · 1h');
    const [photo] = rig.fake.photos(aliceDm.id);
    expect(sha256(photo!.bytes!)).toBe(sha256(CHART));
    const upload = rig.fake.sent(aliceDm.id).find((s) => s.method === 'sendPhoto')!;
    expect(upload.params).toMatchObject({ caption: 'BTCUSDT · 1h', photo: { filename: 'btcusdt-1h.png', size: CHART.length } });
    expect(await outbox.pending(aliceDm.id)).toBe(0);
  });

  it('two pictures and a text to one chat go a second apart, never merged with the notifications around them', async () => {
    const { rig, outbox } = await start();
    rig.fake.enforceTelegramLimits();
    const second = tinyPng(120, 80, 1);
    await outbox.enqueue({ chatId: aliceDm.id, kind: 'recovery', text: 'note one' });
    await outbox.reply(aliceDm.id, { text: '', urgent: false, photo: { png: CHART, caption: 'first', filename: 'a.png' } });
    await outbox.reply(aliceDm.id, { text: 'between', urgent: false });
    await outbox.reply(aliceDm.id, { text: '', urgent: false, photo: { png: second, caption: 'second', filename: 'b.png' } });
    await outbox.enqueue({ chatId: aliceDm.id, kind: 'recovery', text: 'note two' });
    await deliverUntil(rig, outbox, async () => (await outbox.pending(aliceDm.id)) === 0);

    expect(rig.fake.messages(aliceDm.id).map((m) => m.caption ?? m.text)).toEqual(['note one', 'first', 'between', 'second', 'note two']);
    expect(rig.fake.photos(aliceDm.id).map((p) => sha256(p.bytes!))).toEqual([sha256(CHART), sha256(second)]);
    const times = deliveries(rig).map((d) => d.time);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1_000);
    expect(rig.fake.violations()).toEqual([]);
  });

  it('a 429 on sendPhoto delays the picture until retry_after has passed, then delivers it once', async () => {
    const { rig, outbox } = await start();
    rig.fake.inject429({ chatId: aliceDm.id, method: 'sendPhoto', retryAfter: 3, count: 1 });
    await outbox.reply(aliceDm.id, { text: '', urgent: false, photo: { png: CHART, caption: 'later', filename: 'c.png' } });
    await outbox.reply(aliceDm.id, { text: 'after the picture', urgent: false });
    await deliverUntil(rig, outbox, async () => (await outbox.pending(aliceDm.id)) === 0);

    const tries = rig.fake.requests().filter((q) => q.method === 'sendPhoto');
    expect(tries.map((q) => q.status)).toEqual([429, 200]);
    expect(tries[1]!.time - tries[0]!.time).toBeGreaterThanOrEqual(3_000);
    expect(rig.fake.messages(aliceDm.id).map((m) => m.caption ?? m.text)).toEqual(['later', 'after the picture']);
    expect(sha256(rig.fake.photos(aliceDm.id)[0]!.bytes!)).toBe(sha256(CHART));
    expect((await outbox.stats()).last429).toMatchObject({ retryAfterMs: 3_000 });
  });

  it('a picture over the size bound is refused with a log line, and the chat is told in its place', async () => {
    const { rig, outbox, warnings } = await start({ maxPhotoBytes: 100 });
    await outbox.reply(aliceDm.id, { text: 'Chart below.', urgent: false, photo: { png: CHART, caption: 'big', filename: 'big.png' } });
    await deliverUntil(rig, outbox, async () => (await outbox.pending(aliceDm.id)) === 0);

    expect(warnings).toEqual(['outbox: a picture is larger than the outbox keeps; not sent']);
    expect(rig.fake.photos(aliceDm.id)).toEqual([]);
    expect(rig.fake.requests().filter((q) => q.method === 'sendPhoto')).toEqual([]);
    expect(rig.fake.messages(aliceDm.id).map((m) => m.text)).toEqual([
      `Chart below.\n✗ The picture big.png could not be sent: it is ${Math.ceil(CHART.length / 1024)} KB, over the 1 KB limit.`,
    ]);
  });

  it('a caption too long for Telegram goes whole as text before the picture, which goes bare', async () => {
    const { rig, outbox } = await start();
    const caption = `Levels: ${Array.from({ length: 200 }, () => '▲ 7561').join(' ')}`;
    await outbox.reply(aliceDm.id, { text: 'Chart below.', urgent: false, photo: { png: CHART, caption, filename: 'd.png' } });
    await deliverUntil(rig, outbox, async () => (await outbox.pending(aliceDm.id)) === 0);
    const [text, picture] = rig.fake.messages(aliceDm.id);
    expect(text!.text).toBe(`Chart below.\n${caption}`);
    expect(picture!.caption).toBeUndefined();
    expect(rig.fake.photos(aliceDm.id)).toHaveLength(1);
  });

  it('a queued picture outlives its process: another outbox on the prefix delivers it', async () => {
    const { rig, outbox: first } = await start();
    await first.reply(aliceDm.id, { text: '', urgent: false, photo: { png: CHART, caption: 'kept', filename: 'e.png' } });
    await first.stop(); // never pumped: the picture waits in Redis only
    const second = anotherOutbox(rig);
    await deliverUntil(rig, second, async () => (await second.pending(aliceDm.id)) === 0);
    expect(rig.fake.photos(aliceDm.id).map((p) => [p.caption, sha256(p.bytes!)])).toEqual([['kept', sha256(CHART)]]);
  });

  it('a picture whose process died mid-upload is taken over after the lease and sent again, flagged', async () => {
    const { rig, outbox: first } = await start({ leaseMs: 5_000 });
    await first.reply(aliceDm.id, { text: '', urgent: false, photo: { png: CHART, caption: 'maybe seen', filename: 'g.png' } });
    const held = rig.fake.hang({ method: 'sendPhoto' });
    const stuck = first.pump(); // its upload never answers: as good as dead
    await until(() => rig.fake.requests().some((q) => q.method === 'sendPhoto'));
    rig.clock.now += 6_000;
    const second = anotherOutbox(rig, { leaseMs: 5_000 });
    await deliverUntil(rig, second, async () => rig.fake.photos(aliceDm.id).length === 1);
    const [resent] = rig.fake.photos(aliceDm.id);
    expect(resent!.caption).toBe(`${UNCERTAIN_HEADER}\nmaybe seen`);
    expect(sha256(resent!.bytes!)).toBe(sha256(CHART));
    held.clear();
    await stuck;
  });

  it('with Redis away a picture takes the direct line from memory', async () => {
    const down = new Redis(`redis://127.0.0.1:${await closedPort()}`, { lazyConnect: true });
    try {
      const { rig, outbox } = await start({ redis: down, keyPrefix: 'never-used' });
      await outbox.reply(aliceDm.id, { text: 'Chart below.', urgent: false, photo: { png: CHART, caption: 'direct', filename: 'f.png' } });
      // The direct line paces itself on the outbox's clock and sleeps on real timers: move the clock while it waits.
      for (let i = 0; i < 2_000 && rig.fake.photos(aliceDm.id).length === 0; i++) {
        rig.clock.now += 100;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(rig.fake.messages(aliceDm.id).map((m) => m.caption ?? m.text)).toEqual(['Chart below.', 'direct']);
      expect(sha256(rig.fake.photos(aliceDm.id)[0]!.bytes!)).toBe(sha256(CHART));
    } finally {
      down.disconnect();
    }
  });
});
