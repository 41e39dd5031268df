import type { Candle, Fixed } from '../../domain/index.js';

/** A candle still open: its fields change with every trade until its interval ends. */
interface OpenCandle {
  openTime: number;
  closeTime: number;
  open: Fixed;
  high: Fixed;
  low: Fixed;
  close: Fixed;
  volume: Fixed;
}

/**
 * One symbol's candles at one interval: the closed ones, oldest first, at most `keep` of them (a ring, so the oldest
 * go without copying), and the one still open. Trades and closed candles of shorter intervals both update it, so 1h
 * and 4h are rolled up from 1m without keeping 1m for as long.
 */
export class CandleSeries {
  private readonly ring: Candle[] = [];
  private head = 0;
  private open: OpenCandle | undefined;

  constructor(
    readonly intervalMs: number,
    private readonly keep: number,
  ) {}

  /** A trade at `time`; returns the candle it closed, if it opened a new interval. */
  trade(time: number, price: Fixed, quantity: Fixed): Candle | undefined {
    return this.merge(time, price, price, price, price, quantity);
  }

  /** A closed candle of a shorter interval (its open time inside this one's interval); returns the candle it closed. */
  add(c: Candle): Candle | undefined {
    return this.merge(c.openTime, c.open, c.high, c.low, c.close, c.volume);
  }

  /**
   * Candles read back from elsewhere (the exchange's klines, the Redis copy), in any order: each fills an interval this
   * series holds no closed candle of, older than the open one; a candle held is never rewritten, so what this process
   * built itself and what an earlier load brought both win over a later load. Of two read back for one interval, the
   * later in `candles` is taken. The newest `keep` are kept.
   */
  load(candles: readonly Candle[]): void {
    const closed = this.closed();
    const before = this.open?.openTime ?? Infinity;
    const held = new Set(closed.map((c) => c.openTime));
    const fresh = new Map<number, Candle>();
    for (const c of candles) if (c.openTime + this.intervalMs <= before && !held.has(c.openTime)) fresh.set(c.openTime, c);
    if (fresh.size === 0) return;
    const all = [...closed, ...fresh.values()].sort((a, b) => a.openTime - b.openTime);
    this.ring.length = 0;
    this.ring.push(...all.slice(Math.max(0, all.length - this.keep)));
    this.head = 0;
  }

  /** The closed candles, oldest first, then the open one: the last `limit` of them. */
  candles(limit = Infinity): Candle[] {
    const closed = this.closed();
    const all = this.open === undefined ? closed : [...closed, { ...this.open }];
    return limit >= all.length ? all : all.slice(all.length - limit);
  }

  /** The newest closed candle. */
  last(): Candle | undefined {
    return this.ring.length === 0 ? undefined : this.ring[(this.head + this.ring.length - 1) % this.ring.length];
  }

  private closed(): Candle[] {
    return [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }

  private merge(time: number, open: Fixed, high: Fixed, low: Fixed, close: Fixed, volume: Fixed): Candle | undefined {
    const start = time - (time % this.intervalMs);
    const o = this.open;
    if (o !== undefined && start === o.openTime) {
      if (high > o.high) o.high = high;
      if (low < o.low) o.low = low;
      o.close = close;
      o.volume += volume;
      return undefined;
    }
    // A trade older than the open candle (a late or replayed one) is not reordered into history: it is dropped.
    if (o !== undefined && start < o.openTime) return undefined;
    this.open = { openTime: start, closeTime: start + this.intervalMs - 1, open, high, low, close, volume };
    if (o === undefined) return undefined;
    const done: Candle = { ...o };
    this.push(done);
    return done;
  }

  private push(c: Candle): void {
    if (this.ring.length < this.keep) {
      // Still growing: appended in place (head stays 0 until the ring is full).
      this.ring.push(c);
      return;
    }
    this.ring[this.head] = c;
    this.head = (this.head + 1) % this.keep;
  }
}
