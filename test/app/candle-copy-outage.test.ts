import { afterEach, describe, expect, it } from 'vitest';
import { CandleCopy } from '../../src/app/candle-copy.js';
import { candleLine } from '../../src/app/candle-line.js';
import { connectRedis } from '../../src/app/redis-connection.js';
import { REDIS_KEYS, fx } from '../../src/domain/index.js';
import { CandleBook } from '../../src/market/index.js';
import { privateRedis } from '../kit/redis-process.js';
import { until, untilAsync } from '../kit/until.js';

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
}, 30_000);

describe('the candle copy while Redis is away', () => {
  it('never holds up the feed, keeps at most the bound waiting, and writes the newest once Redis is back', async () => {
    const server = await privateRedis();
    cleanup.push(() => server.kill());
    const connected = await connectRedis(server.url);
    if (!connected.ok) throw new Error(connected.message);
    const redis = connected.redis;
    cleanup.push(async () => redis.disconnect());
    const book = new CandleBook({ '1m': 5, '1h': 2, '4h': 2 });
    const warned: string[] = [];
    const copy = new CandleCopy({ redis, prefix: 'tg', book, log: { warn: (_o, msg) => warned.push(msg), info: () => undefined } });
    copy.start();
    const trade = (minute: number) =>
      book.trade({
        symbol: 'BTCUSDT',
        price: fx(String(100 + minute)),
        quantity: fx('1'),
        time: Date.UTC(2025, 0, 1) + minute * 60_000,
        tradeId: minute,
        isBuyerMaker: false,
      });

    await server.kill();
    await until(() => redis.status !== 'ready');
    // Twelve minutes of trades while Redis is away: each returns at once, and the copy waits with the candles.
    for (let minute = 0; minute < 12; minute++) trade(minute);
    expect(book.candles('BTCUSDT', '1m')).toHaveLength(6); // five closed (the bound) and the open one
    await server.start();

    const key = REDIS_KEYS.candles.key('tg', 'BTCUSDT', '1m');
    const newest = book.candles('BTCUSDT', '1m').slice(0, -1).map(candleLine);
    await untilAsync(async () => JSON.stringify(await redis.lrange(key, 0, -1)) === JSON.stringify(newest), 20_000);
    expect(newest[0]).toBe(`${Date.UTC(2025, 0, 1, 0, 6)},106,106,106,106,1`);
    await copy.stop();
    expect(await redis.lrange(key, 0, -1)).toEqual(newest);
    expect(warned).toEqual([]);
  }, 30_000);
});
