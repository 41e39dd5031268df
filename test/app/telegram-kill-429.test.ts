import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../src/domain/index.js';
import { type FakeTelegram, startFakeTelegram } from '../kit/fake-telegram/index.js';
import { pipelineRig } from '../kit/pipeline-rig.js';
import { until, untilAsync } from '../kit/until.js';

const TOKEN = '123456:TESTTOKENabcdefghijklmnopqrstuvwxyz';
const owner = { id: 1001, first_name: 'Owner' };
const ownerDm = { id: 1001, type: 'private' as const };
/** Long enough that the commands below are queued while it holds, even on a busy machine. */
const PENALTY_SECONDS = 8;

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
let fake: FakeTelegram | undefined;
afterEach(async () => {
  await rig?.close();
  await fake?.close();
  rig = undefined;
  fake = undefined;
});

const texts = () => fake!.messages(ownerDm.id, TOKEN).map((m) => m.text ?? '');

describe('the whole bot on Telegram while Telegram answers 429 (the real transport, outbox and kill switch)', () => {
  it('sends the kill acknowledgement first when the penalty ends; the reply and notes queued before it follow, none dropped', async () => {
    fake = await startFakeTelegram();
    fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
    fake.addChat(ownerDm, TOKEN, owner);
    rig = await pipelineRig({
      env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.url, TELEGRAM_ALLOWED_CHAT_IDS: String(ownerDm.id), METRICS_PORT: '0' },
      balances: { USDT: fx('100000'), BTC: fx('1') },
    });
    await until(() => texts().some((t) => /telegrid · paper/.test(t)), 30_000);
    const outbox = rig.app.front.outbox!;
    const before = texts().length;

    fake.inject429({ chatId: ownerDm.id, method: 'sendMessage', retryAfter: PENALTY_SECONDS });
    rig.app.front.say('routine note one');
    await until(() => fake!.requests().some((r) => r.method === 'sendMessage' && r.status === 429), 10_000);
    const penaltyFrom = Date.now();
    fake.userSends(ownerDm, owner, '/status', TOKEN);
    rig.app.front.say('routine note two');
    await untilAsync(async () => ((await outbox.stats()).waiting?.routine ?? 0) >= 3, 10_000);
    const urgentBefore = (await outbox.stats()).waiting?.urgent ?? 0;
    fake.userSends(ownerDm, owner, '/kill now', TOKEN);
    await untilAsync(async () => ((await outbox.stats()).waiting?.urgent ?? 0) > urgentBefore, 10_000);
    // Everything above was queued inside the penalty, so what follows is about order, not about timing.
    expect(Date.now() - penaltyFrom).toBeLessThan(PENALTY_SECONDS * 1000);
    expect(rig.app.kernel.tradingState.state()).toBe('HALTED');

    await until(() => texts().length >= before + 4, 60_000);
    const after = texts().slice(before);
    expect(after[0]).toMatch(/^🛑 Kill switch: trading HALTED/);
    const joined = after.join('\n');
    expect(joined).toContain('routine note one');
    expect(joined).toContain('routine note two');
    expect(joined).toMatch(/Trading: HALTED|trading state|Mode/i); // the /status reply, delivered late rather than dropped
    expect(fake.violations()).toEqual([]);
  }, 120_000);
});
