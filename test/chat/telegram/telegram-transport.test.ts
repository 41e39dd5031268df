import { afterEach, describe, expect, it } from 'vitest';
import { type OutboxSend, REFUSAL_TEXT } from '../../../src/chat/index.js';
import { until } from '../../kit/until.js';
import { LONG_TEXT, type Rig, alice, aliceDm, bob, carol, carolDm, desk, startRig } from './harness.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('Telegram transport', () => {
  it('publishes every registry command, /confirm, /cancel and /whoami with their summaries', async () => {
    rig = await startRig();
    const menu = rig.fake.commands();
    expect(menu.map((c) => c.command)).toEqual([
      'start',
      'help',
      'grid',
      'grids',
      'stop',
      'positions',
      'orders',
      'pnl',
      'funding',
      'ta',
      'chart',
      'backtest',
      'balance',
      'status',
      'limits',
      'kill',
      'resume',
      'audit',
      'deadman',
      'report',
      'confirm',
      'cancel',
      'whoami',
    ]);
    expect(menu.find((c) => c.command === 'report')!.description).toBe('A long report (test only).');
    expect(menu.every((c) => c.description.length >= 1 && c.description.length <= 256)).toBe(true);
  });

  it('answers /positions /orders /pnl and /kill now, each with its reply', async () => {
    rig = await startRig();
    const { fake, services } = rig;
    fake.userSends(aliceDm, alice, '/positions');
    await rig.botMessages(aliceDm.id, 1);
    fake.userSends(aliceDm, alice, '/orders@telegrid_test_bot');
    await rig.botMessages(aliceDm.id, 2);
    fake.userSends(aliceDm, alice, '/pnl');
    await rig.botMessages(aliceDm.id, 3);
    fake.userSends(aliceDm, alice, '/kill now');
    const replies = (await rig.botMessages(aliceDm.id, 4)).map((m) => m.text!);
    expect(replies[0]).toContain('BTCUSDT 0.0025');
    expect(replies[1]).toMatch(/^Open orders: 3\n/);
    expect(replies[2]).toContain('1.23');
    expect(replies[3]).toMatch(/^🛑 Kill switch: trading HALTED\./);
    expect(services.kills).toEqual([{ flatten: false }]);
    expect(fake.sent(aliceDm.id).every((s) => s.params.parse_mode === undefined)).toBe(true); // plain text
  });

  it('answers a wrong argument with the usage and an example', async () => {
    rig = await startRig();
    rig.fake.userSends(aliceDm, alice, '/grid BTCUSDT ten 0.5');
    const [reply] = await rig.botMessages(aliceDm.id, 1);
    expect(reply!.text).toMatch(/^✗ /);
    expect(reply!.text).toContain('\nUsage: /grid ');
    expect(reply!.text).toContain('\nExample: /grid ');
    expect(reply!.reply_markup).toBeUndefined();
    expect(rig.services.calls).toEqual([]);
  });

  it('refuses a stranger once, runs nothing, logs no text; /whoami still answers them', async () => {
    rig = await startRig();
    const { fake, services, logs } = rig;
    fake.userSends(carolDm, carol, '/grid BTCUSDT 10 0.5');
    await rig.botMessages(carolDm.id, 1);
    fake.userSends(carolDm, carol, '/kill now');
    fake.userSends(carolDm, carol, 'secret words');
    await until(() => logs.filter((l) => l.msg.startsWith('telegram: refused')).length === 3);
    fake.userSends(carolDm, carol, '/whoami');
    const replies = await rig.botMessages(carolDm.id, 2);
    expect(replies.map((m) => m.text)).toEqual([
      REFUSAL_TEXT,
      'Your user id: 777\nThis chat id: 777 (private chat)\n' +
        'The bot answers only chats (and, in groups, users) its owner has allowed by these ids.',
    ]);
    expect(services.calls).toEqual([]);
    expect(services.kills).toEqual([]);
    const logged = JSON.stringify(logs);
    expect(logged).not.toContain('BTCUSDT');
    expect(logged).not.toContain('secret');
    expect(logs.find((l) => l.msg.startsWith('telegram: refused'))!.obj).toEqual({
      chatId: 777,
      userId: 777,
      chatType: 'private',
      kind: 'message',
    });

    fake.userSends(carolDm, carol, '/whoami'); // a second one within a minute: logged, not answered
    await until(() => logs.filter((l) => l.msg === 'telegram /whoami').length === 2);

    rig.clock.now += 10 * 60_000; // a refusal again after ten minutes
    fake.userSends(carolDm, carol, '/grids');
    expect((await rig.botMessages(carolDm.id, 3))[2]!.text).toBe(REFUSAL_TEXT);
  });

  it('in an allowed group only allowed users command; a tap by a stranger is refused', async () => {
    rig = await startRig();
    const { fake, services } = rig;
    fake.userSends(desk, bob, '/grid BTCUSDT 2 0.5');
    const [preview] = await rig.botMessages(desk.id, 1);
    fake.userSends(desk, carol, '/kill now');
    await rig.botMessages(desk.id, 2);
    fake.userSends(desk, carol, 'just chatting'); // not a command: not for the bot, no refusal
    fake.userSends(desk, alice, '/status@some_other_bot'); // for another bot
    const data = (preview!.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!.callback_data;
    fake.userTaps(desk, carol, preview!.message_id, data);
    await until(() => fake.callbackAnswers().length === 1);
    expect(fake.callbackAnswers()[0]!.text).toBe(REFUSAL_TEXT);
    fake.userSends(desk, alice, '/whoami');
    const messages = await rig.botMessages(desk.id, 3);
    expect(messages[1]!.text).toBe(REFUSAL_TEXT);
    expect(messages[2]!.text).toContain('This chat id: -1001234 (supergroup "Desk")');
    expect(services.calls).toEqual(['previewGrid']);
    expect(services.kills).toEqual([]);
  });

  it('skips commands older than maxCommandAgeMs when they reach the bot and tells the chat in one line; never /kill', async () => {
    rig = await startRig({}, (fake, clock) => {
      // sent while the bot was down: three minutes before it starts polling
      clock.now -= 180_000;
      fake.userSends(aliceDm, alice, '/kill now');
      fake.userSends(aliceDm, alice, '/grid BTCUSDT 10 0.5');
      fake.userSends(aliceDm, alice, '/balance');
      clock.now += 70_000;
      fake.userSends(aliceDm, alice, '/pnl'); // 110 s old at arrival: still fresh
      clock.now += 110_000;
    });
    const texts = (await rig.botMessages(aliceDm.id, 3)).map((m) => m.text!);
    const skipped = texts.findIndex((t) => t.startsWith('⏭'));
    expect(texts[skipped]).toBe(
      '⏭ Skipped 2 commands older than 2m 00s when they reached me: /grid BTCUSDT 10 0.5, /balance. Send again if still wanted.',
    );
    expect(texts.findIndex((t) => t.includes('1.23'))).toBeGreaterThan(skipped); // the note first, then the fresh ones in order
    expect(texts.some((t) => t.startsWith('🛑 Kill switch: trading HALTED'))).toBe(true); // halting is never too old
    expect(rig.services.kills).toEqual([{ flatten: false }]);
    expect(rig.services.calls).toEqual(['kill']); // neither /grid's preview nor /balance ran
  });

  it('splits a 5000-character reply into two messages of at most 4096 at a line boundary', async () => {
    rig = await startRig();
    rig.fake.userSends(aliceDm, alice, '/report');
    const parts = await rig.botMessages(aliceDm.id, 2);
    expect(LONG_TEXT).toHaveLength(5000 - 1);
    expect(parts).toHaveLength(2);
    expect(parts.every((m) => m.text!.length <= 4096)).toBe(true);
    expect(`${parts[0]!.text}\n${parts[1]!.text}`).toBe(LONG_TEXT);
  });

  it('notify sends silently or not, and reports a 429 as rate-limited without retrying', async () => {
    rig = await startRig();
    const { fake, transport } = rig;
    fake.addChat(aliceDm);
    expect(await transport.notify('501', 'filled', { silent: true })).toEqual({ ok: true, messageIds: [1] });
    expect(await transport.notify(501, 'halted')).toEqual({ ok: true, messageIds: [2] });
    expect(fake.sent(501).map((s) => s.params.disable_notification)).toEqual([true, undefined]);
    fake.inject429({ chatId: 501, method: 'sendMessage', retryAfter: 7 });
    expect(await transport.notify('501', 'again')).toEqual({ ok: false, kind: 'rate_limited', retryAfterMs: 7_000, delivered: 0 });
    expect(await transport.notify('999', 'nobody')).toEqual({
      ok: false,
      kind: 'failed',
      error: 'Bad Request: chat not found',
      permanent: true,
      delivered: 0,
    });
    expect(fake.requests().filter((r) => r.method === 'sendMessage')).toHaveLength(4);
    const send: OutboxSend = (chatId, text, options) => transport.notify(chatId, text, options); // fits the outbox as is
    expect(await send(501, 'via the outbox', { silent: false })).toEqual({ ok: true, messageIds: [3] });
  });

  it('stops polling cleanly, confirming what it handled', async () => {
    rig = await startRig();
    rig.fake.userSends(aliceDm, alice, '/status');
    await rig.botMessages(aliceDm.id, 1);
    await rig.transport.stop();
    expect(rig.fake.pendingUpdates()).toEqual([]);
    const polls = rig.fake.requests().filter((r) => r.method === 'getUpdates');
    expect(polls.at(-1)!.params).toEqual({ offset: 2, limit: 1 }); // grammY's confirming call on stop
    await rig.transport.stop(); // a second stop is harmless
  });
});
