import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../kit/until.js';
import { type Rig, alice, aliceDm, bob, carol, desk, startRig } from './harness.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const texts = (r: Rig, chatId: number) => r.fake.messages(chatId).map((m) => m.text!);

/** Waits until the bot has handled every update the fake holds (it confirms them), then for its replies to land. */
async function settled(r: Rig): Promise<void> {
  await until(() => r.fake.pendingUpdates().length === 0);
  r.fake.userSends(aliceDm, alice, '/pnl'); // a marker: its answer comes after everything sent before it in this chat
  await until(() => texts(r, aliceDm.id).some((t) => t.includes('1.23')));
}

describe('Telegram: what the hostile-world probe found', () => {
  it('answers a 4,096-character message of stray words with one message', async () => {
    rig = await startRig();
    const text = `/orders ${'x '.repeat(2044)}`.slice(0, 4096);
    expect(text).toHaveLength(4096);
    rig.fake.userSends(aliceDm, alice, text);
    rig.fake.userSends(aliceDm, alice, `/${'a'.repeat(4095)}`);
    await settled(rig);
    const replies = texts(rig, aliceDm.id);
    expect(replies).toHaveLength(3);
    expect(replies[0]).toBe(
      "✗ unexpected argument 'x'; /orders takes at most 1 (SYMBOL).\nUsage: /orders [SYMBOL]\nExample: /orders BTCUSDT",
    );
    expect(replies[1]).toMatch(/^✗ Unknown command \/a{39}…\.\n/);
  });

  it('a confirm addressed to another bot is not ours, in a private chat too', async () => {
    rig = await startRig();
    const { fake, services } = rig;
    fake.userSends(aliceDm, alice, '/grid BTCUSDT 10 0.5');
    await rig.botMessages(aliceDm.id, 1);
    fake.userSends(aliceDm, alice, 'confirm@OtherBot');
    fake.userSends(aliceDm, alice, '/confirm@OtherBot');
    fake.userSends(aliceDm, alice, 'yes@OtherBot');
    await settled(rig);
    expect(services.calls).toEqual(['previewGrid']);
    fake.userSends(aliceDm, alice, 'confirm@telegrid_test_bot');
    await until(() => services.calls.includes('startGrid'));
  });

  it('/cancel with words after it cancels; /confirm with words after it runs nothing and says how', async () => {
    rig = await startRig();
    const { fake, services } = rig;
    fake.userSends(aliceDm, alice, '/grid BTCUSDT 10 0.5');
    await rig.botMessages(aliceDm.id, 1);
    fake.userSends(aliceDm, alice, '/confirm it please');
    expect((await rig.botMessages(aliceDm.id, 2))[1]!.text).toBe(
      '✗ /confirm takes nothing after it; nothing was done. Send /confirm alone to run the pending /grid.',
    );
    fake.userSends(aliceDm, alice, '/cancel please');
    expect((await rig.botMessages(aliceDm.id, 3))[2]!.text).toBe('Cancelled. Nothing was done for /grid.');
    expect(services.calls).toEqual(['previewGrid']);
  });

  it('never echoes NUL or bidirectional control characters', async () => {
    rig = await startRig();
    const { fake } = rig;
    fake.userSends(aliceDm, alice, '/gr\u0000iid\u202E now');
    fake.userSends(aliceDm, alice, '/grid BTC\u202EUSDT te\u0000n 0.5\u2066');
    fake.userSends(aliceDm, alice, '/orders \u200FBTC\u0007');
    await settled(rig);
    const all = texts(rig, aliceDm.id).join('\n');
    expect(texts(rig, aliceDm.id)[0]).toMatch(/^✗ Unknown command \/griid\. Did you mean/);
    expect(all).toContain("'ten'");
    expect(all).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
  });

  it('in a group, a plain confirm or yes works for the one whose confirmation waits, and is ignored from anyone else', async () => {
    rig = await startRig();
    const { fake, services } = rig;
    fake.userSends(desk, alice, 'yes'); // nothing waits: group talk, no answer
    fake.userSends(desk, bob, '/grid BTCUSDT 2 0.5');
    await rig.botMessages(desk.id, 1);
    fake.userSends(desk, alice, 'yes'); // not hers
    fake.userSends(desk, carol, 'confirm'); // not allowed
    fake.userSends(desk, bob, 'yes I think so'); // not a bare word: talk
    fake.userSends(desk, bob, '/status'); // a marker in the desk's lane
    await until(() => texts(rig!, desk.id).length === 2);
    expect(services.calls).toEqual(['previewGrid']);
    fake.userSends(desk, bob, 'yes');
    const replies = await rig.botMessages(desk.id, 3);
    expect(replies[2]!.text).toMatch(/^✅ Grid G3 started on BTCUSDT/);
    expect(services.calls).toEqual(['previewGrid', 'startGrid']);
    fake.userSends(desk, bob, 'yes'); // nothing waits any more: no answer
    fake.userSends(desk, bob, '/status');
    await until(() => texts(rig!, desk.id).length === 4);
    expect(texts(rig, desk.id)[3]).not.toMatch(/confirm/i);
  });
});
