import type { Redis } from 'ioredis';
import { type Candle, REDIS_KEYS } from '../domain/index.js';
import { settlesWithin } from '../engine/index.js';
import { CANDLE_INTERVAL_MS, type CandleBook, type CandleInterval, type CandleSource } from '../market/index.js';
import { candleLine, candleOfLine } from './candle-line.js';

const INTERVALS = Object.keys(CANDLE_INTERVAL_MS) as CandleInterval[];

interface CandleCopyLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface CandleCopyOptions {
  readonly redis: Redis;
  readonly prefix: string;
  readonly book: CandleBook;
  readonly log: CandleCopyLog;
}

/** Lines not yet written to one key, and how many the key keeps. */
interface Pending {
  readonly keep: number;
  lines: string[];
}

/**
 * The Redis copy of the candle book, so a restart keeps the history the bot built (`candles:<symbol>:<interval>`, one
 * list per symbol and interval, trimmed to the bound the book keeps). Each candle the book closes is only queued on the
 * feed's path; one writer at a time sends what is queued in one MULTI (RPUSH then LTRIM per key), so the candles one
 * trade closes (1m, 1h, 4h) share a round trip and a slow Redis only lets the queue grow, to the same bound.
 *
 * At start `restore` puts history back in the order that keeps the most of it and the best: the exchange's klines
 * first (they saw every trade, where a feed may have missed some in a reconnect), then the copy fills every interval
 * still missing (older than the klines reach, or newer when the exchange knows nothing of that time); what the feed
 * has built since the start is never rewritten (CandleSeries.load).
 */
export class CandleCopy {
  private readonly pending = new Map<string, Pending>();
  private writing: Promise<void> | undefined;
  private failing = false;

  constructor(private readonly o: CandleCopyOptions) {}

  /** Copies every candle the book closes from now on (before the feed starts, so none is missed). */
  start(): void {
    this.o.book.onClosed((symbol, interval, candle) => this.closed(symbol, interval, candle));
  }

  /**
   * The exchange's klines, then the copy, into the book (the copy read alongside the klines). Never throws: a bot
   * without history still trades, and what could not be read is logged.
   */
  async restore(source: CandleSource, symbols: readonly string[], now: number): Promise<void> {
    const copy = this.read(symbols).catch((error: unknown) => {
      this.o.log.warn({ err: error }, 'candles: the Redis copy could not be read; charts start from the exchange and the feed');
      return [];
    });
    try {
      const problems = await this.o.book.backfill(source, symbols, now);
      if (problems.length > 0) this.o.log.warn({ problems }, "candles: some of the exchange's history could not be read");
    } catch (error) {
      this.o.log.warn({ err: error }, "candles: the exchange's history could not be read");
    }
    for (const { symbol, interval, candles } of await copy) this.o.book.load(symbol, interval, candles);
  }

  /** Stops copying, and writes what is queued, waiting at most `boundMs` (a Redis that is away holds commands). */
  async stop(boundMs = 2_000): Promise<void> {
    this.o.book.onClosed(undefined);
    if (this.pending.size > 0) this.writing ??= this.drain();
    await settlesWithin(
      (async () => {
        while (this.writing) await this.writing;
      })(),
      boundMs,
    );
  }

  /** On the feed's path: the line is queued, and a writer started unless one is running (it takes this line too). */
  private closed(symbol: string, interval: CandleInterval, candle: Candle): void {
    const key = REDIS_KEYS.candles.key(this.o.prefix, symbol, interval);
    let p = this.pending.get(key);
    if (p === undefined) this.pending.set(key, (p = { keep: this.o.book.kept[interval], lines: [] }));
    p.lines.push(candleLine(candle));
    if (p.lines.length > p.keep) p.lines.splice(0, p.lines.length - p.keep);
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    // After the trade that closed the candle is done with: the 1h and 4h it closed too go in the same round trip.
    await Promise.resolve();
    try {
      while (this.pending.size > 0) {
        const batch = [...this.pending];
        this.pending.clear();
        if (!(await this.write(batch))) return;
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** One MULTI for the batch; false when Redis did not take it (kept for the next attempt, the next candle closed). */
  private async write(batch: ReadonlyArray<readonly [string, Pending]>): Promise<boolean> {
    const multi = this.o.redis.multi();
    for (const [key, p] of batch) multi.rpush(key, ...p.lines).ltrim(key, -p.keep, -1);
    try {
      const refused = ((await multi.exec()) ?? []).find(([error]) => error)?.[0];
      // A refusal (a key of another type) would come back every time: the batch is dropped, and said once.
      if (refused) this.complain(refused, batch);
      else if (this.failing) {
        this.o.log.info({}, 'candles: the Redis copy is written again');
        this.failing = false;
      }
      return true;
    } catch (error) {
      for (const [key, p] of batch) {
        const newer = this.pending.get(key)?.lines ?? [];
        const lines = [...p.lines, ...newer];
        this.pending.set(key, { keep: p.keep, lines: lines.slice(Math.max(0, lines.length - p.keep)) });
      }
      this.complain(error, batch);
      return false;
    }
  }

  private complain(error: unknown, batch: ReadonlyArray<readonly [string, Pending]>): void {
    if (!this.failing) this.o.log.warn({ err: error, keys: batch.map(([key]) => key) }, 'candles: the Redis copy could not be written');
    this.failing = true;
  }

  /** The copy of each symbol and interval, oldest first; an entry that is not a candle line is skipped, and said once. */
  private async read(symbols: readonly string[]) {
    const wanted = symbols.flatMap((symbol) => INTERVALS.map((interval) => ({ symbol, interval })));
    const pipe = this.o.redis.pipeline();
    for (const { symbol, interval } of wanted) pipe.lrange(REDIS_KEYS.candles.key(this.o.prefix, symbol, interval), 0, -1);
    const answers = (await pipe.exec()) ?? [];
    const damaged: Record<string, number | string> = {};
    const read = wanted.map(({ symbol, interval }, i) => {
      const [error, lines] = answers[i] ?? [new Error('no answer')];
      const candles: Candle[] = [];
      if (error) damaged[`${symbol} ${interval}`] = error.message; // a key of another type: the others still load
      for (const line of error ? [] : (lines as string[])) {
        const candle = candleOfLine(line, CANDLE_INTERVAL_MS[interval]);
        if (candle) candles.push(candle);
        else damaged[`${symbol} ${interval}`] = Number(damaged[`${symbol} ${interval}`] ?? 0) + 1;
      }
      return { symbol, interval, candles };
    });
    if (Object.keys(damaged).length > 0)
      this.o.log.warn({ damaged }, 'candles: entries of the Redis copy that are not candles were skipped (the rest is loaded)');
    return read;
  }
}
