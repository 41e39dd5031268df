import WebSocket from 'ws';
import type { BusPort, Clock } from '../../engine/index.js';
import type { RealtimeTimers } from '../feed-pump.js';
import { type Backoff, type ConnectionPlan, backoffDelay } from './stream-plan.js';
import { type MarkFrame, isMark, isSkip, parseFuturesFrame, parseTradeFrame } from './trade-message.js';

/** Where the feed tells what happened to its connections and frames (pino's argument order). */
export interface FeedLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** A connection opened (and is subscribed, since the subscription is its URL) or closed. */
export type ConnectionEvent =
  | { readonly url: string; readonly state: 'open' }
  | { readonly url: string; readonly state: 'closed'; readonly code: number; readonly reason: string };

export interface ConnectionSettings {
  readonly bus: BusPort;
  readonly clock: Clock;
  readonly timers: RealtimeTimers;
  /** An open connection with no trade for this long (on `clock`) is announced stale, cause 'quiet'; 0 = never. */
  readonly staleAfterMs: number;
  /** An open socket with no frame at all, pings included, for this long (on `timers`) is dead: cut and reopened; 0 = never. */
  readonly deadAfterMs: number;
  readonly backoff: Backoff;
  readonly rotateAfterMs: number;
  readonly random: () => number;
  readonly log: FeedLog;
  readonly onConnection?: (event: ConnectionEvent) => void;
}

/** How long a socket asked to close may take to finish the handshake before it is cut (ws alone would wait 30 s). */
const CLOSE_GRACE_MS = 2_000;

interface SymbolState {
  lastTradeId: number;
  /** USD-M: the last mark's event time, so a rotation's overlap does not publish a mark twice. */
  lastMarkAt: number;
}

/**
 * One combined-stream connection over its life: reconnects with backoff (the URL resubscribes), rotates before Binance's
 * 24 h cut by opening the new socket before closing the old (trades both carried are published once), and signals
 * staleness once per outage, when the open socket goes quiet or drops (and once more if a quiet stream then drops).
 *
 * Two silences, two rules. Quiet (no trade for `staleAfterMs` on the bot's clock) is a market that may simply be slow:
 * it is announced, nothing more. Dead (no frame at all for `deadAfterMs` of wall time, while Binance pings every 20 s
 * and the sandbox does too) is a socket that is open only on our side, e.g. a half-open TCP connection: it is cut and
 * reopened, which nothing else would ever do since such a socket never closes by itself.
 */
export class TradeStreamConnection {
  /** The socket whose trades are published. */
  private primary: WebSocket | undefined;
  /** A socket still connecting: a reconnect, or a rotation's replacement. */
  private pending: WebSocket | undefined;
  /** The socket a rotation replaced; its trades count until it has closed, while the new one's frames are held. */
  private retiring: WebSocket | undefined;
  private held: string[] = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly states = new Map<string, SymbolState>();
  private connectTimer: unknown;
  private staleTimer: unknown;
  private deadTimer: unknown;
  private rotateTimer: unknown;
  private attempt = 0;
  private running = false;
  private fresh = false;
  private announcedStale = false;
  /** What the current announcement said; a quiet one is followed by an outage one if the socket then drops. */
  private announcedCause: 'quiet' | 'outage' = 'outage';
  private hadData = false;
  /** When the last trade arrived (or the first connection opened, before any trade), on the injected clock. */
  private lastDataAt = 0;
  /** `lastDataAt` when the current outage was announced: the gap runs from there to the first trade after it. */
  private gapStart = 0;
  /** When the primary socket last delivered any frame (data, ping or pong), on the timers' wall time. */
  private lastFrameAt = 0;
  private allClosed: (() => void) | undefined;

  constructor(
    readonly plan: ConnectionPlan,
    private readonly settings: ConnectionSettings,
  ) {
    for (const s of plan.symbols) this.states.set(s, { lastTradeId: -1, lastMarkAt: -1 });
  }

  /** True until the first trade arrives, and from a stale signal until trades flow again. */
  get stale(): boolean {
    return !this.fresh;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  /** Closes every socket without a stale signal (stopping is not an outage); resolves once they have all closed. */
  stop(): Promise<void> {
    this.running = false;
    const { timers } = this.settings;
    for (const t of [this.connectTimer, this.staleTimer, this.deadTimer, this.rotateTimer]) if (t !== undefined) timers.clearTimeout(t);
    this.connectTimer = this.staleTimer = this.deadTimer = this.rotateTimer = undefined;
    this.primary = this.pending = this.retiring = undefined;
    this.held = [];
    if (this.sockets.size === 0) return Promise.resolve();
    const done = new Promise<void>((resolve) => (this.allClosed = resolve));
    for (const s of this.sockets) this.closeGracefully(s, 'stopping');
    return done;
  }

  private connect(): void {
    if (!this.running || this.pending !== undefined) return;
    const socket = new WebSocket(this.plan.url, { perMessageDeflate: false, handshakeTimeout: 10_000 });
    this.pending = socket;
    this.sockets.add(socket);
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data) => this.onFrame(socket, data as Buffer));
    // ws answers pings itself; a ping (or a pong) is still a frame, the proof of life a quiet market gives.
    socket.on('ping', () => this.heard(socket));
    socket.on('pong', () => this.heard(socket));
    socket.on('error', (error) => this.settings.log.warn({ url: this.plan.url, err: error.message }, 'market stream error'));
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString()));
  }

  private scheduleConnect(): void {
    if (!this.running || this.connectTimer !== undefined || this.pending !== undefined) return;
    const delay = backoffDelay(this.attempt++, this.settings.backoff, this.settings.random);
    this.connectTimer = this.settings.timers.setTimeout(() => {
      this.connectTimer = undefined;
      this.connect();
    }, delay);
  }

  private onOpen(socket: WebSocket): void {
    if (socket !== this.pending) return;
    this.pending = undefined;
    const replaced = this.primary;
    this.primary = socket;
    const { timers, log } = this.settings;
    log.info({ url: this.plan.url, rotation: replaced !== undefined }, 'market stream open');
    if (replaced !== undefined) {
      this.retiring = replaced;
      this.closeGracefully(replaced, 'rotating');
    }
    if (this.rotateTimer !== undefined) timers.clearTimeout(this.rotateTimer);
    this.rotateTimer = timers.setTimeout(() => this.rotate(), this.settings.rotateAfterMs);
    if (!this.hadData && !this.announcedStale) this.lastDataAt = this.settings.clock.now();
    if (!this.announcedStale) this.armStaleCheck();
    this.lastFrameAt = timers.now();
    this.armDeadCheck();
    this.settings.onConnection?.({ url: this.plan.url, state: 'open' });
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    this.sockets.delete(socket);
    if (this.sockets.size === 0 && this.allClosed !== undefined) {
      const resolve = this.allClosed;
      this.allClosed = undefined;
      resolve();
    }
    if (!this.running) return;
    if (socket === this.retiring) {
      this.retiring = undefined;
      this.replayHeld();
    } else if (socket === this.primary) {
      this.primary = undefined;
      // Reconnecting follows the backoff; a rotation due meanwhile must not jump the queue.
      if (this.rotateTimer !== undefined) this.settings.timers.clearTimeout(this.rotateTimer);
      this.rotateTimer = undefined;
      this.settings.log.warn({ url: this.plan.url, code, reason }, 'market stream closed');
      this.markStale(`connection closed (${code}${reason ? ` ${reason}` : ''})`, 'outage');
      this.scheduleConnect();
    } else if (socket === this.pending) {
      this.pending = undefined;
      if (this.primary === undefined) this.markStale(`connection failed (${code})`, 'outage');
      this.scheduleConnect();
    }
    this.settings.onConnection?.({ url: this.plan.url, state: 'closed', code, reason });
  }

  private closeGracefully(socket: WebSocket, reason: string): void {
    if (socket.readyState !== WebSocket.OPEN) {
      socket.terminate();
      return;
    }
    socket.close(1000, reason);
    const { timers } = this.settings;
    const cut = timers.setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
    socket.once('close', () => timers.clearTimeout(cut));
  }

  /** Opens the replacement now (the 24 h cut is near, or the server announced a shutdown). */
  private rotate(): void {
    if (this.rotateTimer !== undefined) this.settings.timers.clearTimeout(this.rotateTimer);
    this.rotateTimer = undefined;
    this.connect();
  }

  private heard(socket: WebSocket): void {
    if (socket === this.primary) this.lastFrameAt = this.settings.timers.now();
  }

  private onFrame(socket: WebSocket, data: Buffer): void {
    this.heard(socket);
    if (socket === this.primary) {
      if (this.retiring !== undefined) this.held.push(data.toString());
      else this.handle(data.toString(), false);
    } else if (socket === this.retiring) {
      this.handle(data.toString(), false);
    }
  }

  /** The replacement's frames from the overlap, minus the trades the retiring socket already delivered. */
  private replayHeld(): void {
    const held = this.held;
    this.held = [];
    for (const text of held) {
      if (!this.running || this.retiring !== undefined) return;
      this.handle(text, true);
    }
  }

  private handle(text: string, dedupe: boolean): void {
    const r = this.plan.market === 'usdm' ? parseFuturesFrame(text) : parseTradeFrame(text);
    if (isMark(r)) return this.markPrice(r.mark, dedupe);
    if (isSkip(r)) {
      if (r.skip === 'shutdown') {
        this.settings.log.info({ url: this.plan.url }, 'server shutdown announced; rotating the connection');
        this.rotate();
      } else {
        this.settings.log.warn({ url: this.plan.url, reason: r.reason, frame: text.slice(0, 200) }, 'skipped a market-stream frame');
      }
      return;
    }
    const state = this.states.get(r.symbol);
    if (state === undefined) {
      this.settings.log.warn({ url: this.plan.url, symbol: r.symbol }, 'skipped a trade for a symbol not subscribed here');
      return;
    }
    if (dedupe && r.tradeId <= state.lastTradeId) return;
    state.lastTradeId = r.tradeId;
    this.lastDataAt = this.settings.clock.now();
    this.attempt = 0;
    if (!this.fresh) this.resume();
    this.settings.bus.publish({ type: 'TradeTicked', tick: r });
  }

  /**
   * A perpetual's mark: published as MarkPriceTicked. It keeps the socket alive (any frame does) but is not a trade: the
   * quiet rule and the risk gate's staleness still look at trades only, as for spot.
   */
  private markPrice(mark: MarkFrame['mark'], dedupe: boolean): void {
    const state = this.states.get(mark.symbol);
    if (state === undefined) return;
    if (dedupe && mark.time <= state.lastMarkAt) return;
    state.lastMarkAt = mark.time;
    this.settings.bus.publish({ type: 'MarkPriceTicked', ...mark });
  }

  private resume(): void {
    this.fresh = true;
    this.hadData = true;
    if (this.announcedStale) {
      this.announcedStale = false;
      const gapMs = this.lastDataAt - this.gapStart;
      this.settings.bus.publish({ type: 'MarketDataResumed', symbols: this.plan.symbols, gapMs, time: this.lastDataAt });
    }
    this.armStaleCheck();
  }

  private markStale(reason: string, cause: 'quiet' | 'outage'): void {
    this.fresh = false;
    if (this.staleTimer !== undefined) this.settings.timers.clearTimeout(this.staleTimer);
    this.staleTimer = undefined;
    // Once per outage; but a quiet stream that then drops is news (the risk gate stops on outages only).
    if (this.announcedStale && !(this.announcedCause === 'quiet' && cause === 'outage')) return;
    if (!this.announcedStale) this.gapStart = this.lastDataAt;
    this.announcedStale = true;
    this.announcedCause = cause;
    this.settings.bus.publish({ type: 'MarketDataStale', symbols: this.plan.symbols, reason, cause, time: this.settings.clock.now() });
  }

  /** One timer per connection, re-armed only when it fires: a trade costs a clock read, not a timer reset. */
  private armStaleCheck(): void {
    const { timers, clock, staleAfterMs } = this.settings;
    if (this.staleTimer !== undefined || staleAfterMs <= 0) return;
    const due = Math.max(0, this.lastDataAt + staleAfterMs - clock.now());
    this.staleTimer = timers.setTimeout(() => {
      this.staleTimer = undefined;
      if (!this.running || this.primary === undefined || this.announcedStale) return;
      const idle = clock.now() - this.lastDataAt;
      if (idle >= staleAfterMs) this.markStale(`no trade for ${idle} ms`, 'quiet');
      else this.armStaleCheck();
    }, due);
  }

  /**
   * The same one-timer pattern for frames, on wall time (the timers' own clock: pings come on wall time even when the
   * bot's clock follows a tape). A dead primary is announced as an outage and cut; its close reconnects with backoff.
   */
  private armDeadCheck(): void {
    const { timers, deadAfterMs } = this.settings;
    if (this.deadTimer !== undefined || deadAfterMs <= 0) return;
    const due = Math.max(0, this.lastFrameAt + deadAfterMs - timers.now());
    this.deadTimer = timers.setTimeout(() => {
      this.deadTimer = undefined;
      const socket = this.primary;
      if (!this.running || socket === undefined) return;
      const silent = timers.now() - this.lastFrameAt;
      if (silent < deadAfterMs) return this.armDeadCheck();
      this.settings.log.warn({ url: this.plan.url, silentMs: silent }, 'market stream silent while open; reopening it');
      this.markStale(`no frame for ${silent} ms on an open connection; reconnecting`, 'outage');
      socket.terminate();
    }, due);
  }
}
