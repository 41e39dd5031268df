import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type TradingApp, startTradingApp } from '../../src/app/trading-app.js';
import { type Instrument, catalogInstrument, encodeJson, fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import type { TrackedOrderSnapshot } from '../../src/execution/index.js';
import { SandboxHub, type SandboxServer, type VenueEvent, startSandboxServer } from '../../src/sandbox/index.js';
import { deleteKeys, uniquePrefix, withRedis } from '../kit/redis.js';

const KEY = 'corrupt-key-0123456789';
const SECRET = 'corrupt-secret-0123456789';
const START = 1_741_046_400_000;
const prefix = uniquePrefix();
let app: TradingApp | undefined;
let server: SandboxServer | undefined;
afterEach(async () => {
  await app?.shutdown();
  await server?.close();
  await deleteKeys(prefix);
  app = undefined;
  server = undefined;
});

/**
 * A placement the last run sent to the queue and never heard back about: at start it is queued again, so a state that
 * is wrongly accepted puts an order on the exchange.
 */
const unanswered: TrackedOrderSnapshot = {
  version: 1,
  record: {
    intent: {
      clientOrderId: 'tg_F1_B',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: fx('80000'),
      quantity: fx('0.001'),
      timeInForce: 'GTC',
      owner: { kind: 'manual' },
      reducesPosition: false,
    },
    status: 'new',
    filledQty: fx('0'),
    filledQuote: fx('0'),
    createdAt: START - 60_000,
    updatedAt: START - 60_000,
  },
  tradeIds: [],
  retained: false,
};

describe('a damaged saved state at start', () => {
  it(
    'refuses the start, naming the key, the field and what is wrong; ' + 'nothing reaches the exchange and the state stays as it was',
    async () => {
      // The amount as a plain number: before, this loaded, and the first fill of the order crashed the bot, every restart.
      const damaged = encodeJson(unanswered).replace('"filledQuote":{"$big":"0"}', '"filledQuote":0');
      expect(damaged).toContain('"filledQuote":0');
      await withRedis(async (r) => {
        await r.set(`${prefix}:state:version`, '1');
        await r.hset(`${prefix}:state:orders`, 'tg_F1_B', damaged);
      });

      const clock = new ManualClock(START);
      const hub = new SandboxHub({
        instruments: [catalogInstrument('BTCUSDT') as Instrument],
        balances: { USDT: fx('5000') },
        account: { apiKey: KEY, apiSecret: SECRET },
        now: () => clock.now(),
      });
      const venue: VenueEvent[] = [];
      hub.onVenueEvent((e) => venue.push(e));
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
      const started = await startTradingApp(config.config, {
        input: new PassThrough(),
        output: new PassThrough(),
        clock,
        log: pino({ level: 'silent' }),
        terminal: false,
      });
      if (started.ok) app = started.value;

      expect(started.ok).toBe(false);
      if (started.ok) return;
      expect(started.error.code).toBe('STATE_CORRUPT');
      expect(started.error.message).toContain(`Redis hash ${prefix}:state:orders, field tg_F1_B`);
      expect(started.error.message).toMatch(/at record\.filledQuote: expected an exact amount written as \{"\$big":"<integer>"\}, got 0/);
      expect(started.error.message).toContain(`redis-cli -n 0 HDEL ${prefix}:state:orders tg_F1_B`);
      // Nothing placed, then or a little later (a queued placement would have gone out by now).
      await new Promise((r) => setTimeout(r, 300));
      expect(venue.filter((e) => e.type === 'execution')).toEqual([]);
      expect(await withRedis((r) => r.hget(`${prefix}:state:orders`, 'tg_F1_B'))).toBe(damaged);
    },
  );
});
