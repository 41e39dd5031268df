import type { WebSocket } from 'ws';
import { MessageRate } from './heartbeat.js';

export interface MarketStreamLimits {
  readonly maxMessagesPerSecond: number;
  readonly maxStreams: number;
  readonly now: () => number;
}

/** Which stream names a connection may carry (spot's kinds; USD-M's per route). */
export type StreamFilter = (name: string) => boolean;

/** One market-stream connection: its streams, which it may carry, and whether events go out in the combined envelope. */
interface Client {
  readonly socket: WebSocket;
  readonly streams: Set<string>;
  readonly allows: StreamFilter;
  combined: boolean;
  readonly rate: MessageRate;
}

type ControlId = number | string | null;

/**
 * Market-stream connections and their subscriptions, by stream name: raw (`/ws`) and combined (`/stream`) connections,
 * the control messages (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY) and the per-connection
 * message rate and stream count. What a stream carries is its feed's business (spot-market-feed.ts, fapi-market-feed.ts):
 * a feed asks `listening` before building a payload and `publish`es it.
 */
export class MarketStreams {
  private readonly listeners = new Map<string, Set<Client>>();
  /** Counts subscription changes, so a feed can tell its view of who listens is still current without asking again. */
  private changes = 0;

  constructor(
    private readonly limits: MarketStreamLimits,
    private readonly allows: StreamFilter,
  ) {}

  /**
   * Takes a new connection with the streams named in its URL; one naming an unsupported or oversized set is closed.
   * `allows` narrows what this connection may carry (default: every stream the feed serves).
   */
  accept(socket: WebSocket, streams: readonly string[], combined: boolean, allows: StreamFilter = this.allows): void {
    const client: Client = {
      socket,
      streams: new Set(),
      allows,
      combined,
      rate: new MessageRate(this.limits.maxMessagesPerSecond, this.limits.now),
    };
    if (streams.length > this.limits.maxStreams || streams.some((s) => !allows(s))) {
      socket.close(1008, 'Invalid stream set');
      return;
    }
    for (const s of streams) this.add(client, s);
    const overLimit = (): void => {
      if (!client.rate.allow()) socket.close(1008, 'Too many messages');
    };
    socket.on('ping', overLimit);
    socket.on('pong', overLimit);
    socket.on('message', (data, isBinary) => {
      if (socket.readyState !== socket.OPEN) return;
      if (!client.rate.allow()) {
        socket.close(1008, 'Too many messages');
        return;
      }
      this.control(client, isBinary ? '' : String(data));
    });
    socket.once('close', () => {
      for (const s of client.streams) this.remove(client, s);
    });
  }

  /** Changes every time a stream gains or loses a listener. */
  get version(): number {
    return this.changes;
  }

  /** True while some connection carries `stream`: a feed builds nothing for a stream nobody hears. */
  listening(stream: string): boolean {
    return (this.listeners.get(stream)?.size ?? 0) > 0;
  }

  /** Sends one payload (JSON text) to every connection on `stream`, wrapped in `{stream, data}` on combined ones. */
  publish(stream: string, payload: string): void {
    for (const client of this.listeners.get(stream) ?? []) {
      if (client.socket.readyState !== client.socket.OPEN) continue;
      client.socket.send(client.combined ? `{"stream":"${stream}","data":${payload}}` : payload);
    }
  }

  private control(client: Client, text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      reply(client, { error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }, id: null });
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      reply(client, { error: { code: 2, msg: 'Invalid request: expected an object' }, id: null });
      return;
    }
    const { method, params, id } = msg as { method?: unknown; params?: unknown; id?: unknown };
    if (!(id === null || typeof id === 'number' || (typeof id === 'string' && /^[A-Za-z0-9]{1,36}$/.test(id)))) {
      reply(client, { error: { code: 2, msg: 'Invalid request: request ID must be an unsigned integer' }, id: null });
      return;
    }
    const list = Array.isArray(params) ? (params as unknown[]) : [];
    switch (method) {
      case 'SUBSCRIBE':
        this.subscribe(client, list, id);
        return;
      case 'UNSUBSCRIBE':
        for (const s of list) if (typeof s === 'string') this.remove(client, s);
        reply(client, { result: null, id });
        return;
      case 'LIST_SUBSCRIPTIONS':
        reply(client, { result: [...client.streams], id });
        return;
      case 'SET_PROPERTY':
        if (list[0] !== 'combined') return reply(client, { error: { code: 0, msg: 'Unknown property' }, id });
        if (typeof list[1] !== 'boolean') return reply(client, { error: { code: 1, msg: 'Invalid value type: expected Boolean' }, id });
        client.combined = list[1];
        reply(client, { result: null, id });
        return;
      case 'GET_PROPERTY':
        if (list[0] !== 'combined') return reply(client, { error: { code: 0, msg: 'Unknown property' }, id });
        reply(client, { result: client.combined, id });
        return;
      default:
        reply(client, {
          error: {
            code: 2,
            msg:
              `Invalid request: unknown variant ${String(method)}, ` +
              'expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY',
          },
          id,
        });
    }
  }

  private subscribe(client: Client, list: readonly unknown[], id: ControlId): void {
    const names: string[] = [];
    for (const s of list) {
      if (typeof s !== 'string' || !client.allows(s)) {
        reply(client, { error: { code: 2, msg: `Invalid request: unsupported stream ${String(s)}` }, id });
        return;
      }
      if (!client.streams.has(s)) names.push(s);
    }
    if (client.streams.size + new Set(names).size > this.limits.maxStreams) {
      reply(client, { error: { code: 2, msg: `Invalid request: at most ${this.limits.maxStreams} streams per connection` }, id });
      return;
    }
    for (const s of names) this.add(client, s);
    reply(client, { result: null, id });
  }

  private add(client: Client, name: string): void {
    if (client.streams.has(name)) return;
    client.streams.add(name);
    this.changes++;
    let set = this.listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(client);
  }

  private remove(client: Client, name: string): void {
    if (!client.streams.delete(name)) return;
    this.changes++;
    const set = this.listeners.get(name);
    set?.delete(client);
    if (set?.size === 0) this.listeners.delete(name);
  }
}

function reply(client: Client, body: object): void {
  if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(body));
}
