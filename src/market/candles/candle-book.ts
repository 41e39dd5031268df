import type { Candle, Failure, Result, TradeTick } from '../../domain/index.js';
import type { BusPort } from '../../engine/index.js';
import { CandleSeries } from './candle-series.js';

/** The intervals kept in memory; longer ones (1d) are asked of the exchange when wanted. */
export type CandleInterval = '1m' | '1h' | '4h';

/** Each interval's length in ms. */
export const CANDLE_INTERVAL_MS: Readonly<Record<CandleInterval, number>> = { '1m': 60_000, '1h': 3_600_000, '4h': 14_400_000 };

/** How many closed candles are kept per symbol at each interval. */
export type CandlesKept = Readonly<Record<CandleInterval, number>>;

/** Closed candles kept per symbol: a week of minutes, 90 days of hours, a year of 4 hours (about 3.5 MB a symbol). */
const CANDLES_KEPT: CandlesKept = { '1m': 7 * 1440, '1h': 90 * 24, '4h': 365 * 6 };

/** Where a backfill comes from: the exchange's klines (the gateways' `candles`). */
export interface CandleSource {
  candles(symbol: string, interval: CandleInterval, query: { readonly limit: number }): Promise<Result<readonly Candle[], Failure>>;
}

/** Hears each candle as it closes (the Redis copy); called on the feed's path, so it must only take note. */
export type CandleClosed = (symbol: string, interval: CandleInterval, candle: Candle) => void;

/** The exchange's klines endpoints answer at most this many candles a call (Binance spot: 1000). */
const BACKFILL_LIMIT = 1000;

/**
 * Candles per symbol built from the trade feed (TradeTicked) at 1m, 1h and 4h: a trade updates the 1m candle, and 1h
 * and 4h are rolled up from each 1m candle as it closes, their open candle read with the open minute merged in, so the
 * open candle of each is always current (what a trade-by-trade update of each would hold: the trade path pays one
 * update, not three). Prices and volumes exact; bounded by CANDLES_KEPT. At start `backfill`
 * loads what the exchange's klines know of the time before (one request per symbol and interval), and `load` what
 * else was kept (the Redis copy); candles already held are never rewritten.
 */
export class CandleBook {
  readonly name = 'candle-book';
  private readonly bySymbol = new Map<string, Record<CandleInterval, CandleSeries>>();
  private closed: CandleClosed | undefined;

  constructor(readonly kept: CandlesKept = CANDLES_KEPT) {}

  /** The one listener of closed candles (undefined: none). */
  onClosed(listener: CandleClosed | undefined): void {
    this.closed = listener;
  }

  attach(kernel: { readonly bus: BusPort }): void {
    kernel.bus.on('TradeTicked', (m) => this.trade(m.tick));
  }

  trade(t: TradeTick): void {
    const s = this.seriesOf(t.symbol);
    const m = s['1m'];
    const h = s['1h'];
    const f = s['4h'];
    const at = m.where(t.time);
    if (at <= 0) {
      // Inside the open minute (almost every trade): that minute alone. Older than it, the minute drops the trade but
      // 1h and 4h may still hold its interval: they take the open minute in now and every trade until the next minute.
      if (at === 0) m.tradeInOpen(t.price, t.quantity);
      else {
        h.catchUp();
        f.catchUp();
      }
      if (h.lagging) return;
      // Neither closes anything here: a trade that opens no minute opens no hour either.
      h.trade(t.time, t.price, t.quantity);
      f.trade(t.time, t.price, t.quantity);
      return;
    }
    const minute = m.trade(t.time, t.price, t.quantity);
    const hour = h.rollOn(minute, t.time);
    const fourHours = f.rollOn(minute, t.time);
    // Most minutes close nothing longer: one test each, and the listener only when a candle closed.
    const closed = this.closed;
    if (closed === undefined) return;
    if (minute !== undefined) closed(t.symbol, '1m', minute);
    if (hour !== undefined) closed(t.symbol, '1h', hour);
    if (fourHours !== undefined) closed(t.symbol, '4h', fourHours);
  }

  /** The last `limit` candles of the symbol at the interval, oldest first, the open one last; empty if none. */
  candles(symbol: string, interval: CandleInterval, limit?: number): Candle[] {
    return this.bySymbol.get(symbol)?.[interval].candles(limit) ?? [];
  }

  /** Candles of the symbol at the interval read back from elsewhere: they fill what is not held (CandleSeries.load). */
  load(symbol: string, interval: CandleInterval, candles: readonly Candle[]): void {
    this.seriesOf(symbol)[interval].load(candles);
  }

  /**
   * Loads the exchange's recent klines of each symbol where nothing is held yet; a candle still open at `now` on the
   * exchange is left to the feed. Returns what could not be read, one line per symbol and interval (never thrown: the
   * bot trades without history, and /ta and /chart say what they lack).
   */
  async backfill(source: CandleSource, symbols: readonly string[], now: number): Promise<string[]> {
    const problems: string[] = [];
    for (const symbol of symbols) {
      const s = this.seriesOf(symbol);
      for (const interval of Object.keys(CANDLE_INTERVAL_MS) as CandleInterval[]) {
        const got = await source.candles(symbol, interval, { limit: Math.min(BACKFILL_LIMIT, this.kept[interval]) });
        if (!got.ok) {
          problems.push(`${symbol} ${interval}: ${got.error.message}`);
          continue;
        }
        s[interval].load(got.value.filter((c) => c.closeTime < now));
      }
    }
    return problems;
  }

  private seriesOf(symbol: string): Record<CandleInterval, CandleSeries> {
    let s = this.bySymbol.get(symbol);
    if (s === undefined) {
      const minutes = new CandleSeries(CANDLE_INTERVAL_MS['1m'], this.kept['1m']);
      s = {
        '1m': minutes,
        '1h': new CandleSeries(CANDLE_INTERVAL_MS['1h'], this.kept['1h'], minutes),
        '4h': new CandleSeries(CANDLE_INTERVAL_MS['4h'], this.kept['4h'], minutes),
      };
      this.bySymbol.set(symbol, s);
    }
    return s;
  }
}
