import { type Instrument, type Result, catalogInstrument, failure, ok } from '../domain/index.js';
import type { Clock } from '../engine/index.js';
import { BINANCE_LIVE, BINANCE_TESTNET, BinanceGateway, type SkippedSymbol } from '../exchange/binance/index.js';
import type { FuturesGateway } from '../exchange/index.js';
import { MarketRouter } from '../exchange/routing/index.js';
import { catalogSymbols, loadTape, syntheticTape } from '../sandbox/index.js';
import { checkApiKey } from './api-key-check.js';
import type { Config } from './config.js';
import { type FuturesSide, futuresEndpointsOf, openFuturesSide } from './futures-venue.js';
import type { Logger } from './logger.js';
import { type ExchangeConnection, type PaperMarket, namedSandbox, openPaperExchange } from './paper-exchange.js';
import { SYNTHETIC_LARGEST_GAP_MS, type StaleLimits, largestGapMs, staleLimits } from './stale-limits.js';

/** Where the bot trades, reached and checked: the adapter, the symbols it trades with their filters, the stale limits. */
export interface Venue {
  readonly exchange: ExchangeConnection;
  /** The spot adapter (its rate limits and activity are the bot's budget and health). */
  readonly gateway: BinanceGateway;
  /** Spot and USD-M perpetuals behind one ExchangeGateway (by the `.P` name): what the kernel and the workers trade on. */
  readonly router: MarketRouter<BinanceGateway>;
  /** The USD-M gateway when FUTURES_SYMBOLS is set: leverage, margin type, positions, account, income, brackets. */
  readonly futures?: FuturesGateway;
  /** Where the USD-M market streams are (the feed's root), with the gateway. */
  readonly futuresSide?: FuturesSide;
  /** Spot pairs and perpetuals (`BTCUSDT.P`) together. */
  readonly instruments: readonly Instrument[];
  /** Spot symbols the market feed carries; the perpetuals are `futuresSide.instruments`. */
  readonly symbols: readonly string[];
  readonly stale: StaleLimits;
  /** Things the owner should read once in the chat (a key without an IP restriction, Redis down for the paper account). */
  readonly warnings: readonly string[];
}

export interface VenueIO {
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * Opens the venue for paper, testnet and live alike: paper mode starts the sandbox on loopback (unless BINANCE_* name one)
 * and the rest is the same path, the real Binance adapter at the configured URLs. The exchange must answer, the key must
 * trade spot and not withdraw (outside paper), and every symbol asked for must be listed with filters read exactly.
 * `opened` hears the exchange's URL and key first (the prefix lease names them). On failure nothing is left open.
 */
export async function openVenue(
  config: Config,
  io: VenueIO,
  opened?: (exchange: ExchangeConnection) => Promise<void>,
): Promise<Result<Venue>> {
  let exchange: ExchangeConnection;
  let symbols: readonly string[];
  let stale = staleLimits(config);
  const named = config.TRADING_MODE === 'paper' ? namedSandbox(config) : undefined;
  if (named !== undefined) {
    // A sandbox already running serves symbols of its own (`telegrid sandbox --universe` ones too): MARKET_SYMBOLS names
    // which of them to trade, and their filters come from its exchangeInfo, as on Binance.
    exchange = named;
    symbols = config.MARKET_SYMBOLS;
  } else if (config.TRADING_MODE === 'paper') {
    const market = paperMarket(config, io.clock.now());
    if (!market.ok) return market;
    if (market.value.kind === 'tape') stale = staleLimits(config, market.value);
    const paper = await openPaperExchange(config, market.value, io.clock);
    if (!paper.ok) return paper;
    exchange = paper.value;
    symbols = market.value.instruments.map((i) => i.symbol);
  } else {
    exchange = binanceExchange(config);
    symbols = config.MARKET_SYMBOLS;
  }
  await opened?.(exchange);
  const checked = await reachExchange(config, io, exchange, symbols);
  if (!checked.ok) {
    await exchange.close();
    return checked;
  }
  const warnings = [...(exchange.warning ? [exchange.warning] : []), ...checked.value.warnings];
  const { gateway, router, futuresSide, instruments } = checked.value;
  return ok({
    exchange,
    gateway,
    router,
    ...(futuresSide ? { futures: futuresSide.gateway, futuresSide } : {}),
    instruments,
    symbols,
    stale,
    warnings,
  });
}

/**
 * The adapter on the exchange, its clock synced, the key checked, and the symbols' filters (and with them the exchange's
 * rate limits) read. The bot and `telegrid worker` both reach the exchange this way.
 */
export async function reachExchange(config: Config, io: VenueIO, exchange: ExchangeConnection, symbols: readonly string[]) {
  const where = exchange.endpoints.httpBase;
  const gateway = new BinanceGateway({
    apiKey: exchange.apiKey,
    apiSecret: exchange.apiSecret,
    ...exchange.endpoints,
    clock: io.clock,
    requestTimeoutMs: config.EXCHANGE_TIMEOUT_MS,
    name: exchange.embedded ? `the sandbox exchange at ${where}` : `the exchange at ${where}`,
    onStreamProblem: (problem) => io.log.error({ code: problem.code }, `user data stream: ${problem.message}`),
  });
  const synced = await gateway.syncTime();
  if (!synced.ok) return failure(synced.error.code, `cannot reach the exchange at ${where}: ${synced.error.message}`);
  // Before any order: the owner's key must trade spot and (unless overridden knowingly) must not be able to withdraw.
  const warnings: string[] = [];
  if (config.TRADING_MODE !== 'paper') {
    const key = await checkApiKey(gateway, {
      allowWithdrawals: config.ALLOW_WITHDRAWAL_KEY,
      mode: config.TRADING_MODE,
      futures: config.FUTURES_SYMBOLS.length > 0,
    });
    if (!key.ok) return key;
    warnings.push(...key.value.warnings);
  }
  const listed = await gateway.instruments();
  if (!listed.ok) return failure(listed.error.code, `cannot read the exchange's symbols: ${listed.error.message}`);
  const wanted = new Set(symbols);
  const instruments = listed.value.filter((i) => wanted.has(i.symbol));
  const missing = [...wanted].filter((symbol) => !instruments.some((i) => i.symbol === symbol));
  if (missing.length > 0) return failure('UNKNOWN_SYMBOL', missingSymbolsText(missing, gateway.skippedSymbols()));
  const endpoints = futuresEndpointsOf(config, exchange.endpoints.httpBase);
  const futures = await openFuturesSide(config, io, endpoints, exchange, exchange.embedded !== undefined);
  if (!futures.ok) return futures;
  const futuresSide = futures.value;
  const router = new MarketRouter({ spot: gateway, ...(futuresSide ? { futures: futuresSide.gateway } : {}), log: io.log });
  const all = [...instruments, ...(futuresSide?.instruments ?? [])];
  return ok({ gateway, router, ...(futuresSide ? { futuresSide } : {}), instruments: all, warnings });
}

/**
 * Picks paper mode's market from MARKET_DATA: the seeded synthetic walk, a recorded Binance CSV replayed, or Binance's
 * live public trades (BINANCE_PUBLIC_WS) relayed into the sandbox.
 */
export function paperMarket(config: Config, startTime: number): Result<PaperMarket> {
  const spec = config.MARKET_DATA;
  if (spec === 'synthetic') {
    const symbols = catalogSymbols(config.MARKET_SYMBOLS);
    if (!symbols.ok) return failure('UNKNOWN_SYMBOL', `MARKET_SYMBOLS: ${symbols.error.message}`);
    const source = syntheticTape({ symbols: symbols.value, seed: config.SYNTHETIC_SEED, startTime });
    return ok({ kind: 'tape', source, instruments: symbols.value.map((s) => s.instrument), largestGapMs: SYNTHETIC_LARGEST_GAP_MS });
  }
  if (spec.startsWith('replay:')) {
    const tape = loadTape(spec.slice('replay:'.length));
    if (!tape.ok) return failure(tape.error.code, `MARKET_DATA: ${tape.error.message}`);
    const instruments: Instrument[] = [];
    for (const symbol of tape.value.symbols) {
      const inst = catalogInstrument(symbol);
      if (!inst) return failure('UNKNOWN_SYMBOL', `MARKET_DATA: the tape trades ${symbol}, whose filters telegrid does not know`);
      instruments.push(inst);
    }
    return ok({ kind: 'tape', source: tape.value, instruments, largestGapMs: largestGapMs(tape.value.ticks) });
  }
  const symbols = catalogSymbols(config.MARKET_SYMBOLS);
  if (!symbols.ok) return failure('UNKNOWN_SYMBOL', `MARKET_SYMBOLS: ${symbols.error.message}`);
  return ok({ kind: 'live', wsBase: config.BINANCE_PUBLIC_WS, instruments: symbols.value.map((s) => s.instrument) });
}

/** Where testnet and live trade: Binance's documented URLs, or the BINANCE_* overrides, with the owner's own key. */
export function binanceExchange(config: Config): ExchangeConnection {
  const defaults = config.TRADING_MODE === 'live' ? BINANCE_LIVE : BINANCE_TESTNET;
  return {
    endpoints: {
      httpBase: config.BINANCE_HTTP_BASE ?? defaults.httpBase,
      wsBase: config.BINANCE_WS_BASE ?? defaults.wsBase,
      wsApi: config.BINANCE_WS_API ?? defaults.wsApi,
    },
    // The configuration refuses testnet and live without both.
    apiKey: config.BINANCE_API_KEY ?? '',
    apiSecret: config.BINANCE_API_SECRET ?? '',
    close: async () => undefined,
  };
}

/** Why symbols the owner asked for cannot be traded: not listed at all, or listed with filters that cannot be read exactly. */
function missingSymbolsText(missing: readonly string[], skipped: readonly SkippedSymbol[]): string {
  return missing
    .map((symbol) => {
      const unreadable = skipped.find((s) => s.symbol === symbol);
      return unreadable
        ? `the exchange lists ${symbol}, but its filters cannot be read exactly (${unreadable.reason}), ` +
            'and telegrid does not trade on guessed filters (MARKET_SYMBOLS)'
        : `the exchange does not list ${symbol} (MARKET_SYMBOLS)`;
    })
    .join('; ');
}
