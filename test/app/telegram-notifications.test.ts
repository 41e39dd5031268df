import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Dispatcher, Outbox, TelegramTransport } from '../../src/chat/index.js';
import { type Fixed, format, fx, parseFixed } from '../../src/domain/index.js';
import { systemClock } from '../../src/engine/index.js';
import { TELEGRAM_PACE } from '../../src/app/front-end.js';
import { FakeServices } from '../chat/fake-services.js';
import { type FakeTelegram, startFakeTelegram } from '../kit/fake-telegram/index.js';
import { until } from '../kit/until.js';
import { REDIS_URL, deleteKeys, uniquePrefix } from '../kit/redis.js';

const TOKEN = '123456:TESTTOKENabcdefghijklmnopqrstuvwxyz';
const owner = { id: 1001, first_name: 'Owner' };
const ownerDm = { id: 1001, type: 'private' as const };

let fake: FakeTelegram | undefined;
let outbox: Outbox | undefined;
let redis: Redis | undefined;
const prefix = uniquePrefix();
afterEach(async () => {
  await outbox?.stop();
  await fake?.close();
  await redis?.quit();
  await deleteKeys(prefix);
  outbox = undefined;
  fake = undefined;
  redis = undefined;
});

/** The real grammY transport's notify behind the Redis outbox, against the fake Bot API server enforcing Telegram's pace. */
async function setup() {
  fake = await startFakeTelegram();
  fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
  fake.addChat(ownerDm, TOKEN, owner);
  fake.enforceTelegramLimits(true);
  const transport = new TelegramTransport({
    token: TOKEN,
    apiRoot: fake.url,
    session: new Dispatcher({ services: new FakeServices(), clock: systemClock }),
    allowedChatIds: [String(ownerDm.id)],
    clock: systemClock,
    maxCommandAgeMs: 60_000,
    log: pino({ level: 'silent' }),
  });
  redis = new Redis(REDIS_URL);
  outbox = new Outbox({
    redis,
    keyPrefix: prefix,
    send: (chatId, text, o) => transport.notify(chatId, text, o),
    ...TELEGRAM_PACE,
    log: pino({ level: 'silent' }),
  });
  outbox.start();
  return { fake, outbox };
}

const sent = () => fake!.requests().filter((r) => r.method === 'sendMessage' && r.chatId === ownerDm.id);

/** Every fill a delivered message speaks for: a single fill's own line, or a digest line. */
function tally(texts: readonly string[]): { fills: number; qty: Fixed } {
  let fills = 0;
  let qty = 0n;
  for (const line of texts.flatMap((t) => t.split('\n'))) {
    const single = /^✅ Filled BUY (\S+) BTCUSDT/.exec(line);
    const digest = /^✅ (\d+) fills on BTCUSDT in the last [^:]+: (\d+) buys? (\S+) for/.exec(line);
    if (single) {
      fills += 1;
      qty += parseFixed(single[1]!)!;
    } else if (digest) {
      fills += Number(digest[1]);
      qty += parseFixed(digest[3]!)!;
    }
  }
  return { fills, qty };
}

describe('notifications through the outbox to Telegram', () => {
  it(
    '500 fills within 2 s to one chat: no 429 from a server enforcing 1 message/s, ' +
      'every fill counted exactly once, first message within 1 s',
    async () => {
      const { outbox } = await setup();
      const first = Date.now();
      let total = 0n;
      for (let i = 0; i < 500; i++) {
        const quantity = fx('0.001') + BigInt(i % 7); // a few units apart, so a lost or doubled fill shows in the sum
        total += quantity;
        await outbox.enqueue({
          chatId: ownerDm.id,
          kind: 'fill',
          text: `✅ Filled BUY ${format(quantity)} BTCUSDT @ 95000.00 (fee 0 USDT) · grid G1`,
          symbol: 'BTCUSDT',
          fill: { side: 'BUY', quantity, quote: fx('95'), quoteAsset: 'USDT' },
        });
        if (i % 50 === 49) await new Promise((r) => setTimeout(r, 200)); // 500 over about 2 s
      }
      await until(
        () =>
          tally(
            sent()
              .filter((r) => r.status === 200)
              .map((r) => String(r.params.text)),
          ).fills === 500,
        20_000,
      );

      const delivered = sent().filter((r) => r.status === 200);
      expect(sent().filter((r) => r.status === 429)).toEqual([]);
      expect(fake!.violations()).toEqual([]);
      expect(tally(delivered.map((r) => String(r.params.text)))).toEqual({ fills: 500, qty: total });
      expect(delivered[0]!.time - first).toBeLessThan(1_000);
      for (let i = 1; i < delivered.length; i++) expect(delivered[i]!.time - delivered[i - 1]!.time).toBeGreaterThanOrEqual(1_000);
    },
    30_000,
  );

  it('a 429 with retry_after 5: nothing is sent to that chat for 5 s, then delivery resumes and nothing is lost', async () => {
    const { outbox } = await setup();
    fake!.inject429({ chatId: ownerDm.id, retryAfter: 5 });
    for (let i = 1; i <= 3; i++) await outbox.enqueue({ chatId: ownerDm.id, kind: 'state', text: `note ${i}` });
    await until(() => sent().some((r) => r.status === 200), 15_000);
    const refused = sent().find((r) => r.status === 429)!;
    const next = sent().find((r) => r.time > refused.time)!;
    expect(next.time - refused.time).toBeGreaterThanOrEqual(5_000);
    expect(fake!.violations()).toEqual([]);
    await until(
      () => ['note 1', 'note 2', 'note 3'].every((n) => sent().some((r) => r.status === 200 && String(r.params.text).includes(n))),
      10_000,
    );
  }, 30_000);
});
