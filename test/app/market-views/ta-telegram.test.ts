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

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
let fake: FakeTelegram | undefined;
afterEach(async () => {
  await rig?.close();
  await fake?.close();
  rig = fake = undefined;
});

const texts = () => fake!.messages(ownerDm.id, TOKEN).map((m) => m.text ?? '');
async function answer(pattern: RegExp): Promise<string> {
  await until(() => texts().some((t) => pattern.test(t)), 20_000);
  return texts().find((t) => pattern.test(t))!;
}

describe('/ta on Telegram (the real grammY bot against the fake Bot API)', () => {
  it("answers with the readings of the sandbox's closed hours, and bad arguments with the specific problem", async () => {
    fake = await startFakeTelegram();
    fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
    fake.addChat(ownerDm, TOKEN, owner);
    rig = await pipelineRig({
      env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.url, TELEGRAM_ALLOWED_CHAT_IDS: String(ownerDm.id) },
      // Twenty hours of the sandbox's tape before the bot starts: a trade every five minutes, the price walking up.
      beforeStart: (hub) => {
        const now = systemTime.now();
        const from = now - (now % HOUR) - 20 * HOUR;
        for (let i = 0, t = from; t < now - HOUR; i++, t += 300_000)
          hub.trade({
            symbol: 'BTCUSDT',
            price: fx('95000') + BigInt(i % 37) * fx('3.5'),
            quantity: fx('0.01'),
            time: t,
            tradeId: 500_000 + i,
            isBuyerMaker: i % 2 === 0,
          });
      },
    });
    await answer(/telegrid · paper/);
    fake.userSends(ownerDm, owner, '/ta BTCUSDT 1h', TOKEN);
    const ta = await answer(/BTCUSDT · 1h · \d+ closed candles/);
    expect(ta).toMatch(/RSI\(14\) \d+\.\d+: (neutral|overbought|oversold)/);
    expect(ta).toMatch(/BB\(20,2\) [\d.]+–[\d.]+/);
    expect(ta).toContain('Indicators are advice computed in floating point, not orders.');
    fake.userSends(ownerDm, owner, '/ta BTCUSDT 2h', TOKEN);
    expect(await answer(/INTERVAL/)).toContain("INTERVAL: expected one of 1h, 4h, 1d, got '2h'; e.g. /ta BTCUSDT 4h.");
  });
});
