import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import { systemTime } from '../../../src/execution/index.js';
import { type FakeTelegram, startFakeTelegram } from '../../kit/fake-telegram/index.js';
import { pipelineRig } from '../../kit/pipeline-rig.js';
import { until } from '../../kit/until.js';

const TOKEN = '123456:TESTTOKENabcdefghijklmnopqrstuvwxyz';
const owner = { id: 1001, first_name: 'Owner' };
const ownerDm = { id: 1001, type: 'private' as const };
const HOUR = 3_600_000;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
let fake: FakeTelegram | undefined;
afterEach(async () => {
  await rig?.close();
  await fake?.close();
  rig = fake = undefined;
});

describe('/chart on Telegram (the real grammY bot against the fake Bot API)', () => {
  it("sends a symbol's chart and a grid's as photos with captions through the outbox; bad arguments get the problem", async () => {
    fake = await startFakeTelegram();
    fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
    fake.addChat(ownerDm, TOKEN, owner);
    rig = await pipelineRig({
      env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.url, TELEGRAM_ALLOWED_CHAT_IDS: String(ownerDm.id) },
      // Six hours of the sandbox's tape before the bot starts, a trade a minute: the bot's candles come from its klines.
      beforeStart: (hub) => {
        const now = systemTime.now();
        for (let i = 0, t = now - 6 * HOUR; t < now - 60_000; i++, t += 60_000)
          hub.trade({
            symbol: 'BTCUSDT',
            price: fx('95000') + BigInt(i % 41) * fx('2.5'),
            quantity: fx('0.01'),
            time: t,
            tradeId: 700_000 + i,
            isBuyerMaker: i % 2 === 0,
          });
      },
    });
    const texts = () => fake!.messages(ownerDm.id, TOKEN).map((m) => m.text ?? '');
    await until(() => texts().some((t) => /telegrid · paper/.test(t)), 20_000);
    await until(() => rig!.app.kernel.candles.candles('BTCUSDT', '1m').length > 300, 20_000);
    fake.userSends(ownerDm, owner, '/chart BTCUSDT 6h', TOKEN);
    await until(() => fake!.photos(ownerDm.id, TOKEN).length === 1, 30_000);
    const [photo] = fake.photos(ownerDm.id, TOKEN);
    expect(photo?.caption).toBe('BTCUSDT · 1m · last 6 h');
    expect(Buffer.from(photo!.bytes!).subarray(0, 8)).toEqual(PNG);
    // A grid's chart: confirmed with the preview's button, then drawn with its ladder; the caption names it.
    fake.userSends(ownerDm, owner, '/grid BTCUSDT 3 0.5 50', TOKEN);
    await until(() => fake!.messages(ownerDm.id, TOKEN).some((m) => m.reply_markup !== undefined), 20_000);
    const preview = fake.messages(ownerDm.id, TOKEN).find((m) => m.reply_markup !== undefined)!;
    const buttons = (preview.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat();
    // The preview's Chart: the proposed ladder over the last 24 h, and the preview stays to confirm.
    const chart = buttons.find((b) => b.text === 'Chart')!;
    fake.userTaps(ownerDm, owner, preview.message_id, chart.callback_data, TOKEN);
    await until(() => fake!.photos(ownerDm.id, TOKEN).length === 2, 30_000);
    expect(fake.photos(ownerDm.id, TOKEN)[1]?.caption).toBe('BTCUSDT · 1h · last 24 h · proposed grid');
    const confirm = buttons.find((b) => b.text === 'Confirm')!;
    fake.userTaps(ownerDm, owner, preview.message_id, confirm.callback_data, TOKEN);
    await until(() => texts().some((t) => /Grid G1 started/.test(t)), 20_000);
    fake.userSends(ownerDm, owner, '/chart G1', TOKEN);
    await until(() => fake!.photos(ownerDm.id, TOKEN).length === 3, 30_000);
    expect(fake.photos(ownerDm.id, TOKEN)[2]?.caption).toBe('BTCUSDT · 1m · last 6 h · G1');
    fake.userSends(ownerDm, owner, '/chart G7', TOKEN);
    await until(() => texts().some((t) => t.includes('there is no grid G7')), 20_000);
    fake.userSends(ownerDm, owner, '/chart BTCUSDT 5h', TOKEN);
    await until(() => texts().some((t) => t.includes('WINDOW')), 20_000);
    expect(texts().find((t) => t.includes('WINDOW'))).toContain(
      "WINDOW: expected one of 1h, 6h, 24h, 7d, got '5h'; e.g. /chart BTCUSDT 6h.",
    );
  });
});
