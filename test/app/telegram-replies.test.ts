import { Api, GrammyError } from 'grammy';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, type TelegramOut } from '../../src/chat/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { TELEGRAM_PACE } from '../../src/app/front-end.js';
import { type FakeTelegram, startFakeTelegram } from '../kit/fake-telegram/index.js';
import { REDIS_URL, deleteKeys, uniquePrefix } from '../kit/redis.js';

const TOKEN = '123456:TESTTOKENabcdefghijklmnopqrstuvwxyz';
const owner = { id: 1001, first_name: 'Owner' };
const ownerDm = { id: 1001, type: 'private' as const };

let fake: FakeTelegram | undefined;
let redis: Redis | undefined;
const prefix = uniquePrefix();
afterEach(async () => {
  await fake?.close();
  await redis?.quit();
  await deleteKeys(prefix);
  fake = undefined;
  redis = undefined;
});

/** A tiny TelegramOut over grammY's Api: what the transport's send and edit answer, for a test of the outbox alone. */
function telegramOut(api: Api): TelegramOut {
  const failed = (error: unknown) => {
    if (error instanceof GrammyError && error.error_code === 429)
      return { ok: false as const, kind: 'rate_limited' as const, retryAfterMs: (error.parameters.retry_after ?? 1) * 1000, delivered: 0 };
    const permanent = error instanceof GrammyError && (error.error_code === 400 || error.error_code === 403);
    return { ok: false as const, kind: 'failed' as const, error: String(error), permanent, delivered: 0 };
  };
  return {
    async send(chatId, text, { silent, keyboard }) {
      try {
        const sent = await api.sendMessage(chatId, text, {
          ...(silent ? { disable_notification: true } : {}),
          ...(keyboard !== undefined ? { reply_markup: { inline_keyboard: keyboard } } : {}),
        });
        return { ok: true, messageIds: [sent.message_id] };
      } catch (error) {
        return failed(error);
      }
    },
    async edit(chatId, messageId, text) {
      try {
        await api.editMessageText(chatId, messageId, text);
        return { ok: true, messageIds: [messageId] };
      } catch (error) {
        return failed(error);
      }
    },
    // No picture in these tests; the port asks for one (test/chat/outbox/outbox-photos.test.ts sends them).
    sendPhoto: async () => ({ ok: false, kind: 'failed', error: 'no pictures here', permanent: true, delivered: 0 }),
  };
}

describe('replies through the outbox to the fake Bot API (one clock for both)', () => {
  it('under a 429 a reply is delivered later, not dropped; the kill acknowledgement goes first when the penalty ends', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const t0 = clock.now();
    fake = await startFakeTelegram({ clock: () => clock.now() });
    fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
    fake.addChat(ownerDm, TOKEN, owner);
    fake.enforceTelegramLimits(true);
    fake.inject429({ chatId: ownerDm.id, retryAfter: 5 });
    redis = new Redis(REDIS_URL);
    const out = telegramOut(new Api(TOKEN, { apiRoot: fake.url }));
    const outbox = new Outbox({ redis, keyPrefix: prefix, send: out.send, edit: out.edit, clock, ...TELEGRAM_PACE });
    const at = async (ms: number) => (clock.set(t0 + ms), await outbox.pump());

    for (let i = 1; i <= 3; i++) await outbox.enqueue({ chatId: ownerDm.id, kind: 'state', text: `note ${i}` });
    await outbox.reply(ownerDm.id, { text: 'Grid preview', keyboard: [[{ text: 'Confirm', callback_data: 'c:1' }]], urgent: false });
    await at(0);
    await outbox.reply(ownerDm.id, { text: '🛑 Kill switch engaged', urgent: true });
    for (let ms = 1000; ms <= 7500; ms += 100) await at(ms);

    const calls = fake.requests().filter((r) => r.chatId === ownerDm.id && /^(sendMessage|editMessageText)$/.test(r.method));
    expect(calls.map((r) => [r.time - t0, r.status, r.params.text])).toEqual([
      [0, 429, 'note 1\nnote 2\nnote 3'],
      [5000, 200, '🛑 Kill switch engaged'],
      [6100, 200, 'note 1\nnote 2\nnote 3'],
      [7200, 200, 'Grid preview'],
    ]);
    const preview = fake.messages(ownerDm.id, TOKEN).find((m) => m.text === 'Grid preview')!;
    expect(preview.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Confirm', callback_data: 'c:1' }]] });

    await outbox.edit(ownerDm.id, preview.message_id, 'Grid preview\n\n☑️ Confirmed');
    await at(8000);
    expect(fake.messages(ownerDm.id, TOKEN).find((m) => m.message_id === preview.message_id)!.text).toBe('Grid preview');
    await at(8300);
    expect(fake.messages(ownerDm.id, TOKEN).find((m) => m.message_id === preview.message_id)!.text).toBe('Grid preview\n\n☑️ Confirmed');
    expect(fake.violations()).toEqual([]);
    expect(await outbox.stats()).toMatchObject({ messages: 4, dropped: 0, last429: { at: t0, retryAfterMs: 5000 } });
  });
});
