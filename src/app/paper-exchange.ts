import { type Instrument, type Result, ok } from '../domain/index.js';
import { MessageBus, type Clock, ManualClock } from '../engine/index.js';
import { BinanceTradeFeed, FeedPump, type TickSource } from '../market/index.js';
import { type SandboxHub, type SandboxServer, openPersistentHub, startSandboxServer } from '../sandbox/index.js';
import type { Config } from './config.js';
import { staleLimits } from './stale-limits.js';

interface ExchangeEndpoints {
  readonly httpBase: string;
  readonly wsBase: string;
  readonly wsApi: string;
}

/** The sandbox this process runs for itself, with what feeds its market. */
interface EmbeddedSandbox {
  readonly hub: SandboxHub;
  readonly server: SandboxServer;
  /** Drives a recorded or synthetic tape: realtime in the app, pumped by tests. */
  readonly tape?: FeedPump;
  /** Or Binance's live public trades (MARKET_DATA=binance), relayed into the sandbox as they happen. */
  readonly live?: BinanceTradeFeed;
}

/** Where the bot trades: URLs and key, plus the sandbox this process runs for itself in paper mode. */
export interface ExchangeConnection {
  readonly endpoints: ExchangeEndpoints;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly embedded?: EmbeddedSandbox;
  /** Something the owner should read once in the chat (e.g. Redis is unreachable, so the paper account is not kept). */
  readonly warning?: string;
  close(): Promise<void>;
}

/** What the embedded sandbox trades against: a tape it replays, or Binance's public trade streams. */
export type PaperMarket =
  | {
      readonly kind: 'tape';
      readonly source: TickSource;
      readonly instruments: readonly Instrument[];
      /** The longest market time between two trades of one symbol, so quiet limits can fit the tape (stale-limits.ts). */
      readonly largestGapMs: number;
    }
  | { readonly kind: 'live'; readonly wsBase: string; readonly instruments: readonly Instrument[] };

/**
 * The sandbox BINANCE_HTTP_BASE, BINANCE_WS_BASE and BINANCE_WS_API name together (paper mode's shared sandbox), or
 * undefined when this process is to start its own. Its market and symbols are its own: the bot reads them from it.
 */
export function namedSandbox(config: Config): ExchangeConnection | undefined {
  const { BINANCE_HTTP_BASE: httpBase, BINANCE_WS_BASE: wsBase, BINANCE_WS_API: wsApi } = config;
  if (!(httpBase && wsBase && wsApi)) return undefined;
  return { endpoints: { httpBase, wsBase, wsApi }, ...sandboxKey(config), close: async () => undefined };
}

/** The key a paper process signs with at a shared sandbox: BINANCE_API_KEY/SECRET when set, else the sandbox's own. */
export function sandboxKey(config: Config): { readonly apiKey: string; readonly apiSecret: string } {
  return { apiKey: config.BINANCE_API_KEY ?? config.SANDBOX_API_KEY, apiSecret: config.BINANCE_API_SECRET ?? config.SANDBOX_API_SECRET };
}

/**
 * Paper mode is the real Binance adapter pointed at a sandbox: the one this process starts on a free loopback port,
 * unless BINANCE_HTTP_BASE, BINANCE_WS_BASE and BINANCE_WS_API name one already running (shared by several bots). The
 * embedded sandbox's account is continued from Redis (REDIS_URL, KEY_PREFIX) unless PAPER_RESET; a stored account that
 * cannot be read is refused (ACCOUNT_CORRUPT / ACCOUNT_VERSION), never replaced.
 */
export async function openPaperExchange(config: Config, market: PaperMarket, clock: Clock): Promise<Result<ExchangeConnection>> {
  const named = namedSandbox(config);
  if (named !== undefined) return ok(named);
  let warned = false;
  const opened = await openPersistentHub({
    hub: {
      instruments: market.instruments,
      balances: config.PAPER_BALANCES,
      futuresAccount: { walletBalance: config.PAPER_FUTURES_WALLET },
      fees: { maker: config.MAKER_FEE, taker: config.TAKER_FEE },
      account: { apiKey: config.SANDBOX_API_KEY, apiSecret: config.SANDBOX_API_SECRET },
      now: () => clock.now(),
    },
    store: { url: config.REDIS_URL, keyPrefix: config.KEY_PREFIX },
    reset: config.PAPER_RESET,
    // Later save failures go to stderr once per outage; the chat was already told at start if Redis was down then.
    onError: (message) => {
      if (!warned) process.stderr.write(`telegrid: ${message}; the paper account keeps running in memory\n`);
      warned = true;
    },
  });
  if (!opened.ok) return opened;
  const { hub, persistence, warning } = opened.value;
  const server = await startSandboxServer({ hub });
  const marketBus = new MessageBus();
  marketBus.on('TradeTicked', (m) => hub.trade(m.tick));
  const symbols = market.instruments.map((i) => i.symbol);
  // A manual clock (tests) follows the tape; the app's wall clock runs on its own.
  const tape = market.kind === 'tape' ? new FeedPump(market.source, marketBus, clock instanceof ManualClock ? { clock } : {}) : undefined;
  // The relay's quiet announcements go nowhere (only its trades are heard); its dead-socket rule reopens a silent socket.
  const { quietMs, deadMs } = staleLimits(config);
  const live =
    market.kind === 'live'
      ? new BinanceTradeFeed({ wsBase: market.wsBase, symbols, bus: marketBus, clock, staleAfterMs: quietMs, deadAfterMs: deadMs })
      : undefined;
  await live?.start();
  let closed: Promise<void> | undefined;
  return ok({
    endpoints: { httpBase: server.httpBase, wsBase: server.wsBase, wsApi: server.wsApi },
    apiKey: config.SANDBOX_API_KEY,
    apiSecret: config.SANDBOX_API_SECRET,
    embedded: { hub, server, ...(tape ? { tape } : {}), ...(live ? { live } : {}) },
    ...(warning === undefined ? {} : { warning }),
    close: () =>
      (closed ??= (async () => {
        tape?.stop();
        await live?.stop();
        await server.close();
        await persistence?.close();
      })()),
  });
}
