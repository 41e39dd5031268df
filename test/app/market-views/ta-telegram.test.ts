import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import { type TelegramChat, pastTrades, telegramChat } from '../../kit/telegram-chat.js';

let chat: TelegramChat | undefined;
afterEach(async () => {
  await chat?.close();
  chat = undefined;
});

describe('/ta on Telegram (the real grammY bot against the fake Bot API)', () => {
  it("answers with the readings of the sandbox's closed hours, and bad arguments with the specific problem", async () => {
    // Twenty hours of the sandbox's tape before the bot starts: a trade every five minutes, the price walking up.
    chat = await telegramChat({
      beforeStart: pastTrades({
        hours: 20,
        wholeHours: true,
        untilMsAgo: 3_600_000,
        everyMs: 300_000,
        step: fx('3.5'),
        cycle: 37,
        firstId: 500_000,
      }),
    });
    const ta = await chat.send('/ta BTCUSDT 1h', /BTCUSDT · 1h · \d+ closed candles/);
    expect(ta).toMatch(/RSI\(14\) \d+\.\d+: (neutral|overbought|oversold)/);
    expect(ta).toMatch(/BB\(20,2\) [\d.]+–[\d.]+/);
    expect(ta).toContain('Indicators are advice computed in floating point, not orders.');
    expect(await chat.send('/ta BTCUSDT 2h', /INTERVAL/)).toContain("INTERVAL: expected one of 1h, 4h, 1d, got '2h'; e.g. /ta BTCUSDT 4h.");
  });
});
