import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type WatchdogEvent, deadmanSwitchKey, heartbeatKey, runWatchdog } from '../../src/app/deadman/index.js';
import { accountId } from '../../src/app/prefix-lease.js';
import { REDIS_KEYS, catalogInstrument, fx } from '../../src/domain/index.js';
import { SandboxHub, startSandboxServer } from '../../src/sandbox/index.js';
import { type FakeTelegram, startFakeTelegram } from '../kit/fake-telegram/index.js';
import { REDIS_URL, deleteKeys, uniquePrefix } from '../kit/redis.js';

/**
 * The watchdog's rules, with a bot's last heartbeat written by hand (a bot that died a minute ago) instead of a bot:
 * the bound set with /deadman wins over the setting, two watchdogs act once between them, and a watchdog never acts
 * for a bot that trades with another key.
 */

const KEY = 'rules-key-0123456789';
const SECRET = 'rules-secret-0123456789';
const TOKEN = '123456:TESTTOKENabcdefghijklmnopqrstuvwxyz';
const ownerDm = { id: 1001, type: 'private' as const };

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function waitFor(done: () => boolean, what: string, said: () => string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${said()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function world() {
  const prefix = uniquePrefix();
  cleanup.push(() => deleteKeys(prefix));
  const redis = new Redis(REDIS_URL);
  cleanup.push(() => redis.quit());
  const hub = new SandboxHub({
    instruments: [catalogInstrument('BTCUSDT')!, catalogInstrument('ETHUSDT')!],
    balances: { USDT: fx('10000') },
    account: { apiKey: KEY, apiSecret: SECRET },
    now: () => Date.now(),
  });
  hub.trade({ symbol: 'BTCUSDT', price: fx('95000'), quantity: fx('0.01'), time: Date.now(), tradeId: 1, isBuyerMaker: false });
  hub.trade({ symbol: 'ETHUSDT', price: fx('3000'), quantity: fx('0.1'), time: Date.now(), tradeId: 1, isBuyerMaker: false });
  const server = await startSandboxServer({ hub });
  cleanup.push(() => server.close());
  const fake: FakeTelegram = await startFakeTelegram();
  cleanup.push(() => fake.close());
  fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
  fake.addChat(ownerDm, TOKEN, { id: ownerDm.id, first_name: 'Owner' });
  const env = {
    REDIS_URL,
    TRADING_MODE: 'paper',
    BINANCE_HTTP_BASE: server.httpBase,
    BINANCE_WS_BASE: server.wsBase,
    BINANCE_WS_API: server.wsApi,
    BINANCE_API_KEY: KEY,
    BINANCE_API_SECRET: SECRET,
    KEY_PREFIX: prefix,
    // ETHUSDT only through the dead bot's saved orders.
    MARKET_SYMBOLS: 'BTCUSDT',
    WATCHDOG_POLL_SECONDS: '1',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_ALLOWED_CHAT_IDS: String(ownerDm.id),
  };
  const place = (clientOrderId: string, symbol: string, price: string, quantity: string) =>
    expect(hub.placeOrder({ clientOrderId, symbol, side: 'BUY', type: 'LIMIT', price: fx(price), quantity: fx(quantity) }).ok).toBe(true);
  const open = () => {
    const listed = hub.engine.openOrders();
    return listed.ok ? listed.value.map((r) => r.clientOrderId).sort() : [];
  };
  /** A bot's last heartbeat, a minute old on Redis's clock, with the key it traded with. */
  const deadBot = async (apiKey = KEY) => {
    const [sec, usec] = await redis.time();
    const at = Number(sec) * 1000 + Math.floor(Number(usec) / 1000) - 60_000;
    const beat = {
      version: 1,
      token: 'dead-bot',
      host: 'box-1',
      pid: 4242,
      mode: 'paper',
      exchange: server.httpBase,
      startedAt: at - 3_600_000,
      heartbeatAt: at,
      leaseMs: 20_000,
      at,
      everyMs: 5_000,
      account: accountId(apiKey),
    };
    await redis.set(heartbeatKey(prefix), JSON.stringify(beat));
    // Its saved ETHUSDT order, as the state store writes it (only the symbol matters to the watchdog).
    await redis.hset(
      REDIS_KEYS.stateOrders.key(prefix),
      'tg_G2_1_B-1',
      JSON.stringify({ version: 1, record: { intent: { symbol: 'ETHUSDT' } } }),
    );
  };
  return { prefix, redis, fake, env, place, open, deadBot };
}

function watchdog(env: Record<string, string>) {
  const config = loadConfig(env);
  if (!config.ok) throw new Error(config.message);
  const events: WatchdogEvent[] = [];
  const lines: string[] = [];
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const code = runWatchdog(
    config.config,
    pino({ level: 'silent' }),
    stopped,
    (l) => lines.push(l),
    (e) => events.push(e),
  );
  cleanup.push(async () => (stop(), await code));
  return { events, code, said: () => lines.join('\n'), stop };
}

describe("the watchdog's rules", () => {
  it('the bound set with /deadman wins over DEADMAN_AFTER_SECONDS=0; two watchdogs act once between them, on every symbol', async () => {
    const w = await world();
    w.place('tg_G1_1_B-1', 'BTCUSDT', '90000', '0.001');
    w.place('tg_G2_1_B-1', 'ETHUSDT', '2900', '0.01');
    w.place('by-hand', 'ETHUSDT', '2800', '0.01');
    await w.deadBot();
    const one = watchdog(w.env);
    await waitFor(() => one.events.some((e) => e.kind === 'look'), 'a look', one.said);
    expect(one.events[0]).toEqual({ kind: 'look', phase: 'off', ageMs: expect.any(Number) as number, boundSeconds: 0 });
    expect(w.open()).toEqual(['by-hand', 'tg_G1_1_B-1', 'tg_G2_1_B-1']);

    // /deadman 30 as the bot stores it; a second watchdog on another machine starts meanwhile.
    await w.redis.hset(deadmanSwitchKey(w.prefix), 'after', '30');
    const two = watchdog(w.env);
    const acted = () => [...one.events, ...two.events].filter((e) => e.kind === 'acted');
    await waitFor(
      () => acted().length === 1,
      'one of them to act',
      () => `${one.said()}\n${two.said()}`,
    );
    const looksAfter = (x: { events: WatchdogEvent[] }) => x.events.filter((e) => e.kind === 'look' && e.phase === 'acted').length;
    await waitFor(
      () => looksAfter(one) >= 2 && looksAfter(two) >= 2,
      'both to look again',
      () => `${one.said()}\n${two.said()}`,
    );
    expect(acted()).toHaveLength(1);
    const [event] = acted();
    if (event?.kind !== 'acted') throw new Error('unreachable');
    // BTCUSDT had only the bot's order: one cancel-all; ETHUSDT (known from the saved orders) also the owner's: one by one.
    expect(event.cancels.canceled.map((o) => `${o.symbol} ${o.clientOrderId}`).sort()).toEqual([
      'BTCUSDT tg_G1_1_B-1',
      'ETHUSDT tg_G2_1_B-1',
    ]);
    expect(w.open()).toEqual(['by-hand']);
    expect(event.text).toContain('(bound 30 s, set with /deadman)');
    expect(event.text).toContain('no heartbeat from the bot on host box-1, pid 4242');
    expect(w.fake.messages(ownerDm.id, TOKEN)).toHaveLength(1);
    expect(await w.redis.get(REDIS_KEYS.tradingState.key(w.prefix))).toBe('HALTED');
  });

  it('refuses (exit 2) to act for a bot that trades with another key, and cancels nothing', async () => {
    const w = await world();
    w.place('tg_G1_1_B-1', 'BTCUSDT', '90000', '0.001');
    await w.deadBot('another-account-key-0123');
    const one = watchdog({ ...w.env, DEADMAN_AFTER_SECONDS: '20' });
    expect(await one.code).toBe(2);
    expect(one.said()).toMatch(/refusing to act for KEY_PREFIX .*: the bot on host box-1, pid 4242 \(paper on .*\) trades elsewhere: /);
    expect(one.said()).toMatch(/the bot's API key is sha256:[0-9a-f]{16}, this watchdog's sha256:[0-9a-f]{16}/);
    expect(w.open()).toEqual(['tg_G1_1_B-1']);
    expect(await w.redis.get(REDIS_KEYS.tradingState.key(w.prefix))).toBeNull();
    expect(w.fake.messages(ownerDm.id, TOKEN)).toEqual([]);
  });
});
