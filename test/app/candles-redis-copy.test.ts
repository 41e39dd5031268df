import { PassThrough, Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { candleLine } from '../../src/app/candle-line.js';
import { loadConfig } from '../../src/app/config.js';
import { type TradingApp, startTradingApp } from '../../src/app/trading-app.js';
import { type Candle, REDIS_KEYS, catalogInstrument, fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import type { CandlesKept } from '../../src/market/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../src/sandbox/index.js';
import { connect, deleteKeys, uniquePrefix } from '../kit/redis.js';
import { paperOnSandbox } from '../kit/sandbox-env.js';
import { until } from '../kit/until.js';

const ACCOUNT = { apiKey: 'candle-copy-key-0123456789', apiSecret: 'candle-copy-secret-0123456789' };
const MINUTE = 60_000;
const at = (h: number, m: number, s = 0) => Date.UTC(2025, 0, 1, h, m, s);
/** Small bounds, so the copy's trim shows: 5 minutes, 2 hours, 2 four-hour candles. */
const KEPT: CandlesKept = { '1m': 5, '1h': 2, '4h': 2 };

let prefix = '';
const open: Array<{ app?: TradingApp; server: SandboxServer }> = [];
afterEach(async () => {
  for (const { app, server } of open.splice(0).reverse()) {
    await app?.shutdown();
    await server.close();
  }
  await deleteKeys(prefix);
}, 30_000);

/** A sandbox on `clock`, its klines knowing only the trades `history` puts in before the bot starts. */
async function sandbox(clock: ManualClock, history: ReadonlyArray<readonly [time: number, price: string]> = []) {
  const hub = new SandboxHub({
    instruments: [catalogInstrument('BTCUSDT')!],
    balances: { USDT: fx('10000') },
    account: ACCOUNT,
    now: () => clock.now(),
  });
  const server = await startSandboxServer({ hub }); // its klines are cut from the trades it hears
  let id = 0;
  for (const [time, price] of history) trade(hub, clock, time, price, ++id);
  const slot: { app?: TradingApp; server: SandboxServer } = { server };
  open.push(slot);
  return { hub, server, slot };
}

function trade(hub: SandboxHub, clock: ManualClock, time: number, price: string, tradeId: number): void {
  clock.set(time);
  hub.trade({ symbol: 'BTCUSDT', price: fx(price), quantity: fx('0.01'), time, tradeId, isBuyerMaker: false });
}

/** The bot in paper mode on `server` with `kept` candles, logging warnings into `logged`; `ask` types into its chat. */
async function bot(server: SandboxServer, clock: ManualClock, kept: CandlesKept, logged: Array<{ msg: string }> = []) {
  const loaded = loadConfig({ ...paperOnSandbox(server, ACCOUNT, prefix), MARKET_SYMBOLS: 'BTCUSDT', METRICS_PORT: '0' });
  if (!loaded.ok) throw new Error(loaded.message);
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
  const log = new Writable({ write: (line: Buffer, _enc, done) => (logged.push(JSON.parse(line.toString('utf8'))), done()) });
  const started = await startTradingApp(loaded.config, {
    input,
    output,
    clock,
    log: pino({ level: 'warn' }, log),
    terminal: false,
    candlesKept: kept,
  });
  if (!started.ok) throw new Error(started.error.message);
  const app = started.value;
  await until(() => server.faults.status().sockets.market > 0);
  /** Types a line and returns what the chat printed once `expected` shows up. */
  const ask = async (line: string, expected: RegExp) => {
    const mark = screen.length;
    input.write(`${line}\n`);
    await until(() => expected.test(screen.slice(mark)));
    return screen.slice(mark);
  };
  return { app, ask };
}

/**
 * The first bot's run: a trade every 7 minutes from 09:00:13 to 12:09:13 (28 trades, so 27 closed minutes, the hours
 * 09:00 to 11:00 and the four hours from 08:00 closed), each waited for until the bot's book has it.
 */
async function firstRun(): Promise<{ minutes: Candle[]; hours: Candle[]; fourHours: Candle[] }> {
  const clock = new ManualClock(at(9, 0));
  const { hub, server, slot } = await sandbox(clock);
  const { app } = await bot(server, clock, KEPT);
  slot.app = app;
  let heard = 0;
  app.kernel.host.bus.on('TradeTicked', () => heard++);
  for (let i = 0; i < 28; i++) {
    trade(hub, clock, at(9, 0, 13) + i * 7 * MINUTE, (50_000 + i).toFixed(2), i + 1);
    await until(() => heard === i + 1);
  }
  const closed = (interval: '1m' | '1h' | '4h') => app.kernel.candles.candles('BTCUSDT', interval).slice(0, -1);
  const run = { minutes: closed('1m'), hours: closed('1h'), fourHours: closed('4h') };
  await app.shutdown(); // what the copy still has queued is written before Redis closes
  delete slot.app;
  return run;
}

describe('the candles survive a restart through their Redis copy', () => {
  it('a new bot on the prefix, on an exchange that knows nothing of that time, shows the candles the last one built', async () => {
    prefix = uniquePrefix();
    const before = await firstRun();
    expect(before.minutes.map((c) => c.openTime)).toEqual([0, 1, 2, 3, 4].map((k) => at(9, 0) + (22 + k) * 7 * MINUTE));
    expect(before.hours.map((c) => c.openTime)).toEqual([at(10, 0), at(11, 0)]);
    expect(before.fourHours.map((c) => c.openTime)).toEqual([at(8, 0)]);

    // As another process reads it: one line per candle, oldest first, exact, trimmed to the bound memory keeps.
    const redis = await connect();
    try {
      const list = (interval: '1m' | '1h' | '4h') => redis.lrange(REDIS_KEYS.candles.key(prefix, 'BTCUSDT', interval), 0, -1);
      expect(await list('1m')).toEqual(before.minutes.map(candleLine));
      expect((await list('1m'))[0]).toBe(`${at(11, 34)},50022,50022,50022,50022,0.01`);
      expect(await list('1h')).toEqual([`${at(10, 0)},50009,50017,50009,50017,0.09`, `${at(11, 0)},50018,50025,50018,50025,0.08`]);
      expect(await list('4h')).toEqual([`${at(8, 0)},50000,50025,50000,50025,0.26`]);
    } finally {
      await redis.quit();
    }

    // Later, on an exchange whose klines are empty: the history is the copy's.
    const clock = new ManualClock(at(12, 30));
    const { server, slot } = await sandbox(clock);
    const { app, ask } = await bot(server, clock, KEPT);
    slot.app = app;
    const book = app.kernel.candles;
    await until(() => book.candles('BTCUSDT', '4h').length === 1);
    await until(() => book.candles('BTCUSDT', '1m').length === 5 && book.candles('BTCUSDT', '1h').length === 2);
    expect(book.candles('BTCUSDT', '1m')).toEqual(before.minutes);
    expect(book.candles('BTCUSDT', '1h')).toEqual(before.hours);
    expect(book.candles('BTCUSDT', '4h')).toEqual(before.fourHours);
    // /ta reads them too: the exchange has no hour of its own to offer.
    expect(await ask('/ta BTCUSDT 1h', /closed candles/)).toMatch(/BTCUSDT · 1h · 2 closed candles to .* · close 50,?025/);
  }, 60_000);

  it("merges: the exchange's klines first, the copy filling older and newer gaps; a damaged entry skipped and said once", async () => {
    prefix = uniquePrefix();
    const before = await firstRun();
    const redis = await connect();
    const minutesKey = REDIS_KEYS.candles.key(prefix, 'BTCUSDT', '1m');
    try {
      await redis.lset(minutesKey, 1, '1735731240000,50023,oops,50023,50023,0.01');
      await redis.rpush(REDIS_KEYS.candles.key(prefix, 'BTCUSDT', '1h'), '{"not":"a candle"}');
    } finally {
      await redis.quit();
    }

    // The new exchange knows the morning before the first bot, and one minute of its run at another price: its word
    // wins for that minute; the copy fills the rest of the run, newer than anything else the exchange has.
    const clock = new ManualClock(at(7, 0));
    const morning = Array.from({ length: 6 }, (_, i) => [at(7, 0, 30) + i * 10 * MINUTE, '49000'] as const);
    const overlap = before.minutes[3]!.openTime;
    const { server, slot } = await sandbox(clock, [...morning, [overlap + 5_000, '40000']]);
    clock.set(at(12, 30));
    const logged: Array<{ msg: string; damaged?: unknown }> = [];
    const { app } = await bot(server, clock, { '1m': 100, '1h': 100, '4h': 100 }, logged);
    slot.app = app;
    const book = app.kernel.candles;
    await until(() => book.candles('BTCUSDT', '1m').length === 6 + 4 && book.candles('BTCUSDT', '1h').length === 1 + 2);

    const minutes = book.candles('BTCUSDT', '1m');
    expect(minutes.slice(0, 6).map((c) => c.close)).toEqual(Array(6).fill(fx('49000')));
    expect(minutes.slice(6).map((c) => c.openTime)).toEqual([0, 2, 3, 4].map((i) => before.minutes[i]!.openTime));
    expect(minutes[8]).toMatchObject({ openTime: overlap, close: fx('40000'), volume: fx('0.01') });
    expect(minutes[6]).toEqual(before.minutes[0]);
    expect(minutes[7]).toEqual(before.minutes[2]);
    expect(minutes[9]).toEqual(before.minutes[4]);
    expect(book.candles('BTCUSDT', '1h').map((c) => c.openTime)).toEqual([at(7, 0), at(10, 0), at(11, 0)]);
    const said = logged.filter((l) => /Redis copy/.test(l.msg));
    expect(said).toHaveLength(1);
    expect(said[0]!.damaged).toEqual({ 'BTCUSDT 1m': 1, 'BTCUSDT 1h': 1 });
  }, 60_000);
});
