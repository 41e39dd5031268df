import { afterEach, describe, expect, it } from 'vitest';
import { type QueuedReply, REFUSAL_TEXT, type ReplySink } from '../../../src/chat/index.js';
import { until } from '../../kit/until.js';
import { type Rig, alice, aliceDm, bob, carol, carolDm, desk, startRig } from './harness.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** The app's outbox as the transport sees it: it only records. */
class RecordingSink implements ReplySink {
  readonly replies: { chatId: number; reply: QueuedReply }[] = [];
  readonly edits: { chatId: number; messageId: number; text: string }[] = [];
  async reply(chatId: number, reply: QueuedReply): Promise<void> {
    this.replies.push({ chatId, reply });
  }
  async edit(chatId: number, messageId: number, text: string): Promise<void> {
    this.edits.push({ chatId, messageId, text });
  }
  async live(): Promise<number | undefined> {
    return undefined;
  }
  async liveEdit(): Promise<void> {}
}

describe('Telegram replies go through the sink', () => {
  it('puts every reply, refusal, /whoami and confirmation outcome into the sink; the kill switch and confirmations urgent', async () => {
    const sink = new RecordingSink();
    rig = await startRig({ replies: sink });
    const { fake, services } = rig;
    fake.userSends(aliceDm, alice, '/status');
    fake.userSends(aliceDm, alice, '/kill now');
    fake.userSends(carolDm, carol, '/grid BTCUSDT 10 0.5');
    fake.userSends(carolDm, carol, '/whoami');
    fake.userSends(aliceDm, alice, '/grid BTCUSDT 10 0.5');
    await until(() => sink.replies.length === 5);
    const preview = sink.replies.find((r) => r.reply.keyboard !== undefined)!;
    expect(preview.reply.urgent).toBe(false);
    expect(sink.replies.filter((r) => r.chatId === carolDm.id).map((r) => r.reply.text)).toEqual([
      REFUSAL_TEXT,
      expect.stringMatching(/^Your user id: 777/),
    ]);
    const kill = sink.replies.find((r) => r.reply.text.startsWith('🛑 Kill switch: trading HALTED'))!;
    expect(kill.reply.urgent).toBe(true);
    expect(sink.replies.find((r) => r.reply.text.includes('Open orders') || r.reply.text.includes('paper'))?.reply.urgent).toBe(false);

    fake.userSends(aliceDm, alice, 'confirm');
    await until(() => sink.replies.length === 6);
    expect(sink.replies[5]!.reply).toMatchObject({ text: expect.stringMatching(/^✅ Grid G3 started/), urgent: true });
    expect(services.calls).toContain('startGrid');
    expect(fake.sent().filter((s) => s.method === 'sendMessage')).toEqual([]); // nothing went around the sink
  });

  it("a tap's outcome edits the preview through the sink and replies urgently", async () => {
    const sink = new RecordingSink();
    rig = await startRig({ replies: sink });
    const { fake } = rig;
    // the preview as the outbox would have sent it
    fake.addChat(desk);
    fake.userSends(desk, bob, '/grid BTCUSDT 2 0.5');
    await until(() => sink.replies.length === 1);
    const { keyboard, text } = sink.replies[0]!.reply;
    const sent = await rig.transport.send(desk.id, text, { silent: false, keyboard: keyboard! });
    expect(sent.ok).toBe(true);
    const messageId = sent.ok ? sent.messageIds[0]! : 0;
    fake.userTaps(desk, bob, messageId, keyboard![0]![0]!.callback_data);
    await until(() => sink.edits.length === 1 && sink.replies.length === 2);
    expect(sink.edits[0]).toEqual({ chatId: desk.id, messageId, text: expect.stringMatching(/\n\n☑️ Confirmed → ✅ Grid G3 started/) });
    expect(sink.replies[1]!.reply).toMatchObject({ text: expect.stringMatching(/^✅ Grid G3 started/), urgent: true });
    expect(fake.callbackAnswers().map((a) => a.text)).toEqual(['Confirmed; running /grid…']);
  });

  it('send is one message with its keyboard, never split; edit replaces a text; both report failures as results', async () => {
    rig = await startRig();
    const { fake, transport } = rig;
    fake.addChat(aliceDm);
    const keyboard = [[{ text: 'Confirm', callback_data: 'c:abc' }]];
    const sent = await transport.send(aliceDm.id, 'one', { silent: true, keyboard });
    expect(sent).toEqual({ ok: true, messageIds: [1] });
    expect(fake.sent(aliceDm.id)[0]!.params).toMatchObject({ disable_notification: true, reply_markup: { inline_keyboard: keyboard } });
    expect(await transport.edit(aliceDm.id, 1, 'one, edited')).toEqual({ ok: true, messageIds: [1] });
    expect(fake.messages(aliceDm.id)[0]).toMatchObject({ text: 'one, edited' });
    expect(fake.messages(aliceDm.id)[0]!.reply_markup).toBeUndefined();
    const long = await transport.send(aliceDm.id, 'x'.repeat(4097), { silent: false });
    expect(long).toMatchObject({ ok: false, kind: 'failed', permanent: true });
    expect(await transport.edit(aliceDm.id, 99, 'gone')).toMatchObject({ ok: false, kind: 'failed', permanent: true });
  });
});
