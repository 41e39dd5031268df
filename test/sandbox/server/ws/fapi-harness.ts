import { type Instrument, type TradeTick, catalogInstrument, fx } from '../../../../src/domain/index.js';
import type { FuturesEvent, PositionView } from '../../../../src/sandbox/futures/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../../../src/sandbox/index.js';
import { API_KEY, API_SECRET, type Inbox, NOW, connect } from './harness.js';

/** A sandbox server on loopback, on a manual clock, with the USD-M streams' timers off and a hand-fed event source. */
export interface FapiSandbox {
  readonly hub: SandboxHub;
  readonly server: SandboxServer;
  readonly clock: { now: number };
  /** ws://127.0.0.1:<port> */
  readonly base: string;
  /** Announces one hand-built account event beside the engine's (which `hub.futures` commands announce). */
  emit(ev: FuturesEvent): void;
  /** A raw client on `path`, opened (closed by `close`). */
  client(path: string): Promise<Inbox>;
  /** POST /fapi/v1/listenKey. */
  listenKey(): Promise<string>;
  trade(price: string, quantity?: string): TradeTick;
  /** Resolves once `n` futures connections have been served since the start. */
  connected(n: number): Promise<void>;
  /** Resolves at the next REST answer to `METHOD /path`. */
  answered(request: string): Promise<number>;
  close(): Promise<void>;
}

let tradeId = 5000;

export async function startFapiSandbox(opts: { pingIntervalMs?: number } = {}): Promise<FapiSandbox> {
  const clock = { now: NOW };
  const hub = new SandboxHub({
    instruments: [catalogInstrument('BTCUSDT') as Instrument],
    balances: { USDT: fx('10000') },
    account: { apiKey: API_KEY, apiSecret: API_SECRET },
    now: () => clock.now,
  });
  const listeners = new Set<(ev: FuturesEvent) => void>();
  let served = 0;
  const servedWaiters: Array<() => void> = [];
  const server = await startSandboxServer({
    hub,
    futuresStreams: {
      pulseMs: 0,
      pingIntervalMs: opts.pingIntervalMs ?? 0,
      onConnect: () => {
        served++;
        for (const w of servedWaiters.splice(0)) w();
      },
      // The engine's events through the hub, plus hand-built ones (shapes the engine rarely produces, e.g. MARGIN_CALL).
      events: (l) => {
        listeners.add(l);
        const off = hub.onFuturesEvent(l);
        return () => {
          listeners.delete(l);
          off();
        };
      },
    },
  });
  const base = `ws://127.0.0.1:${server.port}`;
  const open: Inbox[] = [];
  return {
    hub,
    server,
    clock,
    base,
    emit: (ev) => {
      for (const l of listeners) l(ev);
    },
    client: async (path) => {
      const inbox = await connect(`${base}${path}`);
      open.push(inbox);
      return inbox;
    },
    listenKey: async () => {
      const res = await fetch(`${server.httpBase}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': API_KEY } });
      return ((await res.json()) as { listenKey: string }).listenKey;
    },
    trade: (price, quantity = '0.5') => {
      const t: TradeTick = {
        symbol: 'BTCUSDT',
        price: fx(price),
        quantity: fx(quantity),
        time: clock.now,
        tradeId: ++tradeId,
        isBuyerMaker: false,
      };
      hub.trade(t);
      return t;
    },
    connected: async (n) => {
      while (served < n) await new Promise<void>((resolve) => servedWaiters.push(resolve));
    },
    answered: (request) =>
      new Promise((resolve) => {
        const off = server.onResponse((r) => {
          if (`${r.method} ${r.path}` !== request) return;
          off();
          resolve(r.status);
        });
      }),
    close: async () => {
      for (const c of open.splice(0)) c.close();
      await server.close();
    },
  };
}

/**
 * Resolves once every frame the server sent before this call has reached `inbox`: a ping's pong follows them on the
 * socket. Then `inbox.pending()` says whether anything else arrived.
 */
export async function drained(inbox: Inbox): Promise<void> {
  await new Promise<void>((resolve) => {
    inbox.socket.once('pong', () => resolve());
    inbox.socket.ping();
  });
}

/** A flat BTCUSDT position view, for events built by hand. */
export function position(over: Partial<PositionView> = {}): PositionView {
  return {
    symbol: 'BTCUSDT',
    positionSide: 'BOTH',
    positionAmt: fx('0.002'),
    entryPrice: fx('50000'),
    breakEvenPrice: fx('50020'),
    markPrice: fx('50100'),
    unrealizedProfit: fx('0.2'),
    liquidationPrice: 0n,
    leverage: 20,
    marginType: 'CROSSED',
    isolatedMargin: 0n,
    isolatedWallet: 0n,
    notional: fx('100.2'),
    maxNotionalValue: fx('1000000'),
    initialMargin: fx('5.01'),
    maintMargin: fx('0.4008'),
    positionInitialMargin: fx('5.01'),
    openOrderInitialMargin: 0n,
    bidNotional: 0n,
    askNotional: 0n,
    accumulatedRealized: fx('1.5'),
    updateTime: NOW,
    ...over,
  };
}

/** A NEW limit buy of 0.002 BTCUSDT at 50000 as the engine would report it. */
export function newOrderEvent(over: { time?: number; orderId?: number } = {}): FuturesEvent {
  const time = over.time ?? NOW;
  return {
    type: 'order',
    time,
    execution: 'NEW',
    order: {
      orderId: over.orderId ?? 8389765512,
      clientOrderId: 'tg_1_1_B0',
      symbol: 'BTCUSDT',
      side: 'BUY',
      positionSide: 'BOTH',
      type: 'LIMIT',
      origType: 'LIMIT',
      timeInForce: 'GTC',
      price: fx('50000'),
      avgPrice: 0n,
      origQty: fx('0.002'),
      executedQty: 0n,
      cumQuote: 0n,
      status: 'NEW',
      reduceOnly: false,
      time,
      updateTime: time,
    },
    expireReason: 0,
    bidNotional: fx('100'),
    askNotional: 0n,
  };
}
