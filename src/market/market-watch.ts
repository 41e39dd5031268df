import type { Fixed, TradeTick } from '../domain/index.js';
import type { BusPort, Clock } from '../engine/index.js';

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
  /** The exchange's trade time, ms since the epoch: what the trade was, never how fresh the data is. */
  readonly time: number;
  /** When the last trade reached the bot, on the bot's clock: staleness is measured from here. */
  readonly receivedAt: number;
}

export interface MarketWatchOptions {
  /** Stamps each trade's arrival, and is "now" when `ageMs` is not told; default Date.now. */
  readonly clock?: Clock;
}

/** Shaped as LastSeen, so `live` can hand the entry itself to a reader that looks at once. */
interface Entry {
  readonly symbol: string;
  price: Fixed;
  time: number;
  receivedAt: number;
}

/**
 * Last price and last trade time per symbol, kept from TradeTicked: one Map lookup and three field writes per tick.
 * Status reports it and risk asks it whether a market has gone quiet. Quiet is measured from when a trade was
 * *received*, on the bot's own clock, never from the exchange's trade time: a replayed 2020 day reaches a bot whose
 * clock says today, and a venue's clock may differ from ours, yet the data is as fresh as its arrival.
 */
export class MarketWatch {
  readonly name = 'market-watch';
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: MarketWatchOptions = {}) {}

  /** Subscribes to the kernel's bus (the engine Component shape). */
  attach(kernel: { readonly bus: BusPort }): void {
    this.listen(kernel.bus);
  }

  /** Subscribes to TradeTicked on a bus; returns the unsubscribe function. */
  listen(bus: BusPort): () => void {
    return bus.on('TradeTicked', (m) => this.observe(m.tick));
  }

  observe(tick: TradeTick): void {
    const receivedAt = this.now();
    const e = this.entries.get(tick.symbol);
    if (e === undefined) {
      this.entries.set(tick.symbol, { symbol: tick.symbol, price: tick.price, time: tick.time, receivedAt });
      return;
    }
    // Even a late tick is a message received: the stream is alive.
    e.receivedAt = receivedAt;
    if (tick.time >= e.time) {
      // Ignore a late tick (merged feeds can deliver one): the last price is the newest trade's.
      e.price = tick.price;
      e.time = tick.time;
    }
  }

  /** A copy of the last trade's price, time and arrival, or undefined before the first trade. */
  lastSeen(symbol: string): LastSeen | undefined {
    const e = this.entries.get(symbol);
    return e && { price: e.price, time: e.time, receivedAt: e.receivedAt };
  }

  /**
   * The last trade as it stands, not a copy: it changes with the next trade, so it is for a reader that looks at once
   * and keeps nothing (the risk gate judging an order, once per order on the fill path).
   */
  live(symbol: string): LastSeen | undefined {
    return this.entries.get(symbol);
  }

  lastPrice(symbol: string): Fixed | undefined {
    return this.entries.get(symbol)?.price;
  }

  lastTime(symbol: string): number | undefined {
    return this.entries.get(symbol)?.time;
  }

  /** True when no trade on the symbol was received within `maxAgeMs` before `now` (the clock's), or none at all. */
  isStale(symbol: string, now: number, maxAgeMs: number): boolean {
    const e = this.entries.get(symbol);
    return e === undefined || now - e.receivedAt > maxAgeMs;
  }

  /** How long ago the last trade was received (ms, `now` defaulting to the clock's), or undefined before the first. */
  ageMs(symbol: string, now: number = this.now()): number | undefined {
    const e = this.entries.get(symbol);
    return e && now - e.receivedAt;
  }

  private now(): number {
    return this.options.clock?.now() ?? Date.now();
  }

  /** Symbols seen so far, in order of their first trade. */
  symbols(): string[] {
    return [...this.entries.keys()];
  }

  quote(symbol: string): MarketQuote | undefined {
    const e = this.entries.get(symbol);
    return e && { symbol: e.symbol, lastPrice: e.price, lastTime: e.time };
  }

  /** Every symbol's last trade, for status views. */
  snapshot(): MarketQuote[] {
    return [...this.entries.values()].map((e) => ({ symbol: e.symbol, lastPrice: e.price, lastTime: e.time }));
  }
}
