import type { Fixed, TradeTick } from '../domain/index.js';
import type { Bus, Clock } from '../engine/index.js';

/** The last trade seen on one symbol. */
export interface MarketQuote {
  readonly symbol: string;
  readonly lastPrice: Fixed;
  /** Market time of the last trade, ms. */
  readonly lastTime: number;
}

/** The last trade's price and time: the shape risk's `lastTrade` view and status read. */
export interface LastSeen {
  readonly price: Fixed;
  /** ms since the epoch */
  readonly time: number;
}

export interface MarketWatchOptions {
  /** What "now" is when `ageMs` is not told; market time in replays. */
  readonly clock?: Clock;
}

interface Entry {
  readonly symbol: string;
  lastPrice: Fixed;
  lastTime: number;
}

/**
 * Last price and last trade time per symbol, kept from TradeTicked: one Map lookup and two field writes per tick.
 * Status reports it and risk asks it whether a market has gone quiet.
 */
export class MarketWatch {
  readonly name = 'market-watch';
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: MarketWatchOptions = {}) {}

  /** Subscribes to the kernel's bus (the engine Component shape). */
  attach(kernel: { readonly bus: Bus }): void {
    this.listen(kernel.bus);
  }

  /** Subscribes to TradeTicked on a bus; returns the unsubscribe function. */
  listen(bus: Bus): () => void {
    return bus.on('TradeTicked', (m) => this.observe(m.tick));
  }

  observe(tick: TradeTick): void {
    const e = this.entries.get(tick.symbol);
    if (e === undefined) {
      this.entries.set(tick.symbol, { symbol: tick.symbol, lastPrice: tick.price, lastTime: tick.time });
    } else if (tick.time >= e.lastTime) {
      // Ignore a late tick (merged feeds can deliver one): the last price is the newest trade's.
      e.lastPrice = tick.price;
      e.lastTime = tick.time;
    }
  }

  /** A copy of the last trade's price and time, or undefined before the first trade. */
  lastSeen(symbol: string): LastSeen | undefined {
    const e = this.entries.get(symbol);
    return e && { price: e.lastPrice, time: e.lastTime };
  }

  lastPrice(symbol: string): Fixed | undefined {
    return this.entries.get(symbol)?.lastPrice;
  }

  lastTime(symbol: string): number | undefined {
    return this.entries.get(symbol)?.lastTime;
  }

  /** True when the symbol has had no trade within `maxAgeMs` before `now`, or none at all. */
  isStale(symbol: string, now: number, maxAgeMs: number): boolean {
    const e = this.entries.get(symbol);
    return e === undefined || now - e.lastTime > maxAgeMs;
  }

  /** How long ago the last trade was (ms, `now` defaulting to the clock's), or undefined before the first trade. */
  ageMs(symbol: string, now: number = this.options.clock?.now() ?? Date.now()): number | undefined {
    const e = this.entries.get(symbol);
    return e && now - e.lastTime;
  }

  /** Symbols seen so far, in order of their first trade. */
  symbols(): string[] {
    return [...this.entries.keys()];
  }

  quote(symbol: string): MarketQuote | undefined {
    const e = this.entries.get(symbol);
    return e && { symbol: e.symbol, lastPrice: e.lastPrice, lastTime: e.lastTime };
  }

  /** Every symbol's last trade, for status views. */
  snapshot(): MarketQuote[] {
    return [...this.entries.values()].map((e) => ({ symbol: e.symbol, lastPrice: e.lastPrice, lastTime: e.lastTime }));
  }
}
