import type { Fixed } from '../fixed.js';
import type { TradeTick } from '../market.js';

/** The mark the sandbox serves at one instant; premiumIndex, @markPrice and positionRisk all read this one value. */
interface MarkSnapshot {
  readonly symbol: string;
  readonly markPrice: Fixed;
  /** The clock's time when read: premiumIndex `time`, @markPrice `E`. */
  readonly time: number;
}

/**
 * Mark price from the sandbox's own tape (PROTOCOLS-FUTURES D.5). Rule: the mark at clock time t is the price of the
 * last trade with time ≤ t (a trade price is already on the tick, so no rounding is needed). Binance's mark is a
 * median of index- and basis-derived prices we do not have; on the real BTCUSDT files the last trade came closest of
 * the rules measured (FUNDING.md: mean 0.41 bp, worst 4.15 bp from Binance's mark; 2- to 10-minute means were worse).
 *
 * Trades fed ahead of the clock (a read-ahead replay) wait until the clock reaches them, so the mark at t depends only
 * on the trades up to t, never on delivery timing. Among trades with equal times the one fed last wins.
 */
export class TapeMarkPrice {
  private price: Fixed | undefined;
  private priceTime = Number.NEGATIVE_INFINITY;
  /** Trades later than the clock, in feed order; replays feed in time order, so this stays short. */
  private ahead: TradeTick[] = [];

  constructor(
    readonly symbol: string,
    private readonly clock: { now(): number },
  ) {}

  /** Feeds a trade; other symbols' trades and trades older than the current mark's are ignored. */
  onTrade(trade: TradeTick): void {
    if (trade.symbol !== this.symbol || trade.time < this.priceTime) return;
    this.ahead.push(trade);
  }

  /** The mark now, or undefined before the first trade at or before the clock. */
  read(): MarkSnapshot | undefined {
    const now = this.clock.now();
    if (this.ahead.length > 0) {
      const waiting: TradeTick[] = [];
      for (const t of this.ahead) {
        if (t.time <= now && t.time >= this.priceTime) {
          this.price = t.price;
          this.priceTime = t.time;
        } else if (t.time > now) {
          waiting.push(t);
        }
      }
      this.ahead = waiting;
    }
    return this.price === undefined ? undefined : { symbol: this.symbol, markPrice: this.price, time: now };
  }
}
