import type { Fixed, Instrument, TradeTick } from '../../../domain/index.js';
import { KlineBuilder, aggTradePayload, bookTickerPayload, tradePayload } from './market-payloads.js';
import type { MarketStreams } from './market-streams.js';

const KINDS = ['trade', 'aggTrade', 'bookTicker', 'kline_1m'] as const;

/** Spot's streams: `<symbol>@trade`, `@aggTrade`, `@bookTicker` and `@kline_1m`, symbols lowercase. */
export function isSpotStream(name: string): boolean {
  const at = name.indexOf('@');
  return at > 0 && /^[a-z0-9]+$/.test(name.slice(0, at)) && (KINDS as readonly string[]).includes(name.slice(at + 1));
}

/** What a symbol's derived streams remember between trades. */
interface SymbolState {
  readonly kline: KlineBuilder;
  readonly tickSize: Fixed;
  bookUpdateId: number;
}

/** Spot's payloads of each tape trade, built only for the streams someone listens to. */
export class SpotMarketFeed {
  private readonly symbols = new Map<string, SymbolState>();
  private readonly tickSizes = new Map<string, Fixed>();

  constructor(
    instruments: readonly Instrument[],
    private readonly streams: MarketStreams,
  ) {
    for (const i of instruments) this.tickSizes.set(i.symbol, i.filters.priceFilter.tickSize);
  }

  onTrade(t: TradeTick, eventTime: number): void {
    const name = (kind: (typeof KINDS)[number]): string => `${t.symbol.toLowerCase()}@${kind}`;
    const s = this.streams;
    if (s.listening(name('trade'))) s.publish(name('trade'), tradePayload(t, eventTime));
    if (s.listening(name('aggTrade'))) s.publish(name('aggTrade'), aggTradePayload(t, eventTime));
    if (s.listening(name('bookTicker'))) {
      const sym = this.symbol(t.symbol);
      s.publish(name('bookTicker'), bookTickerPayload(t, ++sym.bookUpdateId, sym.tickSize));
    }
    // Klines are built only while someone listens, so a first subscriber's opening kline may cover part of its minute.
    if (s.listening(name('kline_1m'))) for (const p of this.symbol(t.symbol).kline.add(t, eventTime)) s.publish(name('kline_1m'), p);
  }

  private symbol(symbol: string): SymbolState {
    let sym = this.symbols.get(symbol);
    if (sym === undefined) {
      // An unknown symbol never trades on the tape; the tick fallback only keeps the type total.
      sym = { kline: new KlineBuilder(symbol), tickSize: this.tickSizes.get(symbol) ?? 1n, bookUpdateId: 0 };
      this.symbols.set(symbol, sym);
    }
    return sym;
  }
}
