import {
  type Instrument,
  type Message,
  type MessageOf,
  type MessageType,
  type TradeTick,
  catalogInstrument,
  fx,
} from '../../../src/domain/index.js';
import { MessageBus } from '../../../src/engine/index.js';
import { BinanceTradeFeed, type BinanceTradeFeedOptions, type ConnectionEvent } from '../../../src/market/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../../src/sandbox/index.js';
import { FakeTimers } from '../fake-timers.js';

/** A sandbox exchange on a loopback port; `restart` brings a new server up on the same port and hub. */
export class Sandbox {
  readonly hub = new SandboxHub({
    instruments: [catalogInstrument('BTCUSDT') as Instrument],
    account: { apiKey: 'k', apiSecret: 's' },
    now: () => 1_700_000_000_000,
  });
  private constructor(private server: SandboxServer) {}

  static async start(): Promise<Sandbox> {
    const box = new Sandbox(undefined as unknown as SandboxServer);
    box.server = await startSandboxServer({ hub: box.hub, port: 0 });
    return box;
  }

  get wsBase(): string {
    return this.server.wsBase;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  async restart(): Promise<void> {
    this.server = await startSandboxServer({ hub: this.hub, port: this.server.port });
  }
}

let nextTradeId = 5000;

export function trade(symbol: string, price: string, quantity = '0.5', isBuyerMaker = false): TradeTick {
  return { symbol, price: fx(price), quantity: fx(quantity), time: 1_700_000_000_000 + nextTradeId, tradeId: ++nextTradeId, isBuyerMaker };
}

/** Records every bus message and connection event, and lets a test await the next one that matches. */
class Recorder {
  readonly bus = new MessageBus();
  readonly messages: Message[] = [];
  readonly connections: ConnectionEvent[] = [];
  private readonly waiters: Array<{ test: () => boolean; resolve: () => void }> = [];

  constructor() {
    for (const type of ['TradeTicked', 'MarketDataStale', 'MarketDataResumed'] as const) {
      this.bus.on(type, (m) => {
        this.messages.push(m);
        this.wake();
      });
    }
  }

  readonly onConnection = (e: ConnectionEvent): void => {
    this.connections.push(e);
    this.wake();
  };

  of<T extends MessageType>(type: T): MessageOf<T>[] {
    return this.messages.filter((m): m is MessageOf<T> => m.type === type);
  }

  ticks(): TradeTick[] {
    return this.of('TradeTicked').map((m) => m.tick);
  }

  /** Resolves once `test` holds (checked now and after every recorded event). */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  opened(n: number): Promise<void> {
    return this.until(() => this.connections.filter((c) => c.state === 'open').length >= n);
  }

  closed(n: number): Promise<void> {
    return this.until(() => this.connections.filter((c) => c.state === 'closed').length >= n);
  }

  count(type: MessageType, n: number): Promise<void> {
    return this.until(() => this.messages.filter((m) => m.type === type).length >= n);
  }

  private wake(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i] as { test: () => boolean; resolve: () => void };
      if (w.test()) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }
}

export interface FeedRig {
  readonly feed: BinanceTradeFeed;
  readonly rec: Recorder;
  readonly timers: FakeTimers;
  readonly warnings: Array<{ obj: object; msg: string }>;
}

/** A feed on fake timers (its clock reads the same fake time), recording into a fresh bus. */
export function rig(wsBase: string, symbols: readonly string[], options: Partial<BinanceTradeFeedOptions> = {}): FeedRig {
  const rec = new Recorder();
  const timers = new FakeTimers();
  const warnings: Array<{ obj: object; msg: string }> = [];
  const feed = new BinanceTradeFeed({
    wsBase,
    symbols,
    bus: rec.bus,
    clock: { now: () => timers.now() },
    timers,
    staleAfterMs: 1_000,
    // Fake time has no server pings in it: a test that wants the dead-socket rule turns it on.
    deadAfterMs: 0,
    backoff: { minMs: 100, maxMs: 100 },
    random: () => 0.5,
    log: { info: () => {}, warn: (obj, msg) => warnings.push({ obj, msg }) },
    onConnection: rec.onConnection,
    ...options,
  });
  return { feed, rec, timers, warnings };
}
