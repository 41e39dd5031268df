import { randomBytes } from 'node:crypto';
import type { SandboxHub } from '../sandbox-hub.js';

/** PROTOCOLS-FUTURES B.1: a key lives 60 minutes after its creation or its last keepalive. */
const LISTEN_KEY_VALIDITY_MS = 60 * 60_000;

/** How a key ended: its 60 minutes passed, or the client deleted it. */
export type ListenKeyEnd = 'expired' | 'deleted';

/**
 * The account's USD-M listenKey on the hub's clock. Binance keeps one active key per account: POST returns the active one
 * (extended) while it lives. Expiry is noticed by `sweep()`, which every caller runs first (REST calls, stream
 * connections, futures events, trades and the streams' timer), so a manual clock drives it deterministically.
 */
export class FuturesListenKeys {
  private active: { key: string; expiresAt: number } | undefined;
  private readonly listeners = new Set<(key: string, how: ListenKeyEnd, time: number) => void>();

  constructor(
    private readonly now: () => number,
    private readonly validityMs = LISTEN_KEY_VALIDITY_MS,
  ) {}

  /** POST: the active key extended, or a new one. */
  create(): string {
    this.sweep();
    const now = this.now();
    // 64 alphanumeric characters, as Binance's keys look.
    this.active ??= {
      key: randomBytes(48)
        .toString('base64')
        .replace(/[^A-Za-z0-9]/g, '')
        .padEnd(64, '0')
        .slice(0, 64),
      expiresAt: 0,
    };
    this.active.expiresAt = now + this.validityMs;
    return this.active.key;
  }

  /** PUT: extends the active key (the one named, when a name is given); undefined when there is none, or another is named. */
  keepAlive(key: string | undefined): string | undefined {
    this.sweep();
    if (this.active === undefined || (key !== undefined && key !== this.active.key)) return undefined;
    this.active.expiresAt = this.now() + this.validityMs;
    return this.active.key;
  }

  /** DELETE: ends the active key (the one named, when a name is given); deleting a dead key changes nothing. */
  remove(key: string | undefined): void {
    this.sweep();
    if (this.active === undefined || (key !== undefined && key !== this.active.key)) return;
    this.end('deleted');
  }

  isLive(key: string): boolean {
    this.sweep();
    return this.active?.key === key;
  }

  /** Ends the active key once the clock has reached its expiry. */
  sweep(): void {
    if (this.active !== undefined && this.now() >= this.active.expiresAt) this.end('expired');
  }

  /** Told when a key ends (the user streams send listenKeyExpired, or close, then). */
  onEnd(listener: (key: string, how: ListenKeyEnd, time: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private end(how: ListenKeyEnd): void {
    const ended = this.active;
    if (ended === undefined) return;
    this.active = undefined;
    const time = this.now();
    for (const l of this.listeners) l(ended.key, how, time);
  }
}

const perHub = new WeakMap<SandboxHub, FuturesListenKeys>();

/**
 * The hub's listenKey, shared by the REST endpoints and the user streams of every server over that hub: the key is the
 * account's, as the hub is. Kept beside the hub rather than in it so the hub stays the matching and futures core.
 */
export function listenKeysOf(hub: SandboxHub): FuturesListenKeys {
  let keys = perHub.get(hub);
  if (keys === undefined) {
    keys = new FuturesListenKeys(hub.now);
    perHub.set(hub, keys);
  }
  return keys;
}
