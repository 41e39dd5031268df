import { type Fixed, SCALE, type TradeTick, fixed } from '../../../domain/index.js';

const MINUTE = 60_000;
/** The window is 1440 whole minutes: the current minute and the 1439 before it (Binance's rolling windows are minute-granular too). */
const WINDOW_MINUTES = 1440;
export const DAY_MS = WINDOW_MINUTES * MINUTE;

/** One minute of one symbol's trades: enough to merge into a 24 h figure without keeping the trades. */
interface Bucket {
  minute: number;
  open: Fixed;
  high: Fixed;
  low: Fixed;
  close: Fixed;
  lastQty: Fixed;
  volume: Fixed;
  /** Σ price × qty unrounded (16 decimals), so quoteVolume and the weighted average round once, at the end. */
  quoteRaw: bigint;
  /** Base and raw quote volume of trades whose taker bought (the buyer was not the maker), for klines. */
  takerBuyVolume: Fixed;
  takerBuyQuoteRaw: bigint;
  firstId: number;
  lastId: number;
  count: number;
}

/** A symbol's 24 h statistics as exact values; `count` 0 means no trade in the window. */
export interface DailyFigures {
  readonly open: Fixed;
  readonly high: Fixed;
  readonly low: Fixed;
  readonly last: Fixed;
  readonly lastQty: Fixed;
  readonly prevClose: Fixed;
  readonly volume: Fixed;
  readonly quoteVolume: Fixed;
  readonly weightedAvg: Fixed;
  readonly firstId: number;
  readonly lastId: number;
  readonly count: number;
}

/** One traded minute of one symbol (what klines are cut from); raw quote sums carry 16 decimals. */
export interface MinuteBar {
  readonly openTime: number;
  readonly open: Fixed;
  readonly high: Fixed;
  readonly low: Fixed;
  readonly close: Fixed;
  readonly volume: Fixed;
  readonly quoteRaw: bigint;
  readonly takerBuyVolume: Fixed;
  readonly takerBuyQuoteRaw: bigint;
  readonly count: number;
}

/** A ring of 1440 minute buckets: a trade touches one bucket (O(1), no allocation once its slot exists). */
class SymbolWindow {
  private readonly ring: (Bucket | undefined)[] = new Array<Bucket | undefined>(WINDOW_MINUTES);
  /** The newest bucket pushed out of the ring: its close is the previous close once nothing older is left. */
  private evictedMinute = -1;
  private evictedClose: Fixed = 0n;

  add(t: TradeTick): void {
    const minute = Math.floor(t.time / MINUTE);
    const slot = minute % WINDOW_MINUTES;
    let b = this.ring[slot];
    if (b === undefined) {
      b = {
        minute: -1,
        open: 0n,
        high: 0n,
        low: 0n,
        close: 0n,
        lastQty: 0n,
        volume: 0n,
        quoteRaw: 0n,
        takerBuyVolume: 0n,
        takerBuyQuoteRaw: 0n,
        firstId: -1,
        lastId: -1,
        count: 0,
      };
      this.ring[slot] = b;
    }
    if (b.minute > minute) return; // a trade older than the whole window arriving late: nothing to add it to
    if (b.minute !== minute) {
      if (b.count > 0 && b.minute > this.evictedMinute) {
        this.evictedMinute = b.minute;
        this.evictedClose = b.close;
      }
      b.minute = minute;
      b.open = b.high = b.low = t.price;
      b.volume = 0n;
      b.quoteRaw = 0n;
      b.takerBuyVolume = 0n;
      b.takerBuyQuoteRaw = 0n;
      b.firstId = t.tradeId;
      b.count = 0;
    }
    if (t.price > b.high) b.high = t.price;
    if (t.price < b.low) b.low = t.price;
    b.close = t.price;
    b.lastQty = t.quantity;
    b.volume += t.quantity;
    b.quoteRaw += t.price * t.quantity;
    if (!t.isBuyerMaker) {
      b.takerBuyVolume += t.quantity;
      b.takerBuyQuoteRaw += t.price * t.quantity;
    }
    b.lastId = t.tradeId;
    b.count++;
  }

  /** The traded minutes of the window ending with `now`'s minute, oldest first. */
  bars(now: number): MinuteBar[] {
    const nowMinute = Math.floor(now / MINUTE);
    return this.ring
      .filter((b): b is Bucket => b !== undefined && b.count > 0 && b.minute <= nowMinute && b.minute > nowMinute - WINDOW_MINUTES)
      .sort((a, b) => a.minute - b.minute)
      .map((b) => ({ ...b, openTime: b.minute * MINUTE }));
  }

  /** Merges the buckets of the 1440 minutes ending with `now`'s minute, oldest first. */
  figures(now: number): DailyFigures {
    const nowMinute = Math.floor(now / MINUTE);
    const inside: Bucket[] = [];
    let prevMinute = this.evictedMinute;
    let prevClose = this.evictedClose;
    for (const b of this.ring) {
      if (b === undefined || b.count === 0 || b.minute > nowMinute) continue;
      if (b.minute > nowMinute - WINDOW_MINUTES) inside.push(b);
      else if (b.minute > prevMinute) {
        prevMinute = b.minute;
        prevClose = b.close;
      }
    }
    inside.sort((a, b) => a.minute - b.minute);
    const first = inside[0];
    const lastB = inside[inside.length - 1];
    if (first === undefined || lastB === undefined) {
      // No trade in the window: the price stands where the last one left it, with nothing traded.
      return {
        open: prevClose,
        high: prevClose,
        low: prevClose,
        last: prevClose,
        lastQty: 0n,
        prevClose,
        volume: 0n,
        quoteVolume: 0n,
        weightedAvg: 0n,
        firstId: -1,
        lastId: -1,
        count: 0,
      };
    }
    let high = first.high;
    let low = first.low;
    let volume = 0n;
    let quoteRaw = 0n;
    let count = 0;
    for (const b of inside) {
      if (b.high > high) high = b.high;
      if (b.low < low) low = b.low;
      volume += b.volume;
      quoteRaw += b.quoteRaw;
      count += b.count;
    }
    return {
      open: first.open,
      high,
      low,
      last: lastB.close,
      lastQty: lastB.lastQty,
      prevClose,
      volume,
      quoteVolume: fixed.divRound(quoteRaw, SCALE, 'halfEven'),
      // Σ(p×q) carries 16 decimals and Σq 8, so their plain quotient is the average price with 8.
      weightedAvg: volume > 0n ? fixed.divRound(quoteRaw, volume, 'halfEven') : 0n,
      firstId: first.firstId,
      lastId: lastB.lastId,
      count,
    };
  }
}

/** Rolling 24 h trade statistics per symbol, fed with every trade the hub sees. */
export class DailyStats {
  private readonly windows = new Map<string, SymbolWindow>();

  readonly onTrade = (t: TradeTick): void => {
    let w = this.windows.get(t.symbol);
    if (w === undefined) {
      w = new SymbolWindow();
      this.windows.set(t.symbol, w);
    }
    w.add(t);
  };

  /** The symbol's traded minutes of the 24 h ending at `now`, oldest first. */
  bars(symbol: string, now: number): MinuteBar[] {
    return this.windows.get(symbol)?.bars(now) ?? [];
  }

  /** The figures for the 24 h ending at `now` (ms, hub time); undefined when the symbol never traded. */
  figures(symbol: string, now: number): DailyFigures | undefined {
    return this.windows.get(symbol)?.figures(now);
  }
}
