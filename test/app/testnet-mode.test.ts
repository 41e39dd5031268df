import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type TradingApp, startTradingApp } from '../../src/app/trading-app.js';
import { type Instrument, catalogInstrument, fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { SandboxHub, type SandboxServer, signPayload, startSandboxServer } from '../../src/sandbox/index.js';
import { until } from '../kit/paper-chat.js';
import { deleteKeys, uniquePrefix } from '../kit/redis.js';

const KEY = 'testnet-key-0123456789';
const SECRET = 'testnet-secret-0123456789';
let app: TradingApp | undefined;
let server: SandboxServer | undefined;
// The bot keeps its state and order queue in Redis: under a prefix of this run's own, deleted afterwards.
const prefix = uniquePrefix();
afterEach(async () => {
  await app?.shutdown();
  await server?.close();
  await deleteKeys(prefix);
  app = undefined;
  server = undefined;
});

describe('TRADING_MODE=testnet', () => {
  it('trades through the adapter and the feed at the configured URLs with the owner key, and runs no sandbox of its own', async () => {
    // Binance's testnet cannot be reached from here: a sandbox stands in for it at the BINANCE_* overrides.
    const clock = new ManualClock(1_741_046_400_000);
    const hub = new SandboxHub({
      instruments: [catalogInstrument('BTCUSDT') as Instrument],
      balances: { USDT: fx('5000') },
      account: { apiKey: KEY, apiSecret: SECRET },
      now: () => clock.now(),
    });
    server = await startSandboxServer({ hub });
    const config = loadConfig({
      TRADING_MODE: 'testnet',
      BINANCE_API_KEY: KEY,
      BINANCE_API_SECRET: SECRET,
      BINANCE_HTTP_BASE: server.httpBase,
      BINANCE_WS_BASE: server.wsBase,
      BINANCE_WS_API: server.wsApi,
      MARKET_SYMBOLS: 'BTCUSDT',
      KEY_PREFIX: prefix,
    });
    if (!config.ok) throw new Error(config.message);
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (c: Buffer) => (screen += c.toString('utf8')));
    const started = await startTradingApp(config.config, { input, output, clock, log: pino({ level: 'silent' }), terminal: false });
    if (!started.ok) throw new Error(started.error.message);
    app = started.value;
    expect(app.exchange.embedded).toBeUndefined();
    expect(screen).toContain(`testnet on the exchange at ${server.httpBase}`);

    // The market arrives over the feed; the owner asks for a grid and confirms.
    await until(() => server!.faults.status().sockets.market > 0);
    let id = 0;
    const trade = (price: string) =>
      hub.trade({ symbol: 'BTCUSDT', price: fx(price), quantity: fx('0.01'), time: clock.now(), tradeId: ++id, isBuyerMaker: false });
    trade('95000');
    await until(() => app!.kernel.market.lastPrice('BTCUSDT') !== undefined);
    input.write('/grid BTCUSDT 3 0.5 100\n');
    await until(() => screen.includes('Type confirm or cancel.'));
    input.write('confirm\n');
    await until(() => screen.includes('Grid G1 started'));
    // 3 buys at once; the market buy for the sell side fills, then the 3 sells go out.
    await until(() => app!.kernel.tracker.open().filter((o) => o.status === 'accepted').length === 6);

    const query = `symbol=BTCUSDT&timestamp=${clock.now()}`;
    const res = await fetch(`${server.httpBase}/api/v3/openOrders?${query}&signature=${signPayload(SECRET, query)}`, {
      headers: { 'X-MBX-APIKEY': KEY },
    });
    const orders = (await res.json()) as { clientOrderId: string }[];
    expect(orders.map((o) => o.clientOrderId).sort()).toEqual(
      app.kernel.tracker
        .open()
        .map((o) => o.intent.clientOrderId)
        .sort(),
    );
  });
});
