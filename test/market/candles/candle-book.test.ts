import { describe, expect, it } from 'vitest';
import { type Candle, type Result, ZERO, fx, ok } from '../../../src/domain/index.js';
import { CandleBook, type CandleInterval, type CandleSource } from '../../../src/market/index.js';
import { DAY_1M, loadKlines, rollUp } from '../../kit/candles-file.js';

const day = (): Candle[] => [...loadKlines(DAY_1M).candles];

/** Each candle as four trades inside its minute: open, high, low, then close carrying the whole volume. */
function feed(book: CandleBook, candles: readonly Candle[], symbol = 'BTCUSDT'): void {
  let id = 0;
  for (const c of candles) {
    const at = (ms: number, price: bigint, quantity: bigint) =>
      book.trade({ symbol, price, quantity, time: c.openTime + ms, tradeId: ++id, isBuyerMaker: false });
    at(0, c.open, ZERO);
    at(10_000, c.high, ZERO);
    at(20_000, c.low, ZERO);
    at(59_000, c.close, c.volume);
  }
}

describe('candles from the trade feed', () => {
  it('builds the 1m candles the exchange recorded, and rolls them up to 1h and 4h exactly', () => {
    const minutes = day();
    const book = new CandleBook();
    feed(book, minutes);
    expect(book.candles('BTCUSDT', '1m')).toEqual(minutes);
    expect(book.candles('BTCUSDT', '1h')).toEqual(rollUp(minutes, 3_600_000));
    expect(book.candles('BTCUSDT', '4h')).toEqual(rollUp(minutes, 14_400_000));
    expect(book.candles('BTCUSDT', '1h', 2).map((c) => c.openTime)).toEqual([Date.UTC(2020, 0, 1, 22), Date.UTC(2020, 0, 1, 23)]);
    expect(book.candles('ETHUSDT', '1m')).toEqual([]);
  });

  it('keeps at most the bound of closed candles per interval, the newest', () => {
    const minutes = day().slice(0, 100);
    const book = new CandleBook({ '1m': 10, '1h': 1, '4h': 1 });
    feed(book, minutes);
    // Ten closed and the open one.
    expect(book.candles('BTCUSDT', '1m')).toEqual(minutes.slice(-11));
  });

  it('backfills from the exchange before the feed, skips the candle still open there, never rewrites its own', async () => {
    const minutes = day();
    const asked: string[] = [];
    const source: CandleSource = {
      candles: (symbol: string, interval: CandleInterval, q: { limit: number }): Promise<Result<readonly Candle[]>> => {
        asked.push(`${symbol} ${interval} ${q.limit}`);
        if (interval === '4h') return Promise.resolve({ ok: false, error: { code: 'BINANCE_-1003', message: 'too many requests' } });
        return Promise.resolve(ok(interval === '1m' ? minutes.slice(0, 601) : rollUp(minutes.slice(0, 601), 3_600_000)));
      },
    };
    const book = new CandleBook();
    // The feed has already built minute 599 (a different close than the file's) and is in minute 600.
    const own = { ...minutes[599]!, close: fx('1'), low: fx('1') };
    feed(book, [own, minutes[600]!]);
    const now = minutes[600]!.openTime + 30_000;
    expect(await book.backfill(source, ['BTCUSDT'], now)).toEqual(['BTCUSDT 4h: too many requests']);
    expect(asked).toEqual(['BTCUSDT 1m 1000', 'BTCUSDT 1h 1000', 'BTCUSDT 4h 1000']);
    const got = book.candles('BTCUSDT', '1m');
    expect(got.slice(0, 599)).toEqual(minutes.slice(0, 599));
    expect(got[599]).toEqual(own);
    expect(got).toHaveLength(601);
    // The hour still open at `now` on the exchange is the feed's, not the backfill's.
    expect(book.candles('BTCUSDT', '1h').map((c) => c.openTime)).toEqual(rollUp(minutes.slice(0, 601), 3_600_000).map((c) => c.openTime));
  });

  it('tells its listener each candle as it closes, at each interval, and nothing else', () => {
    const minutes = day().slice(0, 250);
    const book = new CandleBook();
    const heard: string[] = [];
    book.onClosed((symbol, interval, c) => heard.push(`${symbol} ${interval} ${c.openTime}`));
    feed(book, minutes);
    const closed = (interval: CandleInterval) => book.candles('BTCUSDT', interval).slice(0, -1);
    expect(heard.filter((h) => h.includes(' 1m '))).toEqual(closed('1m').map((c) => `BTCUSDT 1m ${c.openTime}`));
    expect(heard.filter((h) => h.includes(' 1h '))).toEqual(closed('1h').map((c) => `BTCUSDT 1h ${c.openTime}`));
    expect(heard.filter((h) => !/ 1[mh] /.test(h))).toEqual([`BTCUSDT 4h ${minutes[0]!.openTime}`]);
    book.onClosed(undefined);
    feed(book, day().slice(250, 252));
    expect(heard).toHaveLength(249 + 4 + 1);
  });

  it('loads fill every interval it does not hold, older or newer, in any order; a candle held wins', () => {
    const minutes = day().slice(0, 20);
    const book = new CandleBook({ '1m': 12, '1h': 1, '4h': 1 });
    // The feed built minutes 15 to 18 (18 still open); one load brings 0 to 9 and a different 12, a second 5 to 14.
    feed(book, minutes.slice(15, 19));
    const other = { ...minutes[12]!, close: fx('2') };
    book.load('BTCUSDT', '1m', [other, ...minutes.slice(0, 10).reverse(), minutes[18]!, minutes[19]!]);
    book.load('BTCUSDT', '1m', minutes.slice(5, 15));
    // Twelve kept, the newest: 6 to 17 with the first load's 12, then the open 18.
    expect(book.candles('BTCUSDT', '1m')).toEqual([...minutes.slice(6, 12), other, ...minutes.slice(13, 19)]);
  });
});
