import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type TradingApp, startTradingApp } from '../../src/app/trading-app.js';
import { catalogInstrument, fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../src/sandbox/index.js';
import { deleteKeys, uniquePrefix } from '../kit/redis.js';
import { paperOnSandbox } from '../kit/sandbox-env.js';
import { until } from '../kit/until.js';

const ACCOUNT = { apiKey: 'candles-app-key-0123456789', apiSecret: 'candles-app-secret-0123456789' };
const HOUR = 3_600_000;
const prefix = uniquePrefix();
let server: SandboxServer | undefined;
let app: TradingApp | undefined;
afterEach(async () => {
  await app?.shutdown();
  await server?.close();
  await deleteKeys(prefix);
  app = server = undefined;
}, 30_000);

describe("the bot's candles at start", () => {
  it("hold the exchange's klines of the hours before it started, exact, with the feed's own after them", async () => {
    const start = Date.UTC(2025, 0, 1, 12);
    const clock = new ManualClock(start - 3 * HOUR);
    const hub = new SandboxHub({
      instruments: [catalogInstrument('BTCUSDT')!],
      balances: { USDT: fx('10000') },
      account: ACCOUNT,
      now: () => clock.now(),
    });
    server = await startSandboxServer({ hub });
    // Three hours of trades before the bot exists: one a minute, the price walking up a cent each.
    let id = 0;
    for (let t = start - 3 * HOUR; t < start; t += 60_000) {
      clock.set(t);
      hub.trade({
        symbol: 'BTCUSDT',
        price: fx('50000') + BigInt(id) * fx('0.01'),
        quantity: fx('0.01'),
        time: t,
        tradeId: ++id,
        isBuyerMaker: false,
      });
    }
    clock.set(start);
    const loaded = loadConfig({ ...paperOnSandbox(server, ACCOUNT, prefix), MARKET_SYMBOLS: 'BTCUSDT', METRICS_PORT: '0' });
    if (!loaded.ok) throw new Error(loaded.message);
    const started = await startTradingApp(loaded.config, {
      input: new PassThrough(),
      output: new PassThrough(),
      clock,
      log: pino({ level: 'silent' }),
      terminal: false,
    });
    if (!started.ok) throw new Error(started.error.message);
    app = started.value;
    const kernel = app.kernel;
    await until(() => kernel.candles.candles('BTCUSDT', '1h').length === 3);
    const hours = kernel.candles.candles('BTCUSDT', '1h');
    expect(hours.map((h) => h.openTime)).toEqual([start - 3 * HOUR, start - 2 * HOUR, start - HOUR]);
    expect(hours[0]).toMatchObject({ open: fx('50000'), close: fx('50000.59'), high: fx('50000.59'), volume: fx('0.6') });
    const minutes = kernel.candles.candles('BTCUSDT', '1m');
    expect(minutes).toHaveLength(180);
    expect(minutes.at(-1)).toMatchObject({ openTime: start - 60_000, close: fx('50001.79') });
  });
});
