import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../src/domain/index.js';
import { type FakeTelegram, startFakeTelegram } from '../kit/fake-telegram/index.js';
import { pipelineRig } from '../kit/pipeline-rig.js';
import { until } from '../kit/until.js';

const TOKEN = '123456:TESTTOKENabcdefghijklmnopqrstuvwxyz';
const owner = { id: 1001, first_name: 'Owner', username: 'owner' };
const ownerDm = { id: 1001, type: 'private' as const };
const stranger = { id: 2002, first_name: 'Stranger' };
const strangerDm = { id: 2002, type: 'private' as const };

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
let fake: FakeTelegram | undefined;
afterEach(async () => {
  await rig?.close();
  await fake?.close();
  rig = undefined;
  fake = undefined;
});

const texts = (chatId: number) => fake!.messages(chatId, TOKEN).map((m) => m.text ?? '');
async function answer(chatId: number, pattern: RegExp, bound = 20_000): Promise<string> {
  await until(() => texts(chatId).some((t) => pattern.test(t)), bound);
  return texts(chatId).find((t) => pattern.test(t))!;
}

describe('telegrid on Telegram, end to end (the real grammY bot against a fake Bot API server)', () => {
  it('grid by button, fills and grid profit as chat messages, the read commands, /kill; a stranger gets only the refusal', async () => {
    fake = await startFakeTelegram();
    fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
    fake.addChat(ownerDm, TOKEN, owner);
    rig = await pipelineRig({
      env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.url, TELEGRAM_ALLOWED_CHAT_IDS: String(ownerDm.id) },
      limits: { ordersPer10s: 100_000 },
      balances: { USDT: fx('100000'), BTC: fx('1') },
    });
    expect(rig.app.front.kind).toBe('telegram');
    await answer(ownerDm.id, /telegrid · paper/);
    expect(fake.commands({ token: TOKEN }).map((c) => c.command)).toEqual(
      expect.arrayContaining(['grid', 'positions', 'orders', 'pnl', 'kill', 'whoami']),
    );

    fake.userSends(ownerDm, owner, '/grid BTCUSDT 10 0.5', TOKEN);
    await answer(ownerDm.id, /Grid preview for BTCUSDT/);
    const preview = fake.messages(ownerDm.id, TOKEN).find((m) => (m.text ?? '').includes('Grid preview'))!;
    const confirm = (preview.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard[0]![0]!;
    expect(confirm.text).toBe('Confirm');
    fake.userTaps(ownerDm, owner, preview.message_id, confirm.callback_data, TOKEN);
    await until(() => rig!.accepted.size === 20, 20_000);
    await until(() => rig!.app.kernel.tracker.open().every((o) => o.status === 'accepted'), 10_000);

    // The market falls through the first buy level, then comes back through the sell it re-armed: a round trip.
    const buy = rig.app.kernel.tracker
      .open()
      .filter((o) => o.intent.side === 'BUY')
      .sort((a, b) => Number(b.intent.price! - a.intent.price!))[0]!;
    rig.tick('BTCUSDT', buy.intent.price! - fx('1'));
    await answer(ownerDm.id, /Filled BUY [\d.]+ BTCUSDT|fills? on BTCUSDT/);
    await until(() => rig!.app.kernel.tracker.open().filter((o) => o.status === 'accepted').length === 20, 10_000);
    rig.tick('BTCUSDT', fx('95000') + fx('1'));
    await answer(ownerDm.id, /round trip|grid profit/i);

    fake.userSends(ownerDm, owner, '/positions', TOKEN);
    await answer(ownerDm.id, /BTCUSDT.*avg/s);
    fake.userSends(ownerDm, owner, '/orders', TOKEN);
    await answer(ownerDm.id, /Open orders: 20/);
    fake.userSends(ownerDm, owner, '/pnl', TOKEN);
    await answer(ownerDm.id, /Realized/i);

    fake.userSends(strangerDm, stranger, '/positions', TOKEN);
    fake.userSends(strangerDm, stranger, '/kill now', TOKEN);
    await until(() => fake!.messages(strangerDm.id, TOKEN).length >= 1, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messages(strangerDm.id, TOKEN)).toHaveLength(1); // one refusal, nothing else, and nothing ran
    expect(rig.app.kernel.tradingState.state()).toBe('ACTIVE');

    fake.userSends(ownerDm, owner, '/kill now', TOKEN);
    await answer(ownerDm.id, /Kill switch receipt/, 30_000);
    expect(rig.venueOpen()).toEqual([]);
  }, 90_000);
});
