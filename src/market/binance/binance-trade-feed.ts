import type { BusPort, Clock } from '../../engine/index.js';
import { systemClock } from '../../engine/index.js';
import { type RealtimeTimers, systemTimers } from '../feed-pump.js';
import { type Backoff, MAX_STREAMS_PER_CONNECTION, planFuturesConnections, planTradeConnections } from './stream-plan.js';
import { type ConnectionEvent, type FeedLog, TradeStreamConnection } from './trade-stream-connection.js';

export interface BinanceTradeFeedOptions {
  /** Binance's raw-stream base ending in `/ws` (what binance-api-node calls wsBase); the feed uses `/stream` beside it. */
  readonly wsBase: string;
  readonly symbols: readonly string[];
  /**
   * USD-M perpetuals (the bot's `BTCUSDT.P` names) on the futures market root (ending in `/ws`): their aggTrades as
   * TradeTicked and `@markPrice@1s` as MarkPriceTicked, on connections of their own under the same rules as spot's.
   */
  readonly futures?: { readonly wsMarketBase: string; readonly perpetuals: readonly string[] };
  readonly bus: BusPort;
  /** Stamps stale/resumed events and measures quiet time; default the system clock. */
  readonly clock?: Clock;
  /** Schedules reconnects, rotations and staleness checks, and measures dead sockets; default the real timers. */
  readonly timers?: RealtimeTimers;
  /**
   * An open connection with no trade for this long (on `clock`) is announced stale, cause 'quiet'; 0 never. Default
   * 45 000 ms: above the 30 s gaps of a 1m kline tape replayed at 1× by a sandbox, so a slow tape is not an outage.
   */
  readonly staleAfterMs?: number;
  /**
   * An open socket with no frame at all (trades, pings, replies) for this long of wall time is dead: it is cut and
   * reopened, and the outage announced. 0 never. Default 60 000 ms, three of Binance's 20 s pings.
   */
  readonly deadAfterMs?: number;
  /** Reconnect delays; default 250 ms doubling to 30 s. */
  readonly backoff?: Backoff;
  /** Replace each connection after this long, before Binance's 24 h cut; default 23 h. */
  readonly rotateAfterMs?: number;
  /** [0, 1) draws for backoff jitter; default Math.random. */
  readonly random?: () => number;
  /** Streams per connection, at most Binance's 1024 (the default); more symbols open more connections. */
  readonly maxStreamsPerConnection?: number;
  readonly log?: FeedLog;
  /** Told each time a connection opens (and is therefore subscribed) or closes. */
  readonly onConnection?: (event: ConnectionEvent) => void;
}

const silentLog: FeedLog = { info: () => {}, warn: () => {} };

/** The quiet limit when none is given (MARKET_STALE_AFTER_SECONDS's default follows RISK_STALE_AFTER_SECONDS, 45 s). */
const DEFAULT_STALE_AFTER_MS = 45_000;
/** The dead-socket limit when none is given, as MARKET_DEAD_AFTER_SECONDS's default. */
const DEFAULT_DEAD_AFTER_MS = 60_000;

/**
 * Binance `<symbol>@trade` streams (and USD-M perpetuals' aggTrade and mark price streams), many symbols per connection
 * (combined streams), published on the bus as `TradeTicked` (and `MarkPriceTicked`), with `MarketDataStale` /
 * `MarketDataResumed` around outages; a perpetual (`BTCUSDT.P`) is stale or fresh by the same rules as a spot pair. An
 * edge component: the bus is given at construction, so it runs inside a kernel (`attach` is a no-op) or on its own.
 */
export class BinanceTradeFeed {
  readonly name = 'binance-trade-feed';
  private readonly connections: TradeStreamConnection[];
  private readonly bySymbol = new Map<string, TradeStreamConnection>();

  constructor(options: BinanceTradeFeedOptions) {
    const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    const deadAfterMs = options.deadAfterMs ?? DEFAULT_DEAD_AFTER_MS;
    const rotateAfterMs = options.rotateAfterMs ?? 23 * 3_600_000;
    const backoff = options.backoff ?? { minMs: 250, maxMs: 30_000 };
    if (!(staleAfterMs >= 0 && deadAfterMs >= 0 && rotateAfterMs > 0 && backoff.minMs > 0 && backoff.maxMs >= backoff.minMs)) {
      throw new RangeError(
        'staleAfterMs and deadAfterMs must be 0 (off) or more; rotateAfterMs and backoff positive, with backoff.maxMs >= minMs',
      );
    }
    const settings = {
      bus: options.bus,
      clock: options.clock ?? systemClock,
      timers: options.timers ?? systemTimers,
      staleAfterMs,
      deadAfterMs,
      backoff,
      rotateAfterMs,
      random: options.random ?? Math.random,
      log: options.log ?? silentLog,
      onConnection: options.onConnection,
    };
    const perConnection = options.maxStreamsPerConnection ?? MAX_STREAMS_PER_CONNECTION;
    const plans = [
      ...planTradeConnections(options.wsBase, options.symbols, perConnection),
      ...(options.futures && options.futures.perpetuals.length > 0
        ? planFuturesConnections(options.futures.wsMarketBase, options.futures.perpetuals, Math.max(2, perConnection))
        : []),
    ];
    this.connections = plans.map((plan) => new TradeStreamConnection(plan, settings));
    for (const c of this.connections) for (const s of c.plan.symbols) this.bySymbol.set(s, c);
  }

  /** The bus came with the options. */
  attach(): void {}

  /** Opens every connection; resolves at once (connections that fail keep retrying with backoff). */
  async start(): Promise<void> {
    for (const c of this.connections) c.start();
  }

  /** Closes every connection; resolves when all sockets have closed. */
  async stop(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.stop()));
  }

  /** The symbols carried, upper case. */
  get symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  /** The combined-stream URLs, one per connection. */
  get urls(): string[] {
    return this.connections.map((c) => c.plan.url);
  }

  /** True for a symbol not carried, before its connection's first trade, and while its connection is stale. */
  isStale(symbol: string): boolean {
    return this.bySymbol.get(symbol.toUpperCase())?.stale ?? true;
  }
}
