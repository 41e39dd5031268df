import { afterEach, describe, expect, it } from 'vitest';
import { defineCommand, noArgs } from '../../../src/chat/index.js';
import { ok } from '../../../src/domain/index.js';
import { sha256, tinyPng } from '../../kit/tiny-png.js';
import { type Rig, alice, aliceDm, startRig } from './harness.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const CHART = tinyPng(96, 64);

const picture = defineCommand({
  name: 'picture',
  role: 'viewer',
  summary: 'A reply with a picture (test only).',
  usage: '/picture',
  example: '/picture',
  args: noArgs,
  handler: async () => ok(undefined),
  render: () => ({ text: 'Chart below.', photo: { png: CHART, caption: 'ETHUSDT · 4h', filename: 'eth.png' } }),
});

describe('Telegram transport: pictures', () => {
  it('without an outbox, sends the text and then the picture straight to Telegram', async () => {
    rig = await startRig({}, undefined, [picture]);
    rig.fake.userSends(aliceDm, alice, '/picture');
    const [text, photo] = await rig.botMessages(aliceDm.id, 2);
    expect(text!.text).toBe('Chart below.');
    expect(photo!.caption).toBe('ETHUSDT · 4h');
    expect(sha256(rig.fake.photos(aliceDm.id)[0]!.bytes!)).toBe(sha256(CHART));
  });

  it("sendPhoto's failures read as sendMessage's: a 429's wait, 400/403 for good, the rest worth a retry", async () => {
    rig = await startRig();
    rig.fake.addChat(aliceDm, undefined, alice);
    const send = () => rig!.transport.sendPhoto(aliceDm.id, CHART, 'c', { silent: true, filename: 'c.png' });
    rig.fake.inject429({ chatId: aliceDm.id, method: 'sendPhoto', retryAfter: 7 });
    expect(await send()).toEqual({ ok: false, kind: 'rate_limited', retryAfterMs: 7_000, delivered: 0 });
    rig.clock.now += 8_000;
    rig.fake.failWith({ method: 'sendPhoto' }, 403, 'Forbidden: bot was blocked by the user');
    expect(await send()).toMatchObject({ ok: false, kind: 'failed', permanent: true });
    rig.fake.failWith({ method: 'sendPhoto' }, 502, 'Bad Gateway');
    expect(await send()).toMatchObject({ ok: false, kind: 'failed', permanent: false });
    const sent = await send();
    expect(sent.ok).toBe(true);
    expect(rig.fake.sent(aliceDm.id).at(-1)!.params).toMatchObject({ caption: 'c', disable_notification: 'true' });
  });
});
