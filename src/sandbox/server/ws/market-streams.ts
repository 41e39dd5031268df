import type { WebSocket } from 'ws';
import type { Fixed, Instrument, TradeTick } from '../../../domain/index.js';
import { MessageRate } from './heartbeat.js';
import { KlineBuilder, aggTradePayload, bookTickerPayload, tradePayload } from './market-payloads.js';

type StreamKind = 'trade' | 'aggTrade' | 'bookTicker' | 'kline_1m';
const KINDS: readonly StreamKind[] = ['trade', 'aggTrade', 'bookTicker', 'kline_1m'];

export interface MarketStreamLimits {
  readonly maxMessagesPerSecond: number;
  readonly maxStreams: number;
  readonly now: () => number;
}

/** One market-stream connection: its streams, and whether events go out in the combined envelope. */
interface Client {
  readonly socket: WebSocket;
  readonly streams: Set<string>;
  combined: boolean;
  readonly rate: MessageRate;
}

/** Who listens to one symbol, per stream kind, and the state its derived streams need. */
interface SymbolStreams {
  readonly listeners: Record<StreamKind, Map<Client, string>>;
  readonly kline: KlineBuilder;
  readonly tickSize: Fixed;
  bookUpdateId: number;
}

/** A stream name split into its symbol (upper case, as the tape spells it) and kind; undefined when unsupported. */
function parseStream(name: string): { symbol: string; kind: StreamKind } | undefined {
  const at = name.indexOf('@');
  if (at <= 0) return undefined;
  const symbol = name.slice(0, at);
  const kind = name.slice(at + 1) as StreamKind;
  if (!KINDS.includes(kind) || !/^[a-z0-9]+$/.test(symbol)) return undefined;
  return { symbol: symbol.toUpperCase(), kind };
}

type ControlId = number | string | null;

/** `<symbol>@trade`, `@aggTrade`, `@bookTicker` and `@kline_1m` over raw (`/ws`) and combined (`/stream`) connections. */
export class MarketStreams {
  private readonly symbols = new Map<string, SymbolStreams>();
  private readonly tickSizes = new Map<string, Fixed>();

  constructor(
    instruments: readonly Instrument[],
    private readonly limits: MarketStreamLimits,
  ) {
    for (const i of instruments) this.tickSizes.set(i.symbol, i.filters.priceFilter.tickSize);
  }

  /** Takes a new connection with the streams named in its URL; one naming an unsupported or oversized set is closed. */
  accept(socket: WebSocket, streams: readonly string[], combined: boolean): void {
    const client: Client = {
      socket,
      streams: new Set(),
      combined,
      rate: new MessageRate(this.limits.maxMessagesPerSecond, this.limits.now),
    };
    if (streams.length > this.limits.maxStreams || streams.some((s) => parseStream(s) === undefined)) {
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

  /** Sends one tape trade to every stream that carries it; nothing is built for a symbol nobody listens to. */
  onTrade(t: TradeTick, eventTime: number): void {
    const sym = this.symbols.get(t.symbol);
    if (sym === undefined) return;
    const { listeners } = sym;
    if (listeners.trade.size > 0) send(listeners.trade, tradePayload(t, eventTime));
    if (listeners.aggTrade.size > 0) send(listeners.aggTrade, aggTradePayload(t, eventTime));
    if (listeners.bookTicker.size > 0) send(listeners.bookTicker, bookTickerPayload(t, ++sym.bookUpdateId, sym.tickSize));
    // Klines are built only while someone listens, so a first subscriber's opening kline may cover part of its minute.
    if (listeners.kline_1m.size > 0) for (const p of sym.kline.add(t, eventTime)) send(listeners.kline_1m, p);
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
      if (typeof s !== 'string' || parseStream(s) === undefined) {
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
    const parsed = parseStream(name);
    if (parsed === undefined || client.streams.has(name)) return;
    client.streams.add(name);
    this.symbol(parsed.symbol).listeners[parsed.kind].set(client, name);
  }

  private remove(client: Client, name: string): void {
    const parsed = parseStream(name);
    if (parsed === undefined || !client.streams.delete(name)) return;
    this.symbols.get(parsed.symbol)?.listeners[parsed.kind].delete(client);
  }

  private symbol(symbol: string): SymbolStreams {
    let sym = this.symbols.get(symbol);
    if (sym === undefined) {
      sym = {
        listeners: { trade: new Map(), aggTrade: new Map(), bookTicker: new Map(), kline_1m: new Map() },
        kline: new KlineBuilder(symbol),
        // An unknown symbol never trades on the tape; the fallback only keeps the type total.
        tickSize: this.tickSizes.get(symbol) ?? 1n,
        bookUpdateId: 0,
      };
      this.symbols.set(symbol, sym);
    }
    return sym;
  }
}

function send(listeners: Map<Client, string>, payload: string): void {
  for (const [client, stream] of listeners) {
    if (client.socket.readyState !== client.socket.OPEN) continue;
    client.socket.send(client.combined ? `{"stream":"${stream}","data":${payload}}` : payload);
  }
}

function reply(client: Client, body: object): void {
  if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(body));
}
