import { type Fixed, type TradeTick, format, fixed } from '../../../domain/index.js';

/** Binance prints market-stream decimals with 8 places ("0.00100000"). */
function dec(v: Fixed): string {
  return format(v, 8);
}

/** `<symbol>@trade`: Binance's payload since 2024-06, without the removed buyer/seller order ids `b`/`a`. */
export function tradePayload(t: TradeTick, eventTime: number): string {
  return JSON.stringify({
    e: 'trade',
    E: eventTime,
    s: t.symbol,
    t: t.tradeId,
    p: dec(t.price),
    q: dec(t.quantity),
    T: t.time,
    m: t.isBuyerMaker,
    M: true,
  });
}

/** `<symbol>@aggTrade`: the sandbox aggregates nothing, so each trade is its own aggregate (a = f = l = trade id). */
export function aggTradePayload(t: TradeTick, eventTime: number): string {
  return JSON.stringify({
    e: 'aggTrade',
    E: eventTime,
    s: t.symbol,
    a: t.tradeId,
    p: dec(t.price),
    q: dec(t.quantity),
    f: t.tradeId,
    l: t.tradeId,
    T: t.time,
    m: t.isBuyerMaker,
    M: true,
  });
}

/**
 * `<symbol>@bookTicker` (no `e`/`E`, as on Binance). The sandbox keeps no order book of other traders, so the best bid
 * and ask are derived: one tick below and one tick above the last traded price, each with the last trade's quantity.
 */
export function bookTickerPayload(t: TradeTick, updateId: number, tickSize: Fixed): string {
  const bid = t.price - tickSize;
  return JSON.stringify({
    u: updateId,
    s: t.symbol,
    b: dec(bid > 0n ? bid : 0n),
    B: dec(t.quantity),
    a: dec(t.price + tickSize),
    A: dec(t.quantity),
  });
}

const MINUTE = 60_000;

/** How a kline writes its prices and base quantities; quote volumes are always 8 places. */
export interface KlineWriters {
  readonly price: (v: Fixed) => string;
  readonly qty: (v: Fixed) => string;
}

const EIGHT_PLACES: KlineWriters = { price: dec, qty: dec };

/** One symbol's current 1-minute kline, built from the trades it has heard. */
export class KlineBuilder {
  private start = -1;
  private open: Fixed = 0n;
  private high: Fixed = 0n;
  private low: Fixed = 0n;
  private close: Fixed = 0n;
  private volume: Fixed = 0n;
  private quoteVolume: Fixed = 0n;
  private takerBuyVolume: Fixed = 0n;
  private takerBuyQuote: Fixed = 0n;
  private count = 0;
  private firstId = -1;
  private lastId = -1;

  /** `write` formats prices and base quantities (spot: 8 places; USD-M: the tick's and the step's decimals). */
  constructor(
    private readonly symbol: string,
    private readonly write: KlineWriters = EIGHT_PLACES,
  ) {}

  /**
   * Adds a trade and returns the payloads to send: the previous minute's kline marked closed (`x: true`) when this
   * trade opens a new minute, then the current kline.
   */
  add(t: TradeTick, eventTime: number): string[] {
    const out: string[] = [];
    const start = t.time - (t.time % MINUTE);
    if (start !== this.start) {
      if (this.start >= 0 && start > this.start) out.push(this.payload(eventTime, true));
      this.reset(start, t);
    }
    if (t.price > this.high) this.high = t.price;
    if (t.price < this.low) this.low = t.price;
    this.close = t.price;
    const quote = fixed.mul(t.price, t.quantity, 'halfEven');
    this.volume += t.quantity;
    this.quoteVolume += quote;
    // The taker bought when the buyer was not the maker.
    if (!t.isBuyerMaker) {
      this.takerBuyVolume += t.quantity;
      this.takerBuyQuote += quote;
    }
    this.count++;
    this.lastId = t.tradeId;
    out.push(this.payload(eventTime, false));
    return out;
  }

  private reset(start: number, t: TradeTick): void {
    this.start = start;
    this.open = this.high = this.low = this.close = t.price;
    this.volume = this.quoteVolume = this.takerBuyVolume = this.takerBuyQuote = 0n;
    this.count = 0;
    this.firstId = t.tradeId;
  }

  private payload(eventTime: number, closed: boolean): string {
    return JSON.stringify({
      e: 'kline',
      E: eventTime,
      s: this.symbol,
      k: {
        t: this.start,
        T: this.start + MINUTE - 1,
        s: this.symbol,
        i: '1m',
        f: this.firstId,
        L: this.lastId,
        o: this.write.price(this.open),
        c: this.write.price(this.close),
        h: this.write.price(this.high),
        l: this.write.price(this.low),
        v: this.write.qty(this.volume),
        n: this.count,
        x: closed,
        q: dec(this.quoteVolume),
        V: this.write.qty(this.takerBuyVolume),
        Q: dec(this.takerBuyQuote),
        B: '0',
      },
    });
  }
}
