import { afterEach, describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../kit/fake-telegram/index.js';
import { pipelineRig } from '../kit/pipeline-rig.js';
import { privateRedis } from '../kit/redis-process.js';
import { until } from '../kit/until.js';

const TOKEN = '123456:TESTTOKENabcdefghijklmnopqrstuvwxyz';
const owner = { id: 1001, first_name: 'Owner' };
const ownerDm = { id: 1001, type: 'private' as const };

let rig: Awaited<ReturnType<typeof pipelineRig>> | undefined;
let redis: Awaited<ReturnType<typeof privateRedis>> | undefined;
let fake: FakeTelegram | undefined;
afterEach(async () => {
  await rig?.close();
  await redis?.kill();
  await fake?.close();
  rig = undefined;
  redis = undefined;
  fake = undefined;
}, 30_000);

describe('alerts about Redis on Telegram', () => {
  it('"Redis connection lost" reaches the chat while Redis is still down (it does not travel through Redis), then "back"', async () => {
    fake = await startFakeTelegram();
    fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
    fake.addChat(ownerDm, TOKEN, owner);
    fake.enforceTelegramLimits(true);
    redis = await privateRedis();
    rig = await pipelineRig({
      env: {
        REDIS_URL: redis.url,
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: fake.url,
        TELEGRAM_ALLOWED_CHAT_IDS: String(ownerDm.id),
      },
    });
    const texts = () => fake!.messages(ownerDm.id, TOKEN).map((m) => m.text ?? '');
    const said = (pattern: RegExp) => until(() => texts().some((t) => pattern.test(t)), 20_000);
    await said(/telegrid · paper/); // the start banner, through the outbox

    await redis.kill();
    await said(/Redis connection lost/); // Redis is still down here: it starts again only below
    await redis.start();
    await said(/Redis is back/);
    expect(fake.violations()).toEqual([]);
  }, 60_000);
});
