import { type IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { type Result, ok } from '../../../domain/index.js';
import type { RestFaultHook, SocketFaultHook, SocketKind } from './hooks.js';
import {
  type FaultKind,
  type FaultSpec,
  type Matcher,
  type RequestFaultSpec,
  type SocketFaultSpec,
  type SocketTarget,
  isRequestFault,
  parseFaultSpec,
  parseMatch,
} from './fault-spec.js';

/** A request fault still waiting for requests. */
interface ArmedFault {
  readonly id: number;
  readonly kind: FaultKind;
  readonly match: string;
  /** Firings left, or "all" until cleared. */
  readonly remaining: number | 'all';
  readonly spec: FaultSpec;
}

/** One firing: a request fault taking a request (`request` is "METHOD /path"), or a socket fault acting. */
export interface FiredFault {
  readonly id: number;
  readonly kind: FaultKind;
  readonly request?: string;
  /** Connections a socket fault reached. */
  readonly sockets?: number;
  /** The plan's clock (the hub's, in a server). */
  readonly at: number;
}

export interface FaultStatus {
  readonly armed: readonly ArmedFault[];
  /** Oldest first; the most recent 1,000. */
  readonly fired: readonly FiredFault[];
  readonly sockets: {
    readonly market: number;
    readonly user: number;
    readonly frozen: number;
    readonly userStreamPaused: boolean;
    readonly heldUserEvents: number;
  };
}

export interface FaultPlanOptions {
  /** Timestamps in `fired`; the server passes the hub's clock. Durations (`ms`) always run on real timers. */
  readonly now?: () => number;
}

interface Armed {
  readonly id: number;
  readonly spec: RequestFaultSpec;
  readonly matcher: Matcher;
  readonly every: number;
  remaining: number | 'all';
  seen: number;
}

const FIRED_KEPT = 1000;

const BODY_500 = { code: -1000, msg: 'An unknown error occurred while processing the request.' };
const BODY_503 = { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' };
const BODY_1007 = { code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' };
/** A 502 comes from Binance's proxy, not the API: an HTML page, which clients surface without a Binance code. */
const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';

/**
 * The sandbox's fault injection: request faults armed for the next N matching REST requests, and WebSocket faults
 * that act on the connections open when armed. One plan serves one server; `clear()` disarms everything, drops hung
 * requests, unfreezes sockets and releases held user data events in order.
 */
export class FaultPlan implements RestFaultHook, SocketFaultHook {
  private readonly now: () => number;
  private readonly armed: Armed[] = [];
  private readonly fired: FiredFault[] = [];
  private readonly sockets: Record<SocketKind, Set<WebSocket>> = { market: new Set(), user: new Set() };
  private readonly frozen = new Map<WebSocket, { timer: NodeJS.Timeout; restore: () => void }>();
  private readonly hung = new Set<ServerResponse>();
  private readonly delayed = new Map<NodeJS.Timeout, ServerResponse>();
  private held: Array<() => void> = [];
  private pauseTimer: NodeJS.Timeout | undefined;
  private nextId = 1;

  constructor(options: FaultPlanOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Arms a request fault, or performs a socket fault now; a malformed spec is refused with `fault.bad-spec`. */
  arm(spec: FaultSpec): Result<{ readonly id: number }> {
    const checked = parseFaultSpec(spec);
    if (!checked.ok) return checked;
    const s = checked.value;
    const id = this.nextId++;
    if (isRequestFault(s)) {
      const match = s.match ?? (s.kind === 'unknownAfterPlace' ? 'POST /api/v3/order' : '*');
      const matcher = parseMatch(match);
      if (!matcher.ok) return matcher;
      this.armed.push({ id, spec: { ...s, match }, matcher: matcher.value, every: s.every ?? 1, remaining: s.count ?? 1, seen: 0 });
    } else {
      this.record({ id, kind: s.kind, sockets: this.socketFault(s), at: this.now() });
    }
    return ok({ id });
  }

  /** Several specs, all or none: the first malformed one refuses the lot. */
  armAll(specs: readonly FaultSpec[]): Result<{ readonly ids: readonly number[] }> {
    for (const s of specs) {
      const checked = parseFaultSpec(s);
      if (!checked.ok) return checked;
    }
    const ids: number[] = [];
    for (const s of specs) {
      const r = this.arm(s);
      if (r.ok) ids.push(r.value.id);
    }
    return ok({ ids });
  }

  status(): FaultStatus {
    return {
      armed: this.armed.map((a) => ({ id: a.id, kind: a.spec.kind, match: a.spec.match ?? '*', remaining: a.remaining, spec: a.spec })),
      fired: [...this.fired],
      sockets: {
        market: this.sockets.market.size,
        user: this.sockets.user.size,
        frozen: this.frozen.size,
        userStreamPaused: this.pauseTimer !== undefined,
        heldUserEvents: this.held.length,
      },
    };
  }

  /** Disarms every fault; hung requests are dropped, frozen sockets thawed, held user events delivered. */
  clear(): void {
    this.armed.length = 0;
    for (const res of this.hung) res.destroy();
    this.hung.clear();
    for (const socket of [...this.frozen.keys()]) this.thaw(socket);
    this.endPause();
  }

  /** Clears, forgets the fired log, and stops every timer (delayed requests are dropped): the server is closing. */
  close(): void {
    this.clear();
    for (const [timer, res] of this.delayed) {
      clearTimeout(timer);
      res.destroy();
    }
    this.delayed.clear();
    this.fired.length = 0;
  }

  intercept(req: IncomingMessage, res: ServerResponse, proceed: (into: ServerResponse) => void): boolean {
    // Nothing armed is the normal case: no parsing, no allocation.
    if (this.armed.length === 0) return false;
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const fault = this.take(method, path);
    if (fault === undefined) return false;
    this.record({ id: fault.id, kind: fault.spec.kind, request: `${method} ${path}`, at: this.now() });
    const spec = fault.spec;
    switch (spec.kind) {
      case 'http5xx':
        if (spec.execute === true) proceed(new ServerResponse(req));
        serverError(res, spec.status ?? 503);
        return true;
      case 'unknownAfterPlace':
        proceed(new ServerResponse(req));
        json(res, spec.status ?? 503, BODY_1007, {});
        return true;
      case 'delay': {
        const timer = setTimeout(() => {
          this.delayed.delete(timer);
          proceed(res);
        }, spec.ms);
        this.delayed.set(timer, res);
        return true;
      }
      case 'hang':
        if (spec.execute === true) proceed(new ServerResponse(req));
        this.hung.add(res);
        // A client that gives up frees its request.
        res.once('close', () => this.hung.delete(res));
        return true;
      case 'rateLimit': {
        const retryAfter = spec.retryAfter ?? 1;
        const body =
          spec.code === -1015
            ? { code: -1015, msg: 'Too many new orders; current limit is 50 orders per 10 SECOND.' }
            : {
                code: -1003,
                msg:
                  'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. ' +
                  'Please use WebSocket Streams for live updates to avoid polling the API.',
              };
        json(res, 429, body, { 'Retry-After': String(retryAfter) });
        return true;
      }
    }
  }

  trackSocket(socket: WebSocket, kind: SocketKind): void {
    const set = this.sockets[kind];
    set.add(socket);
    socket.once('close', () => {
      set.delete(socket);
      this.thaw(socket);
    });
  }

  userStreamPaused(): boolean {
    return this.pauseTimer !== undefined;
  }

  holdUserEvent(deliver: () => void): void {
    this.held.push(deliver);
  }

  /** The first armed fault this request matches and is due for (FIFO), counted down. */
  private take(method: string, path: string): Armed | undefined {
    for (let i = 0; i < this.armed.length; i++) {
      const a = this.armed[i] as Armed;
      if ((a.matcher.method !== undefined && a.matcher.method !== method) || (a.matcher.path !== undefined && a.matcher.path !== path))
        continue;
      a.seen += 1;
      if (a.seen % a.every !== 0) continue;
      if (a.remaining !== 'all') {
        a.remaining -= 1;
        if (a.remaining === 0) this.armed.splice(i, 1);
      }
      return a;
    }
    return undefined;
  }

  private socketFault(s: SocketFaultSpec): number {
    switch (s.kind) {
      case 'dropSockets': {
        const targets = this.targets(s.target);
        // terminate, not close: a network drop sends no close frame.
        for (const socket of targets) socket.terminate();
        return targets.length;
      }
      case 'freezeSockets': {
        const targets = this.targets(s.target);
        for (const socket of targets) this.freeze(socket, s.ms);
        return targets.length;
      }
      case 'pauseUserStream':
        if (this.pauseTimer !== undefined) clearTimeout(this.pauseTimer);
        this.pauseTimer = setTimeout(() => this.endPause(), s.ms);
        return this.sockets.user.size;
    }
  }

  private targets(target: SocketTarget | undefined): WebSocket[] {
    const t = target ?? 'all';
    return [...(t === 'user' ? [] : this.sockets.market), ...(t === 'market' ? [] : this.sockets.user)];
  }

  /**
   * Shadows the socket's `send`, `ping` and `pong` with ones that discard, so every sender (streams, replies, events,
   * the heartbeat) falls silent, as a half-open connection is: no frame at all reaches the client.
   */
  private freeze(socket: WebSocket, ms: number): void {
    const current = this.frozen.get(socket);
    if (current !== undefined) clearTimeout(current.timer);
    const restore =
      current?.restore ??
      (() => {
        const methods = ['send', 'ping', 'pong'] as const;
        const own = methods.map((m) => Object.getOwnPropertyDescriptor(socket, m));
        for (const m of methods) socket[m] = (() => undefined) as never;
        return () =>
          methods.forEach((m, i) => {
            const d = own[i];
            if (d === undefined) Reflect.deleteProperty(socket, m);
            else Object.defineProperty(socket, m, d);
          });
      })();
    this.frozen.set(socket, { timer: setTimeout(() => this.thaw(socket), ms), restore });
  }

  private thaw(socket: WebSocket): void {
    const f = this.frozen.get(socket);
    if (f === undefined) return;
    clearTimeout(f.timer);
    f.restore();
    this.frozen.delete(socket);
  }

  private endPause(): void {
    if (this.pauseTimer !== undefined) clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
    const held = this.held;
    this.held = [];
    for (const deliver of held) deliver();
  }

  private record(f: FiredFault): void {
    this.fired.push(f);
    if (this.fired.length > FIRED_KEPT) this.fired.shift();
  }
}

function serverError(res: ServerResponse, status: number): void {
  if (status === 502) {
    res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(HTML_502) });
    res.end(HTML_502);
    return;
  }
  json(res, status, status === 503 ? BODY_503 : BODY_500, {});
}

function json(res: ServerResponse, status: number, body: object, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
