import { afterEach, describe, expect, it } from 'vitest';
import { ORDER_QUEUES, REDIS_KEYS, type RedisKeyName } from '../../src/domain/index.js';
import { type FakeTelegram, startFakeTelegram } from '../kit/fake-telegram/index.js';
import { paperChat, until } from '../kit/paper-chat.js';
import { deleteKeys, uniquePrefix } from '../kit/redis.js';
import { watchRedisKeys } from '../kit/redis-key-watch.js';

const TOKEN = '123456:TESTTOKENabcdefghijklmnopqrstuvwxyz';
const owner = { id: 1001, first_name: 'Owner', username: 'owner' };
const ownerDm = { id: 1001, type: 'private' as const };

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('every Redis key the bot writes is in the one table (domain/redis-keys.ts)', () => {
  it('a full paper run on Telegram: grid, fills, a round trip, /kill, shutdown — no key outside the table, every family seen', async () => {
    const prefix = uniquePrefix();
    cleanup.push(() => deleteKeys(prefix));
    const watch = await watchRedisKeys(prefix);
    cleanup.push(() => watch.stop());
    const fake: FakeTelegram = await startFakeTelegram();
    cleanup.push(() => fake.close());
    fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
    fake.addChat(ownerDm, TOKEN, owner);

    // The bot as `npm start` builds it in paper mode: its own sandbox (the paper account in Redis), the BullMQ pipeline
    // with the rate budget, the state store, the prefix lease, and the Telegram front end with its Redis outbox.
    const { app, market } = await paperChat({
      KEY_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_ALLOWED_CHAT_IDS: String(ownerDm.id),
    });
    let running = true;
    cleanup.push(async () => {
      if (running) await app.shutdown();
    });
    const texts = () => fake.messages(ownerDm.id, TOKEN).map((m) => m.text ?? '');
    const said = (pattern: RegExp, bound = 30_000) => until(() => texts().some((t) => pattern.test(t)), bound);
    await said(/telegrid · paper/);
    await market(0.2);

    fake.userSends(ownerDm, owner, '/grid BTCUSDT 10 0.5', TOKEN);
    await said(/Grid preview for BTCUSDT/);
    const preview = fake.messages(ownerDm.id, TOKEN).find((m) => (m.text ?? '').includes('Grid preview'))!;
    const confirm = (preview.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!;
    fake.userTaps(ownerDm, owner, preview.message_id, confirm.callback_data, TOKEN);
    await said(/Grid G1 started/);

    // A minute of the synthetic market fills orders both ways and closes a round trip (as in the paper demo).
    await market(60);
    await said(/Filled (BUY|SELL)|fills? on BTCUSDT/);
    await said(/round trip|grid profit/i);
    await watch.sample();

    fake.userSends(ownerDm, owner, '/kill now', TOKEN);
    await said(/Kill switch receipt/, 30_000);
    await said(/HALTED|halted/, 30_000); // the urgent notification of the halt, through the outbox
    await watch.sample(); // the lease and its fingerprint are deleted at a clean stop: seen before it
    running = false;
    await app.shutdown();
    await watch.stop();

    // BullMQ passes its key base `<prefix>:<queue>:` among a script's KEYS (the scripts build job keys on it): a prefix
    // of keys, never a key itself.
    const bases = Object.values(ORDER_QUEUES).map((q) => `${prefix}:${q}:`);
    expect(bases.filter((b) => watch.existed.has(b))).toEqual([]);
    const all = watch.judge([...watch.existed, ...[...watch.named].filter((k) => !bases.includes(k))]);
    expect(all.strays, 'keys no family of the table matches').toEqual([]);
    expect(all.ambiguous, 'keys more than one family matches').toEqual([]);

    const names = Object.keys(REDIS_KEYS) as RedisKeyName[];
    const existed = watch.judge(watch.existed).families;
    const named = watch.judge(watch.named).families;
    // `run` families were written (a SCAN found one); `brief` ones live for moments, so the run must at least name them.
    expect(names.filter((n) => REDIS_KEYS[n].seen === 'run' && !existed.has(n))).toEqual([]);
    expect(names.filter((n) => REDIS_KEYS[n].seen === 'brief' && !existed.has(n) && !named.has(n))).toEqual([]);
    // A `rare` family the run wrote after all is not rare: the table should say so.
    expect(names.filter((n) => REDIS_KEYS[n].seen === 'rare' && existed.has(n))).toEqual([]);
  }, 120_000);
});
