import { afterEach, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/app/config.js';
import { paperMarket } from '../../src/app/venue.js';
import { type ExchangeConnection, openPaperExchange } from '../../src/app/paper-exchange.js';
import { fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { accountKey, signPayload } from '../../src/sandbox/index.js';
import { closedPort, deleteKeys, uniquePrefix, withRedis } from '../kit/redis.js';

const START = Date.UTC(2025, 0, 1);
const prefixes: string[] = [];
const open: ExchangeConnection[] = [];
afterEach(async () => {
  for (const e of open.splice(0)) await e.close();
  for (const p of prefixes.splice(0)) await deleteKeys(p);
});

function settings(env: Record<string, string>): Config {
  const res = loadConfig(env);
  if (!res.ok) throw new Error(res.message);
  return res.config;
}

async function start(env: Record<string, string>): Promise<ExchangeConnection> {
  const config = settings(env);
  const clock = new ManualClock(START);
  const market = paperMarket(config, START);
  if (!market.ok) throw new Error(market.error.message);
  const ex = await openPaperExchange(config, market.value, clock);
  if (!ex.ok) throw new Error(ex.error.message);
  open.push(ex.value);
  return ex.value;
}

async function signedGet(ex: ExchangeConnection, path: string, query: string): Promise<unknown> {
  const q = `${query}&timestamp=${START}`;
  const res = await fetch(`${ex.endpoints.httpBase}${path}?${q}&signature=${signPayload(ex.apiSecret, q)}`, {
    headers: { 'X-MBX-APIKEY': ex.apiKey },
  });
  return res.json();
}

describe('PAPER_RESET', () => {
  it('defaults to false and takes true or false, naming the form otherwise', () => {
    expect(settings({}).PAPER_RESET).toBe(false);
    expect(settings({ PAPER_RESET: 'true' }).PAPER_RESET).toBe(true);
    expect(settings({ PAPER_RESET: 'false' }).PAPER_RESET).toBe(false);
    const bad = loadConfig({ PAPER_RESET: 'yes' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toContain('PAPER_RESET: expected true or false, e.g. PAPER_RESET=true');
  });
});

describe('the embedded sandbox keeps its paper account in Redis', () => {
  it('a restarted exchange answers openOrders, allOrders and myTrades as it left them; PAPER_RESET starts afresh', async () => {
    const KEY_PREFIX = uniquePrefix();
    prefixes.push(KEY_PREFIX);
    const first = await start({ KEY_PREFIX, PAPER_BALANCES: 'USDT=1000' });
    expect(first.warning).toBeUndefined();
    const hub = first.embedded!.hub;
    for (const [id, price] of [
      ['a', '50000'],
      ['b', '40000'],
    ] as const) {
      const r = hub.placeOrder({
        clientOrderId: id,
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        price: fx(price),
        quantity: fx('0.001'),
      });
      expect(r.ok).toBe(true);
    }
    hub.trade({ symbol: 'BTCUSDT', price: fx('49000'), quantity: fx('1'), time: START, tradeId: 1, isBuyerMaker: true });
    const before = await Promise.all([
      signedGet(first, '/api/v3/openOrders', 'symbol=BTCUSDT'),
      signedGet(first, '/api/v3/allOrders', 'symbol=BTCUSDT'),
      signedGet(first, '/api/v3/myTrades', 'symbol=BTCUSDT'),
      signedGet(first, '/api/v3/account', 'omitZeroBalances=true'),
    ]);
    expect((before[2] as unknown[]).length).toBe(1);
    await first.close();
    open.splice(0);

    const second = await start({ KEY_PREFIX, PAPER_BALANCES: 'USDT=5' });
    const after = await Promise.all([
      signedGet(second, '/api/v3/openOrders', 'symbol=BTCUSDT'),
      signedGet(second, '/api/v3/allOrders', 'symbol=BTCUSDT'),
      signedGet(second, '/api/v3/myTrades', 'symbol=BTCUSDT'),
      signedGet(second, '/api/v3/account', 'omitZeroBalances=true'),
    ]);
    expect(after).toEqual(before);
    await second.close();
    open.splice(0);

    const reset = await start({ KEY_PREFIX, PAPER_BALANCES: 'USDT=5', PAPER_RESET: 'true' });
    expect(await signedGet(reset, '/api/v3/openOrders', 'symbol=BTCUSDT')).toEqual([]);
    expect(await signedGet(reset, '/api/v3/myTrades', 'symbol=BTCUSDT')).toEqual([]);
    const balances = (await signedGet(reset, '/api/v3/account', 'omitZeroBalances=true')) as {
      balances: { asset: string; free: string }[];
    };
    expect(balances.balances.map((b) => [b.asset, b.free])).toEqual([['USDT', '5.00000000']]);
  });

  it('refuses a stored account it cannot read, naming the key and PAPER_RESET, and leaves it untouched', async () => {
    const KEY_PREFIX = uniquePrefix();
    prefixes.push(KEY_PREFIX);
    await withRedis((r) => r.set(accountKey(KEY_PREFIX), 'garbage'));
    const config = settings({ KEY_PREFIX });
    const market = paperMarket(config, START);
    if (!market.ok) throw new Error(market.error.message);
    const res = await openPaperExchange(config, market.value, new ManualClock(START));
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('ACCOUNT_CORRUPT');
      expect(res.error.message).toContain(accountKey(KEY_PREFIX));
      expect(res.error.message).toContain('PAPER_RESET=true');
    }
    expect(!res.ok && res.error.message).toMatch(/not valid JSON/);
    expect(await withRedis((r) => r.get(accountKey(KEY_PREFIX)))).toBe('garbage');
  });

  it('with Redis down, paper mode starts in memory and returns one warning for the chat', async () => {
    const port = await closedPort();
    const ex = await start({ KEY_PREFIX: uniquePrefix(), REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(ex.embedded).toBeDefined();
    expect(ex.warning).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable.*in memory only/);
    expect(await signedGet(ex, '/api/v3/openOrders', 'symbol=BTCUSDT')).toEqual([]);
  });
});
