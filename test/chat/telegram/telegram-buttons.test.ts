import { afterEach, describe, expect, it } from 'vitest';
import { CALLBACK_DATA_MAX_BYTES } from '../../../src/chat/index.js';
import { until } from '../../kit/until.js';
import { type Rig, alice, aliceDm, bob, buttonsOf, desk, startRig } from './harness.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('Telegram confirmations with inline buttons', () => {
  it('Confirm runs the previewed grid once; a second tap is "already used"; another user is refused', async () => {
    rig = await startRig();
    const { fake, services } = rig;
    fake.userSends(desk, alice, '/grid@telegrid_test_bot BTCUSDT 10 0.5');
    const [preview] = await rig.botMessages(desk.id, 1);
    expect(preview!.text).toContain('BTCUSDT');
    const [confirm, cancel] = buttonsOf(preview!);
    expect(confirm).toMatchObject({ text: 'Confirm', callback_data: expect.stringMatching(/^c:[A-Za-z0-9_-]+$/) });
    expect(cancel).toMatchObject({ text: 'Cancel', callback_data: `x:${confirm!.callback_data.slice(2)}` });
    expect(Buffer.byteLength(confirm!.callback_data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    expect(services.calls).toEqual(['previewGrid']);

    fake.userTaps(desk, bob, preview!.message_id, confirm!.callback_data);
    await until(() => fake.callbackAnswers().length === 1);
    expect(fake.callbackAnswers()[0]!.text).toMatch(/^Not yours/);
    expect(services.calls).toEqual(['previewGrid']);
    expect(buttonsOf(fake.messages(desk.id)[0]!)).toHaveLength(2); // bob's tap changed nothing

    fake.userTaps(desk, alice, preview!.message_id, confirm!.callback_data);
    fake.userTaps(desk, alice, preview!.message_id, confirm!.callback_data); // before the first is handled: a double tap
    await until(() => fake.callbackAnswers().length === 3);
    const messages = await rig.botMessages(desk.id, 2);
    expect(fake.callbackAnswers().map((a) => a.text)).toEqual([
      expect.stringMatching(/^Not yours/),
      'Confirmed; running /grid…',
      'Already used; send /grid again to do it once more.',
    ]);
    expect(services.calls).toEqual(['previewGrid', 'startGrid']);
    expect(services.started[0]!.params).toEqual(services.previews[0]);
    const edited = messages[0]!;
    expect(edited.reply_markup).toBeUndefined();
    expect(edited.text).toMatch(/\n\n☑️ Confirmed → ✅ Grid G3 started on BTCUSDT/);
    expect(messages[1]!.text).toMatch(/^✅ Grid G3 started on BTCUSDT/);
    expect(messages).toHaveLength(2);
  });

  it('Cancel drops it and edits the preview; a tap after it expired or was replaced runs nothing', async () => {
    rig = await startRig();
    const { fake, services, clock } = rig;
    fake.userSends(aliceDm, alice, '/stop G1');
    const [first] = await rig.botMessages(aliceDm.id, 1);
    const [, cancel] = buttonsOf(first!);
    fake.userTaps(aliceDm, alice, first!.message_id, cancel!.callback_data);
    await until(() => fake.callbackAnswers().length === 1 && fake.messages(aliceDm.id)[0]!.reply_markup === undefined);
    expect(fake.messages(aliceDm.id)[0]!.text).toMatch(/\n\n✖ Cancelled; nothing was done for \/stop\.$/);

    fake.userSends(aliceDm, alice, '/stop G1');
    const second = (await rig.botMessages(aliceDm.id, 2))[1]!;
    fake.userSends(aliceDm, alice, '/kill');
    const third = (await rig.botMessages(aliceDm.id, 3))[2]!;
    expect(third.text).toMatch(/\(This replaces the pending \/stop\.\)$/);
    fake.userTaps(aliceDm, alice, second.message_id, buttonsOf(second)[0]!.callback_data);
    await until(() => fake.callbackAnswers().length === 2);
    expect(fake.callbackAnswers()[1]!.text).toBe('Replaced by a newer command; nothing was done for this /stop.');

    clock.now += 60_000; // the confirmation's time to live
    fake.userTaps(aliceDm, alice, third.message_id, buttonsOf(third)[0]!.callback_data);
    await until(() => fake.callbackAnswers().length === 3);
    expect(fake.callbackAnswers()[2]!.text).toBe('Expired; nothing was done. Send /kill again.');
    expect(services.calls).toEqual([]);
    expect(services.stopped).toEqual([]);
  });

  it('typed /confirm in a group waits for the person who asked', async () => {
    rig = await startRig();
    const { fake, services } = rig;
    fake.userSends(desk, alice, '/kill');
    await rig.botMessages(desk.id, 1);
    fake.userSends(desk, bob, '/confirm');
    const [, refused] = await rig.botMessages(desk.id, 2);
    expect(refused!.text).toBe('That /kill waits for the person who asked for it; only they can confirm it.');
    fake.userSends(desk, alice, '/confirm@telegrid_test_bot');
    const [, , done] = await rig.botMessages(desk.id, 3);
    expect(done!.text).toMatch(/^🛑 Kill switch: trading HALTED\./);
    expect(services.kills).toEqual([{ flatten: false }]);
  });
});
