import type { WebSocket } from 'ws';
import type { FuturesEvent } from '../../futures/index.js';
import type { SocketFaultHook } from '../faults/index.js';
import { listenKeysOf } from '../rest/fapi-listen-key-store.js';
import type { SandboxHub } from '../sandbox-hub.js';
import { FapiMarketFeed, fapiStreamFilter } from './fapi-market-feed.js';
import { type FapiRoute, fapiRouteOf } from './fapi-routes.js';
import { FapiUserStreams } from './fapi-user-streams.js';
import { Heartbeat } from './heartbeat.js';
import { MarketStreams } from './market-streams.js';

/** PROTOCOLS-FUTURES B.2: the server pings every 3 minutes and drops a connection without a pong for 10. */
const FAPI_PING_INTERVAL_MS = 180_000;
const FAPI_PONG_TIMEOUT_MS = 600_000;

/** A source of the USD-M account's events (the hub's `onFuturesEvent`). */
type FuturesEventSource = (listener: (ev: FuturesEvent) => void) => () => void;

export interface FapiStreamOptions {
  /** How often the server pings; Binance: 3 minutes. 0 turns pinging off. */
  readonly pingIntervalMs?: number;
  /** Incoming messages a market connection may send per second; Binance's USD-M: 10. */
  readonly maxMessagesPerSecond?: number;
  /** Streams per connection; Binance: 1024. */
  readonly maxStreams?: number;
  /**
   * Real-time period (ms) of the pulse that pushes due mark streams and notices expired listenKeys when no trade or event
   * does (default 250). 0 turns it off: tests on a manual clock drive both through trades and events alone.
   */
  readonly pulseMs?: number;
  /** The account's events; default the hub's `onFuturesEvent` (tests may add hand-built ones). */
  readonly events?: FuturesEventSource;
  /** Told the request path of each futures connection once it is served (tests wait on it). */
  readonly onConnect?: (path: string) => void;
  readonly faults?: SocketFaultHook;
}

/** USD-M's market streams and user data streams (fapi-routes.ts says where), on the sandbox's WebSocket server. */
export class FapiStreams {
  private readonly heartbeat: Heartbeat;
  private readonly market: MarketStreams;
  private readonly feed: FapiMarketFeed;
  private readonly users: FapiUserStreams;
  private readonly offs: Array<() => void> = [];
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    hub: SandboxHub,
    private readonly options: FapiStreamOptions = {},
  ) {
    const keys = listenKeysOf(hub);
    const { faults } = options;
    this.heartbeat = new Heartbeat(options.pingIntervalMs ?? FAPI_PING_INTERVAL_MS, FAPI_PONG_TIMEOUT_MS);
    this.market = new MarketStreams(
      { maxMessagesPerSecond: options.maxMessagesPerSecond ?? 10, maxStreams: options.maxStreams ?? 1024, now: hub.now },
      fapiStreamFilter('legacy'),
    );
    this.feed = new FapiMarketFeed(hub.engine.instruments(), hub.futuresMarket, this.market, hub.now);
    // Fault hook: a paused user stream holds each delivery (stamped when it happened) until the pause ends, in order.
    this.users = new FapiUserStreams(keys, hub.now, (send) => {
      if (faults?.userStreamPaused() === true) faults.holdUserEvent(send);
      else send();
    });
    this.offs.push(
      hub.onTrade((t) => {
        this.feed.onTrade(t);
        keys.sweep();
      }),
    );
    const events = options.events ?? ((listener) => hub.onFuturesEvent(listener));
    this.offs.push(events((ev) => this.users.onFuturesEvent(ev)));
    const pulseMs = options.pulseMs ?? 250;
    if (pulseMs > 0) {
      this.timer = setInterval(() => {
        // Funding, countdown cancels and liquidations come due on the clock, not only on trades.
        hub.advanceFutures();
        this.feed.pulse();
        keys.sweep();
      }, pulseMs);
      // A sandbox embedded in a bot must not keep the process alive on its own.
      this.timer.unref();
    }
  }

  /** The futures route of an upgrade URL; undefined leaves it to spot. */
  route(url: string): FapiRoute | undefined {
    return fapiRouteOf(url, (key) => this.users.isLiveKey(key));
  }

  accept(socket: WebSocket, route: FapiRoute): void {
    this.heartbeat.track(socket);
    // Fault hook: drop and freeze faults reach futures connections as they reach spot's.
    this.options.faults?.trackSocket(socket, route.kind === 'user' ? 'user' : 'market');
    if (route.kind === 'user') this.users.accept(socket, route.listenKey, route.combined);
    else this.market.accept(socket, route.streams, route.combined, fapiStreamFilter(route.root));
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const off of this.offs.splice(0)) off();
    this.users.close();
    this.heartbeat.stop();
  }
}
