import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../src/domain/index.js';
import { CANDLE_INTERVAL_MS, CandleBook, type CandleInterval } from '../../../src/market/index.js';
import { CandleSeries } from '../../../src/market/candles/candle-series.js';

const INTERVALS: readonly CandleInterval[] = ['1m', '1h', '4h'];
const KEPT = { '1m': 50, '1h': 6, '4h': 3 } as const;
const SYMBOL = 'BTCUSDT';

/** The book as it was: every interval updated by every trade (the rule the rolled-up book must match exactly). */
class TradeByTrade {
  readonly series = Object.fromEntries(INTERVALS.map((i) => [i, new CandleSeries(CANDLE_INTERVAL_MS[i], KEPT[i])])) as Record<
    CandleInterval,
    CandleSeries
  >;
  readonly heard: string[] = [];

  trade(time: number, price: bigint, quantity: bigint): void {
    for (const i of INTERVALS) {
      const closed = this.series[i].trade(time, price, quantity);
      if (closed !== undefined) this.heard.push(`${i} ${JSON.stringify(closed, (_, v: unknown) => (typeof v === 'bigint' ? `${v}` : v))}`);
    }
  }
}

const text = (c: Candle): string => JSON.stringify(c, (_, v: unknown) => (typeof v === 'bigint' ? `${v}` : v));

/** Trades mostly forward in small steps, now and then across hours or back in time (a late trade); loads and reads between. */
const step = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('trade' as const),
      dt: fc.integer({ min: -200_000, max: 400_000 }),
      price: fc.integer({ min: 1, max: 50 }),
      qty: fc.integer({ min: 0, max: 9 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('jump' as const), dt: fc.integer({ min: -8 * 3_600_000, max: 9 * 3_600_000 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('load' as const),
      interval: fc.constantFrom(...INTERVALS),
      back: fc.integer({ min: -3, max: 12 }),
    }),
  },
);

describe('candle roll-up (property)', () => {
  it('1h and 4h rolled up from 1m read, close and load exactly as a trade-by-trade update of each', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        const book = new CandleBook(KEPT);
        const heard: string[] = [];
        book.onClosed((_symbol, interval, c) => heard.push(`${interval} ${text(c)}`));
        const ref = new TradeByTrade();
        let time = Date.UTC(2024, 0, 1, 3, 59);
        let id = 0;
        for (const s of steps) {
          if (s.kind === 'jump') time = Math.max(0, time + s.dt);
          else if (s.kind === 'trade') {
            time = Math.max(0, time + s.dt);
            const price = BigInt(s.price) * 100_000_000n;
            const quantity = BigInt(s.qty) * 1_000_000n;
            book.trade({ symbol: SYMBOL, price, quantity, time, tradeId: ++id, isBuyerMaker: false });
            ref.trade(time, price, quantity);
          } else {
            const ms = CANDLE_INTERVAL_MS[s.interval];
            const start = time - (time % ms) - s.back * ms;
            const c: Candle = { openTime: start, closeTime: start + ms - 1, open: 7n, high: 9n, low: 1n, close: 3n, volume: 5n };
            book.load(SYMBOL, s.interval, [c]);
            ref.series[s.interval].load([c]);
          }
          for (const i of INTERVALS) expect(book.candles(SYMBOL, i).map(text)).toEqual(ref.series[i].candles().map(text));
          expect(book.candles(SYMBOL, '1h', 2).map(text)).toEqual(ref.series['1h'].candles(2).map(text));
        }
        expect(heard).toEqual(ref.heard);
      }),
      { seed: 14, numRuns: 400 },
    );
  });
});
