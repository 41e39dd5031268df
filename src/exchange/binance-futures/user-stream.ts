import { type Result, err, ok } from '../../domain/index.js';
import type { FuturesStreamState } from '../futures-gateway.js';
import type { GatewayFailure } from '../gateway.js';
import { classifyFuturesFailure } from './futures-failure-classification.js';
import { type FuturesUserEvent, mapFuturesUserEvent } from './user-event-mapping.js';

/** binance-api-node's `ws.futuresUser` with transforms off: resolves with its close function once the key is had. */
type OpenUserStream = (onFrame: (frame: unknown) => void) => Promise<(options?: object) => unknown>;

export interface UserStreamHooks {
  readonly open: OpenUserStream;
  readonly onEvent: (event: FuturesUserEvent) => void;
  readonly onState: (state: FuturesStreamState) => void;
  /** An unreadable frame or an error the library reported: reconcile over REST. */
  readonly onProblem: (failure: GatewayFailure) => void;
  /** Local time. */
  readonly now: () => number;
  /**
   * After a -1125, how long (wall time, ms) the library gets to open its own new socket before this stream replaces
   * the subscription itself. 0 replaces at once.
   */
  readonly renewGraceMs: number;
}

const INVALID_LISTEN_KEY = -1125;

function codeOf(error: unknown): number | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : typeof code === 'string' && /^-\d+$/.test(code) ? Number(code) : undefined;
}

/**
 * The listenKey's life on top of the library's. The library PUTs the key every 50 s and, when a PUT fails, makes a
 * new key and socket itself; it does nothing on `listenKeyExpired`, after which Binance sends nothing more on that key.
 * This stream recreates the whole subscription (old one closed, so its own retries stop; new POST, new socket) on
 * `listenKeyExpired`, and ignores every frame of a subscription it replaced.
 * On a -1125 the library reports, the library is already making a new key: at once after a periodic PUT (its new
 * socket's open then says `ready`), 30 s later after the first PUT. Replacing the subscription while the library's own
 * POST is in flight would make that attempt DELETE the key it got, which Binance (one key per account) may also hand
 * to our POST. So the library gets `renewGraceMs` to open its socket; only then is the subscription replaced (by then
 * only its 30 s timer is pending, which closing cancels).
 */
export class FuturesUserStream {
  private generation = 0;
  private close: ((options?: object) => unknown) | undefined;
  private stopped = false;
  private renewing = false;
  private state: FuturesStreamState['state'] | 'connecting' = 'connecting';
  private waiters: Array<(r: Result<void, GatewayFailure>) => void> = [];
  private lastFailure: GatewayFailure | undefined;
  private grace: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly hooks: UserStreamHooks) {
    void this.subscribe('subscribed');
  }

  /** Resolves when a socket on a live key is open, or with the failure that prevented it. */
  ready(): Promise<Result<void, GatewayFailure>> {
    if (this.state === 'ready') return Promise.resolve(ok(undefined));
    if (this.state === 'failed' && this.lastFailure !== undefined) return Promise.resolve(err(this.lastFailure));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** True once a key could not be had: nothing is retried; a new subscription starts over. */
  get failed(): boolean {
    return this.state === 'failed';
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    this.endGrace();
    this.closeCurrent();
  }

  private async subscribe(reason: string): Promise<void> {
    const generation = ++this.generation;
    let close: (options?: object) => unknown;
    try {
      close = await this.hooks.open((frame) => this.onFrame(generation, frame));
    } catch (error) {
      if (generation !== this.generation) return;
      const failure = classifyFuturesFailure(error, 'read', this.hooks.now());
      this.lastFailure = failure;
      this.setState('failed', `${reason}: no listenKey (${failure.code} ${failure.message})`, err(failure));
      this.hooks.onProblem(failure);
      return;
    }
    if (generation !== this.generation) {
      // Stopped or replaced while the key was being had: this subscription is nobody's.
      void Promise.resolve(close()).catch(() => undefined);
      return;
    }
    this.close = close;
  }

  private onFrame(generation: number, frame: unknown): void {
    if (this.stopped || generation !== this.generation) return;
    const f = typeof frame === 'object' && frame !== null ? (frame as { type?: unknown; error?: unknown }) : {};
    if (f.type === 'open') {
      this.endGrace();
      this.setState('ready', 'socket open on a live listenKey', ok(undefined));
      return;
    }
    if (f.type === 'error') {
      if (codeOf(f.error) === INVALID_LISTEN_KEY) {
        this.refused(generation);
        return;
      }
      this.hooks.onProblem(classifyFuturesFailure(f.error, 'read', this.hooks.now()));
      return;
    }
    const mapped = mapFuturesUserEvent(frame);
    if (!mapped.ok) {
      this.hooks.onProblem({ kind: 'unknown', code: mapped.error.code, message: mapped.error.message });
      return;
    }
    if (mapped.value.type === 'expired') {
      this.renew('listenKeyExpired');
      return;
    }
    this.hooks.onEvent(mapped.value);
  }

  private refused(generation: number): void {
    if (this.renewing || this.grace !== undefined) return;
    const reason = 'the listenKey was refused (-1125)';
    if (this.hooks.renewGraceMs <= 0) {
      this.renew(reason);
      return;
    }
    this.setState('renewing', `${reason}; the library is asking for a new key`);
    this.grace = setTimeout(() => {
      this.grace = undefined;
      if (!this.stopped && generation === this.generation) this.renew(`${reason}; the library opened no new socket`);
    }, this.hooks.renewGraceMs);
    // A stream's grace must not keep a stopping process alive.
    this.grace.unref?.();
  }

  private endGrace(): void {
    if (this.grace !== undefined) clearTimeout(this.grace);
    this.grace = undefined;
  }

  private renew(reason: string): void {
    if (this.renewing) return;
    this.endGrace();
    this.renewing = true;
    // After a -1125's grace the listeners were told already.
    if (this.state !== 'renewing') this.setState('renewing', reason);
    this.closeCurrent();
    void this.subscribe(reason).finally(() => {
      this.renewing = false;
    });
  }

  private closeCurrent(): void {
    const close = this.close;
    this.close = undefined;
    // The library's close DELETEs the key; an expired key answers -1125, which is expected here.
    if (close !== undefined) void Promise.resolve(close()).catch(() => undefined);
  }

  private setState(state: FuturesStreamState['state'], reason: string, outcome?: Result<void, GatewayFailure>): void {
    this.state = state;
    this.hooks.onState({ state, reason, time: this.hooks.now() });
    if (outcome === undefined) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(outcome);
  }
}
