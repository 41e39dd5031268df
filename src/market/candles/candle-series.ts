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
 *
 * Rolled up (`from`, the 1m series): the open candle here leaves out the trades of `from`'s open candle while
 * `behind`, and takes that candle whole when it closes (`rollOn`); what it shows (`candles`) merges the two, so it
 * is what a trade-by-trade update would hold, at one update per trade instead of one per interval.
 */
export class CandleSeries {
  private readonly ring: Candle[] = [];
  private head = 0;
  private open: OpenCandle | undefined;
  /** Rolled up: whether `from`'s open candle is left out of this one's (it joins when it closes). */
  private behind = false;

  constructor(
    readonly intervalMs: number,
    private readonly keep: number,
    private readonly from?: CandleSeries,
  ) {}

  /** Where a trade at `time` falls: 0 in the open candle's interval (or no candle is open), −1 before it, 1 after it. */
  where(time: number): -1 | 0 | 1 {
    const o = this.open;
    if (o === undefined) return 1;
    // Almost every trade is inside the open interval: two comparisons rather than a floating-point remainder.
    if (o.openTime >= 0 && time >= o.openTime && time < o.openTime + this.intervalMs) return 0;
    const start = time - (time % this.intervalMs);
    return start === o.openTime ? 0 : start < o.openTime ? -1 : 1;
  }

  /** Rolled up: whether the trades of `from`'s open candle are still left out of this one (see `catchUp`). */
  get lagging(): boolean {
    return this.behind;
  }

  /**
   * Rolled up: `from` opened a new candle at `time`, closing `closed` (undefined for its first). The closed one joins
   * the open candle here (same interval: this one's was closed when `closed` opened, if it ended before); then the open
   * candle closes if `time` is in a later interval. Returns the candle closed, if any; the new one is left out again.
   */
  rollOn(closed: Candle | undefined, time: number): Candle | undefined {
    if (this.behind && closed !== undefined) this.add(closed);
    this.behind = true;
    const o = this.open;
    if (o === undefined || this.where(time) <= 0) return undefined;
    this.open = undefined;
    const done: Candle = { ...o };
    this.push(done);
    return done;
  }

  /**
   * Rolled up: takes `from`'s open candle in now (a trade older than it, which it dropped, may still fall in this
   * interval); until `from` opens its next candle, every trade is then to be given to this series too.
   */
  catchUp(): void {
    if (!this.behind) return;
    this.behind = false;
    const m = this.from?.open;
    if (m !== undefined) this.merge(m.openTime, m.open, m.high, m.low, m.close, m.volume);
  }

  /** A trade at `time`; returns the candle it closed, if it opened a new interval. */
  trade(time: number, price: Fixed, quantity: Fixed): Candle | undefined {
    return this.merge(time, price, price, price, price, quantity);
  }

  /** A trade `where` put inside the open candle (0): merged without placing it again. */
  tradeInOpen(price: Fixed, quantity: Fixed): void {
    const o = this.open as OpenCandle;
    if (price > o.high) o.high = price;
    if (price < o.low) o.low = price;
    o.close = price;
    o.volume += quantity;
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
    const before = this.current()?.openTime ?? Infinity;
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
    const open = this.current();
    const all = open === undefined ? closed : [...closed, open];
    return limit >= all.length ? all : all.slice(all.length - limit);
  }

  /** The newest closed candle. */
  last(): Candle | undefined {
    return this.ring.length === 0 ? undefined : this.ring[(this.head + this.ring.length - 1) % this.ring.length];
  }

  /** The open candle as a trade-by-trade update would hold it (a copy), `from`'s open one merged in while behind. */
  private current(): Candle | undefined {
    const o = this.open;
    const m = this.behind ? this.from?.open : undefined;
    if (m === undefined) return o && { ...o };
    if (o === undefined) {
      const start = m.openTime - (m.openTime % this.intervalMs);
      return {
        openTime: start,
        closeTime: start + this.intervalMs - 1,
        open: m.open,
        high: m.high,
        low: m.low,
        close: m.close,
        volume: m.volume,
      };
    }
    return {
      openTime: o.openTime,
      closeTime: o.closeTime,
      open: o.open,
      high: m.high > o.high ? m.high : o.high,
      low: m.low < o.low ? m.low : o.low,
      close: m.close,
      volume: o.volume + m.volume,
    };
  }

  private closed(): Candle[] {
    return [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }

  private merge(time: number, open: Fixed, high: Fixed, low: Fixed, close: Fixed, volume: Fixed): Candle | undefined {
    const o = this.open;
    const at = this.where(time);
    if (o !== undefined && at === 0) {
      if (high > o.high) o.high = high;
      if (low < o.low) o.low = low;
      o.close = close;
      o.volume += volume;
      return undefined;
    }
    // A trade older than the open candle (a late or replayed one) is not reordered into history: it is dropped.
    if (at < 0) return undefined;
    const start = time - (time % this.intervalMs);
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
