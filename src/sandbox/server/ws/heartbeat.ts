import type { WebSocket } from 'ws';

/** Spot: Binance drops a connection that has not answered a ping within a minute. */
const PONG_TIMEOUT_MS = 60_000;

/**
 * Pings every socket it tracks on a fixed interval (Binance spot: every 20 s) and terminates one that has not ponged
 * within its timeout. One timer serves all sockets; an interval of 0 turns pinging off (tests that must not depend on real timers).
 */
export class Heartbeat {
  private readonly lastPong = new Map<WebSocket, number>();
  private readonly timer: NodeJS.Timeout | undefined;

  /** `pongTimeoutMs`: how long a socket may go without a pong (spot: a minute; USD-M: 10 minutes). */
  constructor(
    intervalMs: number,
    private readonly pongTimeoutMs = PONG_TIMEOUT_MS,
  ) {
    if (intervalMs > 0) {
      this.timer = setInterval(() => this.beat(), intervalMs);
      // A sandbox embedded in a bot must not keep the process alive on its own.
      this.timer.unref();
    }
  }

  track(socket: WebSocket): void {
    this.lastPong.set(socket, Date.now());
    socket.on('pong', () => this.lastPong.set(socket, Date.now()));
    socket.once('close', () => this.lastPong.delete(socket));
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.lastPong.clear();
  }

  private beat(): void {
    const now = Date.now();
    for (const [socket, at] of this.lastPong) {
      if (now - at > this.pongTimeoutMs) socket.terminate();
      else socket.ping();
    }
  }
}

/** Counts a connection's incoming messages in one-second windows; past the limit the caller disconnects it. */
export class MessageRate {
  private windowStart = Number.NEGATIVE_INFINITY;
  private count = 0;

  constructor(
    private readonly limitPerSecond: number,
    private readonly now: () => number,
  ) {}

  /** Counts one message; false once the connection has sent more than its limit in the current second. */
  allow(): boolean {
    const now = this.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count++;
    return this.count <= this.limitPerSecond;
  }
}
