import type { WebSocket } from 'ws';
import type { FuturesEvent } from '../../futures/index.js';
import type { FuturesListenKeys, ListenKeyEnd } from '../rest/fapi-listen-key-store.js';
import { futuresUserFrame, listenKeyExpired } from './fapi-user-payloads.js';

/** One user data connection: raw, or combined (`{stream: <listenKey>, data}`, the `/stream?streams=<key>` form). */
interface UserStream {
  readonly socket: WebSocket;
  readonly combined: boolean;
}

/**
 * USD-M user data streams, one set per listenKey. A connection naming a key that is not live (unknown, expired or
 * deleted) is closed at once with 1008 (chosen: Binance refuses such a connection; closing makes a client notice and
 * recreate its key rather than wait on a silent socket). When a key expires, each of its streams gets one
 * `listenKeyExpired` and nothing more, and stays open (as on Binance); a deleted key's streams are closed (1000).
 */
export class FapiUserStreams {
  private readonly byKey = new Map<string, Set<UserStream>>();
  private readonly offEnd: () => void;

  constructor(
    private readonly keys: FuturesListenKeys,
    private readonly now: () => number,
    /** Runs a delivery now, or later when a fault holds the user stream (events keep their order either way). */
    private readonly deliver: (send: () => void) => void = (send) => send(),
  ) {
    this.offEnd = keys.onEnd((key, how, time) => this.ended(key, how, time));
  }

  /** Takes a connection on `listenKey`; false (and the socket closed) when the key is not live. */
  accept(socket: WebSocket, listenKey: string, combined: boolean): boolean {
    if (!this.keys.isLive(listenKey)) {
      socket.close(1008, 'Invalid listenKey');
      return false;
    }
    const stream: UserStream = { socket, combined };
    let set = this.byKey.get(listenKey);
    if (set === undefined) {
      set = new Set();
      this.byKey.set(listenKey, set);
    }
    set.add(stream);
    socket.once('close', () => this.byKey.get(listenKey)?.delete(stream));
    return true;
  }

  /** True when `listenKey` is live: a `/ws/<segment>` path is then this key's user stream. */
  isLiveKey(listenKey: string): boolean {
    return this.keys.isLive(listenKey);
  }

  /** One account event to every stream of the live key (an expiry due by now is announced first). */
  onFuturesEvent(ev: FuturesEvent): void {
    this.keys.sweep();
    const key = this.liveKey();
    if (key === undefined) return;
    const held = this.now();
    this.deliver(() => this.send(key, futuresUserFrame(ev, held)));
  }

  close(): void {
    this.offEnd();
  }

  private liveKey(): string | undefined {
    for (const key of this.byKey.keys()) if (this.keys.isLive(key)) return key;
    return undefined;
  }

  private ended(key: string, how: ListenKeyEnd, time: number): void {
    this.deliver(() => {
      const set = this.byKey.get(key);
      this.byKey.delete(key);
      if (set === undefined) return;
      if (how === 'expired') this.sendTo(set, key, listenKeyExpired(key, time));
      else for (const s of set) s.socket.close(1000, 'listenKey deleted');
    });
  }

  private send(key: string, frame: object): void {
    const set = this.byKey.get(key);
    if (set !== undefined) this.sendTo(set, key, frame);
  }

  private sendTo(set: ReadonlySet<UserStream>, key: string, frame: object): void {
    const json = JSON.stringify(frame);
    for (const s of set) {
      if (s.socket.readyState !== s.socket.OPEN) continue;
      s.socket.send(s.combined ? `{"stream":"${key}","data":${json}}` : json);
    }
  }
}
