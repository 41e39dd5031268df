import type { Instrument } from '../domain/index.js';
import { Bus, type Clock, ManualClock } from '../engine/index.js';
import { FeedPump, type TickSource } from '../market/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../sandbox/index.js';
import type { Config } from './config.js';

export interface ExchangeEndpoints {
  readonly httpBase: string;
  readonly wsBase: string;
  readonly wsApi: string;
}

/** The sandbox this process runs for itself, with the tape that feeds it. */
export interface EmbeddedSandbox {
  readonly hub: SandboxHub;
  readonly server: SandboxServer;
  /** Drives the sandbox's tape: realtime in the app, pumped by tests. */
  readonly tape: FeedPump;
}

/** Where paper mode trades: Binance's protocols on loopback, in this process or in a sandbox already running. */
export interface PaperExchange {
  readonly endpoints: ExchangeEndpoints;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly embedded?: EmbeddedSandbox;
  close(): Promise<void>;
}

/**
 * Paper mode is the real Binance adapter pointed at a sandbox: the one this process starts on a free loopback port,
 * unless BINANCE_HTTP_BASE, BINANCE_WS_BASE and BINANCE_WS_API name one already running (shared by several bots).
 */
export async function openPaperExchange(
  config: Config,
  market: { readonly source: TickSource; readonly instruments: readonly Instrument[] },
  clock: Clock,
): Promise<PaperExchange> {
  const { BINANCE_HTTP_BASE: httpBase, BINANCE_WS_BASE: wsBase, BINANCE_WS_API: wsApi } = config;
  if (httpBase && wsBase && wsApi) {
    return {
      endpoints: { httpBase, wsBase, wsApi },
      apiKey: config.BINANCE_API_KEY ?? config.SANDBOX_API_KEY,
      apiSecret: config.BINANCE_API_SECRET ?? config.SANDBOX_API_SECRET,
      close: async () => undefined,
    };
  }
  const hub = new SandboxHub({
    instruments: market.instruments,
    balances: config.PAPER_BALANCES,
    fees: { maker: config.MAKER_FEE, taker: config.TAKER_FEE },
    account: { apiKey: config.SANDBOX_API_KEY, apiSecret: config.SANDBOX_API_SECRET },
    now: () => clock.now(),
  });
  const server = await startSandboxServer({ hub });
  const tapeBus = new Bus();
  tapeBus.on('TradeTicked', (m) => hub.trade(m.tick));
  // A manual clock (tests) follows the tape; the app's wall clock runs on its own.
  const tape = new FeedPump(market.source, tapeBus, clock instanceof ManualClock ? { clock } : {});
  return {
    endpoints: { httpBase: server.httpBase, wsBase: server.wsBase, wsApi: server.wsApi },
    apiKey: config.SANDBOX_API_KEY,
    apiSecret: config.SANDBOX_API_SECRET,
    embedded: { hub, server, tape },
    async close() {
      tape.stop();
      await server.close();
    },
  };
}
