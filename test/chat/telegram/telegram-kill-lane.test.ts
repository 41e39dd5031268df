import { afterEach, describe, expect, it } from 'vitest';
import { type AnyCommand, REFUSAL_TEXT, defineCommand, noArgs } from '../../../src/chat/index.js';
import { CONFIRM_BUTTONS } from '../../../src/chat/registry.js';
import { ok } from '../../../src/domain/index.js';
import { until } from '../../kit/until.js';
import { type Rig, alice, aliceDm, bob, buttonsOf, carol, desk, startRig } from './harness.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A promise the test settles: the exchange answering at last. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** `/place` previews; its confirm places orders against an exchange that answers only when the test says so. */
function placeCommand(exchange: Promise<void>): AnyCommand {
  return defineCommand({
    name: 'place',
    summary: 'Places 40 orders (test only).',
    role: 'trader',
    usage: '/place',
    example: '/place',
    args: noArgs,
    handler: async () => ok(undefined),
    render: () => ({ text: 'Place 40 orders?', buttons: CONFIRM_BUTTONS }),
    confirm: () => ({
      run: async () => {
        await exchange;
        return { text: '✅ Placed 40 orders.' };
      },
    }),
  });
}

/** `/slow` answers only when the exchange does (a report that reads from a hanging exchange). */
function slowCommand(exchange: Promise<void>): AnyCommand {
  return defineCommand({
    name: 'slow',
    summary: 'A slow read (test only).',
    role: 'viewer',
    usage: '/slow',
    example: '/slow',
    args: noArgs,
    handler: async () => {
      await exchange;
      return ok(undefined);
    },
    render: () => ({ text: 'slow answer' }),
  });
}

const texts = (r: Rig, chatId: number) => r.fake.messages(chatId).map((m) => m.text!);

describe('Telegram: the kill switch never waits behind another command of its chat', () => {
  it('/kill now is answered while a tapped confirm of the same chat is still placing orders', async () => {
    const exchange = gate();
    rig = await startRig({}, undefined, [placeCommand(exchange.promise)]);
    const { fake, services } = rig;
    fake.userSends(aliceDm, alice, '/place');
    const [preview] = await rig.botMessages(aliceDm.id, 1);
    fake.userTaps(aliceDm, alice, preview!.message_id, buttonsOf(preview!)[0]!.callback_data);
    await until(() => fake.callbackAnswers().length === 1); // the confirm is running, held by the exchange
    fake.userSends(aliceDm, alice, '/status'); // an ordinary command waits its turn behind the confirm
    fake.userSends(aliceDm, alice, '/kill now');
    await rig.botMessages(aliceDm.id, 2);
    expect(texts(rig, aliceDm.id)[1]).toMatch(/^🛑 Kill switch: trading HALTED/);
    expect(services.kills).toEqual([{ flatten: false }]);
    expect(services.calls).toEqual(['kill']); // /status has not run yet

    exchange.open();
    const after = (await rig.botMessages(aliceDm.id, 4)).map((m) => m.text!);
    expect(after[0]).toMatch(/☑️ Confirmed → ✅ Placed 40 orders\.$/); // the preview, edited with the outcome
    expect(after[1]).toMatch(/^🛑 Kill switch: trading HALTED/);
    expect(after[2]).toBe('✅ Placed 40 orders.');
    expect(after[3]).toMatch(/^🟢|^Status|Trading/); // then /status, in its turn
  });

  it('a typed confirm of a pending /kill, and a tap on its Confirm, run while another command of the chat hangs', async () => {
    const exchange = gate();
    rig = await startRig({}, undefined, [slowCommand(exchange.promise)]);
    const { fake, services } = rig;
    fake.userSends(aliceDm, alice, '/slow');
    fake.userSends(aliceDm, alice, '/kill');
    const [preview] = await rig.botMessages(aliceDm.id, 1);
    expect(buttonsOf(preview!).map((b) => b.text)).toEqual(['Confirm', 'Cancel']);
    fake.userSends(aliceDm, alice, 'confirm');
    await until(() => services.kills.length === 1);
    await rig.botMessages(aliceDm.id, 2);

    fake.userSends(aliceDm, alice, '/kill@telegrid_test_bot');
    const second = (await rig.botMessages(aliceDm.id, 3))[2]!;
    fake.userTaps(aliceDm, alice, second.message_id, buttonsOf(second)[0]!.callback_data);
    await until(() => services.kills.length === 2);
    await rig.botMessages(aliceDm.id, 4);
    expect(texts(rig, aliceDm.id)).not.toContain('slow answer');

    exchange.open();
    expect((await rig.botMessages(aliceDm.id, 5)).at(-1)!.text).toBe('slow answer');
  });

  it('a hung sendMessage holds neither the kill switch nor its acknowledgement (sent again at the deadline)', async () => {
    rig = await startRig({ requestTimeoutSeconds: 0.5 });
    const { fake, services } = rig;
    const hang = fake.hang({ method: 'sendMessage', chatId: aliceDm.id });
    fake.userSends(aliceDm, alice, '/kill now');
    await until(() => services.kills.length === 1); // acted while its acknowledgement hangs
    const [ack] = await rig.botMessages(aliceDm.id, 1);
    expect(ack!.text).toMatch(/^🛑 Kill switch: trading HALTED/);
    const sends = fake.requests().filter((r) => r.method === 'sendMessage');
    expect(sends.map((s) => s.status)).toEqual([499, 200]); // given up at the deadline, then sent again
    expect(hang.met()).toBe(1);
  });

  it('a hung reply to one command does not hold /kill now sent after it', async () => {
    rig = await startRig({ requestTimeoutSeconds: 60 });
    const { fake, services } = rig;
    const hang = fake.hang({ method: 'sendMessage', chatId: aliceDm.id });
    fake.userSends(aliceDm, alice, '/status');
    await until(() => hang.holding() === 1);
    fake.userSends(aliceDm, alice, '/kill now');
    const [ack] = await rig.botMessages(aliceDm.id, 1);
    expect(ack!.text).toMatch(/^🛑 Kill switch: trading HALTED/);
    expect(services.kills).toEqual([{ flatten: false }]);
    expect(hang.holding()).toBe(1); // the /status reply still hangs
    hang.clear();
    await rig.botMessages(aliceDm.id, 2);
  });
});

describe('Telegram: strangers cost nothing', () => {
  it('a flood of strangers does not hold an allowed user, and gets at most a few refusals', async () => {
    const refused: number[] = [];
    rig = await startRig({ onRefused: (r) => refused.push(r.chatId) });
    const { fake, services } = rig;
    const hang = fake.hang({ method: 'sendMessage', count: Infinity, except: [aliceDm.id, desk.id] }); // every refusal hangs
    for (let i = 0; i < 50; i++) fake.userSends(desk, carol, `/grid BTCUSDT ${i} 0.5`); // a member not allowed, in an allowed group
    for (let i = 0; i < 300; i++) fake.userSends({ id: 9_000 + i, type: 'private' }, { id: 9_000 + i, first_name: `S${i}` }, '/kill now');
    fake.userSends(aliceDm, alice, '/kill now');
    fake.userSends(desk, bob, '/status');
    await rig.botMessages(aliceDm.id, 1);
    await rig.botMessages(desk.id, 2);
    expect(services.kills).toEqual([{ flatten: false }]);
    await until(() => refused.length === 350);
    expect(hang.met()).toBeLessThanOrEqual(20); // the global budget: 20 refusals a minute
    expect(texts(rig, desk.id).filter((t) => t === REFUSAL_TEXT)).toHaveLength(1); // one per chat per interval
    expect(services.calls).toEqual(['kill']);
    hang.clear();
  });
});
