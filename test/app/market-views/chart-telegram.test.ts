import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import { type TelegramChat, TOKEN, owner, ownerDm, pastTrades, telegramChat } from '../../kit/telegram-chat.js';
import { until } from '../../kit/until.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let chat: TelegramChat | undefined;
afterEach(async () => {
  await chat?.close();
  chat = undefined;
});

describe('/chart on Telegram (the real grammY bot against the fake Bot API)', () => {
  it("sends a symbol's chart and a grid's as photos with captions through the outbox; bad arguments get the problem", async () => {
    // Six hours of the sandbox's tape before the bot starts, a trade a minute: the bot's candles come from its klines.
    chat = await telegramChat({
      beforeStart: pastTrades({ hours: 6, untilMsAgo: 60_000, everyMs: 60_000, step: fx('2.5'), cycle: 41, firstId: 700_000 }),
    });
    const c = chat;
    await until(() => c.rig.app.kernel.candles.candles('BTCUSDT', '1m').length > 300, 20_000);
    c.fake.userSends(ownerDm, owner, '/chart BTCUSDT 6h', TOKEN);
    await until(() => c.photos().length === 1, 30_000);
    const [photo] = c.photos();
    expect(photo?.caption).toBe('BTCUSDT · 1m · last 6 h');
    expect(Buffer.from(photo!.bytes!).subarray(0, 8)).toEqual(PNG);

    // A grid's preview: its Chart draws the proposed ladder over the last 24 h, and the preview stays to confirm.
    await c.send('/grid BTCUSDT 3 0.5 50', /Grid preview/);
    const preview = c.messages().find((m) => m.reply_markup !== undefined)!;
    c.tap(preview, 'Chart');
    await until(() => c.photos().length === 2, 30_000);
    expect(c.photos()[1]?.caption).toBe('BTCUSDT · 1h · last 24 h · proposed grid');
    c.tap(preview, 'Confirm');
    await c.answer(/Grid G1 started/);

    // The grid's own chart, with its ladder; the caption names it.
    c.fake.userSends(ownerDm, owner, '/chart G1', TOKEN);
    await until(() => c.photos().length === 3, 30_000);
    expect(c.photos()[2]?.caption).toBe('BTCUSDT · 1m · last 6 h · G1');
    expect(await c.send('/chart G7', /there is no grid/)).toContain('there is no grid G7; /grids lists them');
    expect(await c.send('/chart BTCUSDT 5h', /WINDOW/)).toContain(
      "WINDOW: expected one of 1h, 6h, 24h, 7d, got '5h'; e.g. /chart BTCUSDT 6h.",
    );
  });
});
