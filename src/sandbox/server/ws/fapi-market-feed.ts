import type { Instrument, TradeTick } from '../../../domain/index.js';
import type { FuturesMarket } from '../../futures/index.js';
import { fapiAggTradePayload, fapiBookTickerPayload, fapiTradePayload, fapiWriters, markPricePayload } from './fapi-market-payloads.js';
import { KlineBuilder, type KlineWriters } from './market-payloads.js';
import type { MarketStreams, StreamFilter } from './market-streams.js';

/** The 2026 roots (PROTOCOLS-FUTURES B.2) and the legacy paths, which carry every stream as fstream did before the split. */
export type FapiRoot = 'public' | 'market' | 'legacy';

const PUBLIC_KINDS: readonly string[] = ['bookTicker', 'trade'];
/** `trade` is served on both roots: ccxt routes it to /public, other clients may look for it beside aggTrade. */
const MARKET_KINDS: readonly string[] = ['aggTrade', 'markPrice', 'markPrice@1s', 'kline_1m', 'trade'];

/** How often each mark stream is pushed, in hub time. */
const MARK_PERIODS: ReadonlyArray<readonly [string, number]> = [
  ['markPrice', 3000],
  ['markPrice@1s', 1000],
];

/**
 * The USD-M streams a root carries, symbols lowercase. A stream on the wrong root is refused (a client routed as before
 * the split should fail here as it would on Binance, where /public carries no aggTrade or markPrice).
 */
export function fapiStreamFilter(root: FapiRoot): StreamFilter {
  const kinds = root === 'public' ? PUBLIC_KINDS : root === 'market' ? MARKET_KINDS : [...PUBLIC_KINDS, ...MARKET_KINDS];
  return (name) => {
    const at = name.indexOf('@');
    return at > 0 && /^[a-z0-9]+$/.test(name.slice(0, at)) && kinds.includes(name.slice(at + 1));
  };
}

interface SymbolState {
  readonly inst: Instrument;
  readonly write: KlineWriters;
  readonly kline: KlineBuilder;
  bookUpdateId: number;
}

/**
 * USD-M's payloads of each tape trade, and the mark streams. A mark stream is pushed when its period has elapsed on the
 * hub's clock, checked on every trade and on every `pulse()` (the WebSocket layer's timer): a test on a manual clock
 * moves the clock and trades, and gets exactly one push per elapsed period. Nothing is pushed before the symbol's first
 * trade (its mark is unknown until then). A trade looks at every symbol's mark streams only when one may be due (the
 * earliest due time has come, a subscription changed, or a listened symbol awaits its first mark): a sandbox of 1,000
 * symbols would otherwise build 2,000 stream names on every trade.
 */
export class FapiMarketFeed {
  private readonly symbols = new Map<string, SymbolState>();
  private readonly lastMarkPush = new Map<string, number>();
  /** When the next mark push may be due, and the subscriptions that was worked out for. */
  private nextDue = Number.NEGATIVE_INFINITY;
  private dueFor = -1;

  constructor(
    instruments: readonly Instrument[],
    private readonly market: FuturesMarket,
    private readonly streams: MarketStreams,
    private readonly now: () => number,
  ) {
    for (const inst of instruments) {
      const write = fapiWriters(inst);
      this.symbols.set(inst.symbol, { inst, write, kline: new KlineBuilder(inst.symbol, write), bookUpdateId: 0 });
    }
  }

  onTrade(t: TradeTick): void {
    const sym = this.symbols.get(t.symbol);
    if (sym === undefined) return;
    const now = this.now();
    const name = (kind: string): string => `${t.symbol.toLowerCase()}@${kind}`;
    const s = this.streams;
    if (s.listening(name('trade'))) s.publish(name('trade'), fapiTradePayload(t, sym.write, now));
    if (s.listening(name('aggTrade'))) s.publish(name('aggTrade'), fapiAggTradePayload(t, sym.write, now));
    if (s.listening(name('bookTicker')))
      s.publish(name('bookTicker'), fapiBookTickerPayload(t, sym.inst, sym.write, ++sym.bookUpdateId, now));
    if (s.listening(name('kline_1m'))) for (const p of sym.kline.add(t, now)) s.publish(name('kline_1m'), p);
    if (now >= this.nextDue || this.dueFor !== s.version) this.pulse();
  }

  /** Pushes every mark stream whose period has elapsed since its last push (or that has never been pushed). */
  pulse(): void {
    const now = this.now();
    let due = Number.POSITIVE_INFINITY;
    for (const symbol of this.symbols.keys()) {
      for (const [kind, period] of MARK_PERIODS) {
        const stream = `${symbol.toLowerCase()}@${kind}`;
        if (!this.streams.listening(stream)) {
          this.lastMarkPush.delete(stream);
          continue;
        }
        const last = this.lastMarkPush.get(stream);
        if (last !== undefined && now - last < period) {
          due = Math.min(due, last + period);
          continue;
        }
        const mark = this.market.markPrice(symbol);
        if (mark === 0n) {
          due = Number.NEGATIVE_INFINITY; // its first trade gives it a mark: look again then
          continue;
        }
        this.lastMarkPush.set(stream, now);
        due = Math.min(due, now + period);
        const facts = {
          mark,
          fundingRate: this.market.comingFundingRate(symbol),
          nextFundingTime: this.market.nextFundingTime(symbol),
        };
        this.streams.publish(stream, markPricePayload(symbol, facts, now));
      }
    }
    this.nextDue = due;
    this.dueFor = this.streams.version;
  }
}
