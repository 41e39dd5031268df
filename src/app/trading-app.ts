import type { Readable, Writable } from 'node:stream';
import { type ConsoleTransport, Dispatcher, type TelegramTransport } from '../chat/index.js';
import { type Instrument, type Result, catalogInstrument, failure, ok } from '../domain/index.js';
import { type Clock, SequentialIds } from '../engine/index.js';
import {
  type OrderWorkers,
  type PipelineTime,
  QueueExecutor,
  RateGovernor,
  SharedTradingState,
  requeuePlacements,
  rulesFromExchangeInfo,
  startOrderWorkers,
  systemTime,
} from '../execution/index.js';
import { BotStateStore } from '../store/index.js';
import { checkApiKey } from './api-key-check.js';
import { type FrontEnd, consoleFrontEnd, telegramFrontEnd } from './front-end.js';
import { bullConnection, connectRedis } from './redis-connection.js';
import { reconcileAtStart, recoveryText } from './recovery.js';
import { BINANCE_LIVE, BINANCE_TESTNET, BinanceGateway, type SkippedSymbol } from '../exchange/binance/index.js';
import { BinanceTradeFeed, type RealtimeTimers } from '../market/index.js';
import { catalogSymbols, loadTape, syntheticTape } from '../sandbox/index.js';
import type { Config } from './config.js';
import { type Engine, buildEngine } from './engine.js';
import type { Logger } from './logger.js';
import { type ExchangeConnection, type PaperMarket, openPaperExchange } from './paper-exchange.js';
import { SYNTHETIC_LARGEST_GAP_MS, largestGapMs, staleLimits } from './stale-limits.js';
import { createTradingServices } from './trading-services.js';
import { type PrefixLease, onOwnedPrefix, prefixLeaseOptions } from './prefix-lease.js';

export interface TradingAppIO {
  readonly input: Readable;
  readonly output: Writable;
  /** The clock of the bot and of the embedded sandbox; a test's manual clock follows the sandbox's tape. */
  readonly clock: Clock;
  readonly log: Logger;
  /** Wall-time timers of the market feed (reconnects, rotation, quiet and dead-socket checks); default the real ones. */
  readonly timers?: RealtimeTimers;
  /** Run the embedded sandbox's tape in wall time (the app); tests leave it off and pump the tape themselves. */
  readonly realtime?: { readonly timers?: RealtimeTimers };
  /** Readline's terminal mode; defaults to whether output is a TTY. */
  readonly terminal?: boolean;
  /** Wall time for the chat (the age of Telegram commands); defaults to `clock`. */
  readonly wallClock?: Clock;
  /** The clock the shared rate budget counts on (wall time; tests may run it faster, with the exchange on the same). */
  readonly pipelineTime?: PipelineTime;
}

export interface TradingApp {
  readonly engine: Engine<BinanceGateway>;
  readonly exchange: ExchangeConnection;
  readonly feed: BinanceTradeFeed;
  /** The front end: the terminal chat, or the Telegram bot when TELEGRAM_BOT_TOKEN is set. */
  readonly front: FrontEnd;
  readonly console?: ConsoleTransport;
  readonly telegram?: TelegramTransport;
  /** The BullMQ order pipeline: its executor on the bus, and the workers when they run in this process. */
  readonly pipeline: { readonly executor: QueueExecutor; readonly workers?: OrderWorkers; readonly governor: RateGovernor; readonly store: BotStateStore };
  /** Resolves when the owner leaves the chat (end of input, /quit, Ctrl-C). */
  readonly closed: Promise<string>;
  /** Stops the tape and the feed, lets in-flight venue calls answer, closes the sandbox and the chat. */
  shutdown(): Promise<void>;
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
function binanceExchange(config: Config): ExchangeConnection {
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

// ── Prefix lease (issue 9, app/prefix-lease.ts): the lease is taken before anything under KEY_PREFIX is touched (the
// paper account too), given back after shutdown; a bot that loses it stops placing and shuts down (`closed`: PREFIX_LOST).
export async function startTradingApp(config: Config, io: TradingAppIO): Promise<Result<TradingApp>> {
  return onOwnedPrefix(prefixLeaseOptions(config, io.log), (lease) => startOnPrefix(config, io, lease));
}
// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The bot with the terminal as the chat: the real Binance adapter and market-data feed over HTTP and WebSocket. In
 * paper mode they talk to the sandbox exchange on loopback (started here unless BINANCE_* point at one), on testnet to
 * Binance's testnet, so the modes differ only in URLs and keys.
 */
async function startOnPrefix(config: Config, io: TradingAppIO, lease: PrefixLease): Promise<Result<TradingApp>> {
  const startedAt = io.clock.now();
  let exchange: ExchangeConnection;
  let symbols: readonly string[];
  let stale = staleLimits(config);
  if (config.TRADING_MODE === 'paper') {
    const market = paperMarket(config, startedAt);
    if (!market.ok) return market;
    if (market.value.kind === 'tape') stale = staleLimits(config, market.value);
    const opened = await openPaperExchange(config, market.value, io.clock);
    if (!opened.ok) return opened;
    exchange = opened.value;
    symbols = market.value.instruments.map((i) => i.symbol);
  } else {
    exchange = binanceExchange(config);
    symbols = config.MARKET_SYMBOLS;
  }
  // Prefix lease: name the exchange in the holder record and write the fingerprint workers check (the key only hashed).
  await lease.describe({ httpBase: exchange.endpoints.httpBase, apiKey: exchange.apiKey, embedded: exchange.embedded !== undefined });
  const fail = async (code: string, message: string) => {
    await exchange.close();
    return failure(code, message);
  };

  const gateway = new BinanceGateway({
    apiKey: exchange.apiKey,
    apiSecret: exchange.apiSecret,
    ...exchange.endpoints,
    clock: io.clock,
    requestTimeoutMs: config.EXCHANGE_TIMEOUT_MS,
    name: exchange.embedded ? `the sandbox exchange at ${exchange.endpoints.httpBase}` : `the exchange at ${exchange.endpoints.httpBase}`,
    onStreamProblem: (problem) => io.log.error({ code: problem.code }, `user data stream: ${problem.message}`),
  });
  const synced = await gateway.syncTime();
  if (!synced.ok) return fail(synced.error.code, `cannot reach the exchange at ${exchange.endpoints.httpBase}: ${synced.error.message}`);
  // Before any order: the owner's key must trade spot and (unless overridden knowingly) must not be able to withdraw.
  const keyWarnings: string[] = [];
  if (config.TRADING_MODE !== 'paper') {
    const checked = await checkApiKey(gateway, { allowWithdrawals: config.ALLOW_WITHDRAWAL_KEY, mode: config.TRADING_MODE });
    if (!checked.ok) return fail(checked.error.code, checked.error.message);
    keyWarnings.push(...checked.value.warnings);
  }
  const listed = await gateway.instruments();
  if (!listed.ok) return fail(listed.error.code, `cannot read the exchange's symbols: ${listed.error.message}`);
  const wanted = new Set(symbols);
  const instruments = listed.value.filter((i) => wanted.has(i.symbol));
  const missing = [...wanted].filter((symbol) => !instruments.some((i) => i.symbol === symbol));
  if (missing.length > 0) return fail('UNKNOWN_SYMBOL', missingSymbolsText(missing, gateway.skippedSymbols()));

  const connected = await connectRedis(config.REDIS_URL);
  if (!connected.ok) return fail('REDIS_UNREACHABLE', connected.message);
  const redis = connected.redis;
  const prefix = config.KEY_PREFIX;
  const connection = bullConnection(config.REDIS_URL);
  const time = io.pipelineTime ?? systemTime;
  const ids = new SequentialIds();
  let store: BotStateStore | undefined;
  const executor = new QueueExecutor({ connection, prefix, log: io.log, beforeEnqueue: () => store?.commit() ?? Promise.resolve() });

  const engine = buildEngine({
    gateway,
    instruments,
    fees: { maker: config.MAKER_FEE, taker: config.TAKER_FEE },
    limits: {
      maxOrderNotional: config.RISK_MAX_ORDER_NOTIONAL,
      maxOpenOrdersPerSymbol: config.RISK_MAX_OPEN_ORDERS_PER_SYMBOL,
      maxOpenOrdersTotal: config.RISK_MAX_OPEN_ORDERS_TOTAL,
      maxPositionNotional: config.RISK_MAX_POSITION_NOTIONAL,
      priceBandPct: config.RISK_PRICE_BAND_PCT,
      staleAfterMs: stale.riskMs,
      maxDailyLoss: config.RISK_MAX_DAILY_LOSS,
    },
    clock: io.clock,
    ids,
    log: io.log,
    // Over a network a report can be lost without a sound; every 30 s the venue is asked what the stream may have missed.
    reconcileEveryMs: 30_000,
    executor,
  });
  const shared = new SharedTradingState(redis, prefix);
  const stateStore = new BotStateStore({
    redis,
    prefix,
    parts: { tracker: engine.tracker, grids: engine.grids, portfolio: engine.portfolio, ids, tradingState: engine.tradingState, risk: engine.risk },
    log: io.log,
  });
  store = stateStore;
  engine.kernel.add(shared).add(stateStore);
  const stored = await stateStore.load();
  if (!stored.ok) {
    redis.disconnect();
    return fail(stored.error.code, stored.error.message);
  }
  if (stored.value) {
    // What no schema can judge (a grid's symbol against the exchange's list) is refused here too, before anything trades.
    const restored = stateStore.restore(stored.value);
    if (!restored.ok) {
      redis.disconnect();
      return fail(restored.error.code, restored.error.message);
    }
  } else stateStore.markAll();

  const governor = new RateGovernor({ redis, keyPrefix: prefix, rules: rulesFromExchangeInfo(gateway.rateLimits()), marginMs: config.RATE_LIMIT_MARGIN_MS });
  const workers = config.ORDER_WORKERS_IN_PROCESS
    ? startOrderWorkers({
        connection,
        prefix,
        concurrency: config.ORDER_CONCURRENCY,
        gateway,
        budget: governor,
        time,
        settleMs: config.UNKNOWN_SETTLE_SECONDS * 1000,
        absentConfirmMs: 1_000,
        log: io.log,
      })
    : undefined;
  const closePipeline = async () => {
    await workers?.close();
  };

  // Held until the recovery below has merged it with what the exchange says over REST (released there in any case).
  engine.venueReports.hold();
  engine.reconciler.suspend();
  await engine.start();
  // The trading state restored (a HALTED kept across a restart stays HALTED) is what every worker must see.
  await shared.write(engine.tradingState.state());
  const ready = await gateway.userStreamReady();
  if (!ready.ok) {
    // The engine holds the user-stream subscription: stop it too, or its socket keeps the process alive retrying.
    await closePipeline();
    await engine.stop();
    redis.disconnect();
    return fail(ready.error.code, `the exchange refused the user data stream: ${ready.error.message}`);
  }
  // The market first: fills booked by the recovery re-arm grids, and the risk gate prices those orders on it.
  const feedTimers = io.timers ? { timers: io.timers } : {};
  const feed = new BinanceTradeFeed({ wsBase: exchange.endpoints.wsBase, symbols: [...wanted], bus: engine.kernel.bus, clock: io.clock, ...feedTimers, staleAfterMs: stale.quietMs, deadAfterMs: stale.deadMs, log: io.log });
  await feed.start();
  if (stored.value && engine.tracker.openCount() > 0) await firstTrades(engine, [...wanted], RECOVERY_PRICE_WAIT_MS);
  const recovered = await reconcileAtStart(engine, executor, config.ORPHAN_ORDERS);
  await stateStore.commit();


  const services = createTradingServices(engine, {
    mode: config.TRADING_MODE,
    gridAmountQuote: config.GRID_DEFAULT_AMOUNT,
    wallClock: io.clock,
    startedAt,
    control: {
      haltNow: () => shared.write('HALTED'),
      haltPublished: () => shared.write(engine.tradingState.state()),
      dropPlacements: (waitMs) => executor.dropPlacements(waitMs),
      sweep: (symbol) => executor.sweep(symbol),
    },
  });
  const dispatcher = new Dispatcher({
    services,
    clock: io.clock,
    onError: (error, where) => io.log.error({ err: error, chatId: where.chatId }, 'command failed'),
  });
  const frontIO = { input: io.input, output: io.output, terminal: io.terminal, log: io.log, wallClock: io.wallClock ?? io.clock };
  let chat: FrontEnd;
  if (config.TELEGRAM_BOT_TOKEN) {
    try {
      chat = await telegramFrontEnd(dispatcher, config, redis, frontIO);
    } catch (error) {
      await feed.stop();
      await closePipeline();
      await engine.stop();
      redis.disconnect();
      return fail('TELEGRAM_UNREACHABLE', `the Telegram bot could not start at ${config.TELEGRAM_API_ROOT} (${error instanceof Error ? error.message : String(error)})`);
    }
  } else {
    chat = consoleFrontEnd(dispatcher, frontIO);
  }
  chat.say(`telegrid · ${config.TRADING_MODE} on ${gateway.name} · ${[...wanted].join(', ')} · send /help`);
  if (exchange.warning) chat.say(`⚠️ ${exchange.warning}`, 'error');
  for (const warning of keyWarnings) chat.say(`⚠️ ${warning}`, 'error');
  const recoveredText = recoveryText(recovered);
  if (recoveredText) chat.say(recoveredText, 'recovery');
  const offRedis = watchRedis(redis, {
    lost: () => chat.say('⚠️ Redis connection lost: new orders wait (nothing is sent unsaved) until it is back.', 'error'),
    back: async () => {
      // Redis may have restarted empty: write the whole state and the trading state again, and queue again what waits.
      stateStore.markAll();
      await stateStore.commit();
      await shared.write(engine.tradingState.state());
      const requeued = await requeuePlacements(engine.tracker.open(), executor);
      chat.say(`✅ Redis is back: the bot's state is saved there again${requeued > 0 ? `, and ${requeued} waiting placement(s) queued again (each asks the exchange first)` : ''}.`, 'error');
    },
  });
  const unsubscribe = chat.follow(engine.kernel.bus, (symbol) => engine.instruments.get(symbol)?.quoteAsset);

  const tape = exchange.embedded?.tape;
  const running =
    io.realtime && tape
      ? tape.runRealtime({ speed: Number(config.MARKET_SPEED) / 1e8, timers: io.realtime.timers }).catch((error: unknown) => {
          io.log.error({ err: error }, 'the sandbox tape stopped on an error');
          return 'stopped' as const;
        })
      : undefined;

  let shut: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (shut ??= (async () => {
      // Each step runs even if one before it failed, so nothing is left holding a socket or the process open.
      const steps: Array<() => unknown> = [
        () => tape?.stop(),
        () => running,
        () => feed.stop(),
        // In-flight jobs finish (their answers still reach the engine); nothing new is taken.
        () => closePipeline(),
        () => engine.stop(),
        () => offRedis(),
        () => redis.quit(),
        () => exchange.close(),
        () => unsubscribe(),
        () => chat.close(),
      ];
      for (const step of steps) {
        try {
          await step();
        } catch (error) {
          io.log.error({ err: error }, 'a shutdown step failed');
        }
      }
      await chat.closed;
    })());

  return ok({ engine, exchange, feed, front: chat, ...(chat.console ? { console: chat.console } : {}), ...(chat.telegram ? { telegram: chat.telegram } : {}), closed: chat.closed, shutdown, pipeline: { executor, ...(workers ? { workers } : {}), governor, store: stateStore } });
}

/** How long a restart waits for a trade on each symbol before reconciling (a quiet market must not stall the start). */
const RECOVERY_PRICE_WAIT_MS = 5_000;

/** Resolves once every symbol has a trade on the feed, or after `boundMs` of wall time. */
async function firstTrades(engine: Engine, symbols: readonly string[], boundMs: number): Promise<void> {
  const end = Date.now() + boundMs;
  while (Date.now() < end && symbols.some((s) => engine.market.lastPrice(s) === undefined)) await new Promise((r) => setTimeout(r, 10));
}

/** Tells the owner when Redis goes away and comes back (once per outage). */
function watchRedis(redis: import('ioredis').Redis, on: { lost(): void; back(): Promise<void> }): () => void {
  let down = false;
  const lost = () => {
    if (down) return;
    down = true;
    on.lost();
  };
  const ready = () => {
    if (!down) return;
    down = false;
    void on.back();
  };
  redis.on('close', lost);
  redis.on('ready', ready);
  return () => {
    redis.off('close', lost);
    redis.off('ready', ready);
  };
}

/** Why symbols the owner asked for cannot be traded: not listed at all, or listed with filters that cannot be read exactly. */
function missingSymbolsText(missing: readonly string[], skipped: readonly SkippedSymbol[]): string {
  return missing
    .map((symbol) => {
      const unreadable = skipped.find((s) => s.symbol === symbol);
      return unreadable
        ? `the exchange lists ${symbol}, but its filters cannot be read exactly (${unreadable.reason}), and telegrid does not trade on guessed filters (MARKET_SYMBOLS)`
        : `the exchange does not list ${symbol} (MARKET_SYMBOLS)`;
    })
    .join('; ');
}
