import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/chat/index.js';
import { catalogInstrument, fx } from '../../src/domain/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../src/sandbox/index.js';
import { type FakeTelegram, startFakeTelegram } from '../kit/fake-telegram/index.js';
import { until } from '../kit/until.js';
import { REDIS_URL, deleteKeys, uniquePrefix } from '../kit/redis.js';
import { spawnTelegrid } from '../kit/telegrid-process.js';

const TOKEN = '123456:TESTTOKENabcdefghijklmnopqrstuvwxyz';
const KEY = 'restart-key-0123456789';
const SECRET = 'restart-secret-0123456789';
const owner = { id: 1001, first_name: 'Owner' };
const ownerDm = { id: 1001, type: 'private' as const };

let fake: FakeTelegram | undefined;
let server: SandboxServer | undefined;
let child: ChildProcessWithoutNullStreams | undefined;
let redis: Redis | undefined;
const prefix = uniquePrefix();
afterEach(async () => {
  child?.kill('SIGKILL');
  await fake?.close();
  await server?.close();
  await redis?.quit();
  await deleteKeys(prefix);
});

function startBot(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; exit: Promise<number | null> } {
  const cwd = mkdtempSync(join(tmpdir(), 'telegrid-tg-'));
  const c = spawnTelegrid(['start'], env, cwd);
  c.stdout.resume();
  c.stderr.resume();
  return { child: c, exit: new Promise((resolve) => c.on('exit', (code) => resolve(code))) };
}

/** Fills a message speaks for: its own "Filled" line, or a digest line. */
function fillsIn(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) {
    if (/^✅ Filled (BUY|SELL) /.test(line)) n += 1;
    const digest = /^✅ (\d+) fills on /.exec(line);
    if (digest) n += Number(digest[1]);
  }
  return n;
}

describe('the bot process restarted with notifications still queued', () => {
  it('delivers every queued notification after the restart, none twice', async () => {
    fake = await startFakeTelegram();
    fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
    fake.addChat(ownerDm, TOKEN, owner);
    const hub = new SandboxHub({
      instruments: [catalogInstrument('BTCUSDT')!],
      balances: { USDT: fx('100000'), BTC: fx('1') },
      account: { apiKey: KEY, apiSecret: SECRET },
      now: () => Date.now(),
    });
    server = await startSandboxServer({ hub, limits: { ordersPer10s: 100_000 } });
    let tradeId = 1;
    const trade = (price: bigint) =>
      hub.trade({ symbol: 'BTCUSDT', price, quantity: fx('0.5'), time: Date.now(), tradeId: tradeId++, isBuyerMaker: false });
    let venueFills = 0;
    hub.onVenueEvent((e) => e.type === 'execution' && e.report.trade !== undefined && venueFills++);
    const env = {
      TRADING_MODE: 'paper',
      BINANCE_HTTP_BASE: server.httpBase,
      BINANCE_WS_BASE: server.wsBase,
      BINANCE_WS_API: server.wsApi,
      BINANCE_API_KEY: KEY,
      BINANCE_API_SECRET: SECRET,
      KEY_PREFIX: prefix,
      MARKET_SYMBOLS: 'BTCUSDT',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_ALLOWED_CHAT_IDS: String(ownerDm.id),
    };
    const texts = () =>
      fake!
        .requests()
        .filter((r) => r.method === 'sendMessage' && r.chatId === ownerDm.id && r.status === 200)
        .map((r) => String(r.params.text));
    const ticker = setInterval(() => trade(fx('95000')), 50);
    try {
      const first = startBot(env);
      child = first.child;
      await until(() => texts().some((t) => t.includes('telegrid · paper')), 30_000);
      // The feed may not have brought a trade yet ("no trade seen"): ask again until the preview comes.
      const previewed = () => fake!.messages(ownerDm.id, TOKEN).some((m) => (m.text ?? '').includes('Grid preview'));
      for (let attempt = 0; attempt < 10 && !previewed(); attempt++) {
        fake.userSends(ownerDm, owner, '/grid BTCUSDT 30 0.1 50', TOKEN);
        const replies = fake.messages(ownerDm.id, TOKEN).length + 1; // the bot's answer to it
        await until(() => fake!.messages(ownerDm.id, TOKEN).length >= replies, 10_000);
        if (!previewed()) await new Promise((r) => setTimeout(r, 500));
      }
      const preview = fake.messages(ownerDm.id, TOKEN).find((m) => (m.text ?? '').includes('Grid preview'))!;
      const confirm = (preview.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!;
      fake.userTaps(ownerDm, owner, preview.message_id, confirm.callback_data, TOKEN);
      await until(
        () => (hub.engine.openOrders('BTCUSDT').ok ? (hub.engine.openOrders('BTCUSDT') as { value: unknown[] }).value.length : 0) === 60,
        20_000,
      );
      await until(() => texts().some((t) => t.includes('Grid G1 started')), 10_000);
      clearInterval(ticker);

      // Telegram holds this chat back for 8 s; meanwhile the market falls through 30 buy levels, one trade at a time.
      fake.inject429({ chatId: ownerDm.id, retryAfter: 8 });
      for (let step = 1; step <= 30; step++) trade(fx('95000') - (fx('95000') * BigInt(step)) / 1000n - fx('1'));
      redis = new Redis(REDIS_URL);
      const reader = new Outbox({ redis, keyPrefix: prefix, send: async () => ({ ok: true }), log: pino({ level: 'silent' }) });
      await until(() => venueFills >= 30, 10_000);
      let queued = 0;
      const enough = async () => (queued = await reader.pending(ownerDm.id)) >= 50;
      for (let i = 0; i < 500 && !(await enough()); i++) await new Promise((r) => setTimeout(r, 10));
      expect(queued).toBeGreaterThanOrEqual(50);

      first.child.kill('SIGTERM');
      expect(await first.exit).toBe(0);
      const second = startBot(env);
      child = second.child;
      const ticker2 = setInterval(() => trade(fx('95000') - (fx('95000') * 30n) / 1000n - fx('1')), 50);
      try {
        await until(() => fillsIn(texts().join('\n')) >= venueFills, 40_000);
      } finally {
        clearInterval(ticker2);
      }
      // Everything queued goes out (position and round-trip lines after the fills), and every fill is counted once.
      for (let i = 0; i < 3000 && (await reader.pending(ownerDm.id)) > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await reader.pending(ownerDm.id)).toBe(0);
      expect(fillsIn(texts().join('\n'))).toBe(venueFills);
      second.child.kill('SIGTERM');
      expect(await second.exit).toBe(0);
    } finally {
      clearInterval(ticker);
    }
  }, 120_000);
});
