import type { Readable, Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { AuditTrail, auditBus } from '../audit/index.js';
import { type ConsoleTransport, Dispatcher, type TelegramTransport } from '../chat/index.js';
import { type Result, failure, isPerpetual, ok } from '../domain/index.js';
import { type Clock, SequentialIds, type TradingFirst, laterPort } from '../engine/index.js';
import { type OrderWorkers, type PipelineTime, type QueueExecutor, type RateGovernor, systemTime } from '../execution/index.js';
import { exchangeUsage } from '../exchange/binance/index.js';
import { BinanceTradeFeed, type CandlesKept, type RealtimeTimers } from '../market/index.js';
import type { BotStateStore } from '../store/index.js';
import { CandleCopy } from './candle-copy.js';
import { pacedCandles, wallPace } from './paced-candles.js';
import { type Config, secretsOf } from './config.js';
import { type DeadmanSetting, FuturesCountdown, deadmanSwitch } from './deadman/index.js';
import { type FrontEnd, type LinkHooks, openFrontEnd } from './front-end.js';
import type { Logger } from './logger.js';
import type { ExchangeConnection } from './paper-exchange.js';
import { type Ops, createOps, outboxFigures } from './ops/index.js';
import { openPipeline } from './pipeline.js';
import { type PrefixLease, onOwnedPrefix, prefixLeaseOptions } from './prefix-lease.js';
import { connectRedis, watchRedis } from './redis-connection.js';
import { type PersistentKernel, afterRedisReturns, bringUp, recoveryText } from './restart.js';
import { Teardown } from './teardown.js';
import { buildTradingKernel, historyRetentionOf, riskLimitsOf } from './trading-kernel.js';
import { createTradingServices } from './trading-services.js';
import type { StaleLimits } from './stale-limits.js';
import { type Venue, openVenue } from './venue.js';

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
  /** When the kill switch's receipt bound has passed (tests decide); default a timer of KILL_RECEIPT_SECONDS. */
  readonly killReceiptBound?: (ms: number) => Promise<void>;
  /** Closed candles kept per symbol and interval, in memory and in Redis; tests make it small (default: the book's). */
  readonly candlesKept?: CandlesKept;
  /** How long /backtest waits for its report before it answers with a progress line instead; default 2 s. */
  readonly backtestAnswerWithinMs?: number;
}

export interface TradingApp {
  /** The trading kernel: every component on the bus host, the store and the shared trading state. */
  readonly kernel: PersistentKernel;
  readonly exchange: ExchangeConnection;
  /** Where the bot trades: `venue.futures` is the USD-M gateway when FUTURES_SYMBOLS is set. */
  readonly venue: Venue;
  readonly feed: BinanceTradeFeed;
  /** Who did what: every command, confirmation, refusal, order action and state change, in a Redis stream. */
  readonly audit: AuditTrail;
  /** The front end: the terminal chat, or the Telegram bot when TELEGRAM_BOT_TOKEN is set. */
  readonly front: FrontEnd;
  readonly console?: ConsoleTransport;
  readonly telegram?: TelegramTransport;
  /** The BullMQ order pipeline: its executor on the bus, and the workers when they run in this process. */
  readonly pipeline: {
    readonly executor: QueueExecutor;
    readonly workers?: OrderWorkers;
    readonly governor: RateGovernor;
    readonly store: BotStateStore;
    /** Where the notifications and the audit wait while orders are on their way. */
    readonly tradingFirst: TradingFirst;
  };
  /** Metrics, health and `/limits`; `ops.url()` is where `/metrics` and `/health` are served (METRICS_PORT). */
  readonly ops: Ops;
  /** Resolves when the owner leaves the chat (end of input, /quit, Ctrl-C). */
  readonly closed: Promise<string>;
  /** Stops the tape and the feed, lets in-flight venue calls answer, closes the sandbox and the chat. */
  shutdown(): Promise<void>;
}

/**
 * The bot: paper, testnet and live on one path (the real Binance adapter and feed; paper points them at the sandbox on
 * loopback). The prefix is owned first (a lease), then everything is opened in the order it is needed and registered
 * for shutdown in reverse; a start that fails part-way closes what it opened.
 */
export async function startTradingApp(config: Config, io: TradingAppIO): Promise<Result<TradingApp>> {
  return onOwnedPrefix(prefixLeaseOptions(config, io.log), (lease) => startOnPrefix(config, io, lease));
}

async function startOnPrefix(config: Config, io: TradingAppIO, lease: PrefixLease): Promise<Result<TradingApp>> {
  const teardown = new Teardown(io.log);
  const fail = async (error: { readonly code: string; readonly message: string }) => (
    await teardown.run(),
    failure(error.code, error.message)
  );
  const venue = await openVenue(config, io, (exchange) =>
    lease.describe({ ...exchange.endpoints, apiKey: exchange.apiKey, embedded: exchange.embedded !== undefined }),
  );
  if (!venue.ok) return venue;
  const { exchange, router, instruments, stale } = venue.value;
  teardown.add('venue', 'exchange', () => exchange.close());
  // After the exchange in registration, so before it at shutdown: the user streams (spot and futures) close even when
  // something outside the bot still listens to the gateways.
  teardown.add('venue', 'user data stream', () => router.close());

  const connected = await connectRedis(config.REDIS_URL);
  if (!connected.ok) return fail({ code: 'REDIS_UNREACHABLE', message: connected.message });
  const redis = connected.redis;
  teardown.add('storage', 'redis', () => redis.quit());
  const pipeline = openPipeline(config, { gateway: router, redis, time: io.pipelineTime ?? systemTime, log: io.log });
  teardown.add('workers', 'order workers', () => pipeline.close());
  const built = buildTradingKernel({
    gateway: router,
    instruments,
    fees: { maker: config.MAKER_FEE, taker: config.TAKER_FEE },
    limits: riskLimitsOf(config, stale.riskMs),
    clock: io.clock,
    ids: new SequentialIds(),
    log: io.log,
    // Over a network a report can be lost without a sound; every 30 s the venue is asked what the stream may have missed.
    reconcileEveryMs: 30_000,
    persistence: { redis, prefix: config.KEY_PREFIX },
    executor: pipeline.executor,
    retention: historyRetentionOf(config),
    // The futures book reconciles with the USD-M venue, and the risk gate judges perpetuals on it.
    ...(venue.value.futures ? { futures: venue.value.futures } : {}),
    ...(io.candlesKept ? { candlesKept: io.candlesKept } : {}),
  });
  const kernel = built as PersistentKernel;
  const executor = kernel.executor as QueueExecutor;
  const symbols = [...kernel.instruments.keys()];
  const feed = marketFeed(config, venue.value, kernel, stale, io);
  teardown.add('kernel', 'kernel', () => kernel.stop());
  teardown.add('inputs', 'feed', () => feed.stop());
  const audit = openAudit(config, io, redis, kernel, pipeline.tradingFirst, teardown);
  const ops = createOps(opsParts(config, io, kernel, venue.value, pipeline.governor, redis), io.log);
  teardown.add('inputs', 'metrics and health', () => ops.close());
  // Copying from before the feed starts, so no closed candle is missed; stopped (what is queued written) before Redis.
  const candleCopy = new CandleCopy({ redis, prefix: config.KEY_PREFIX, book: kernel.candles, log: io.log });
  candleCopy.start();
  teardown.add('storage', 'candle copy', () => candleCopy.stop());
  const recovered = await bringUp(kernel, feed, executor, config.ORPHAN_ORDERS);
  if (!recovered.ok) return fail(recovered.error);
  // What a slow start spent its time on; `atMs` counts from the process's start (imports, venue and Redis included).
  const { stagesMs, restoredGrids, restoredOpenOrders, fillsBooked } = recovered.value;
  io.log.info({ stagesMs, atMs: Math.round(performance.now()), restoredGrids, restoredOpenOrders, fillsBooked }, 'start-up recovery done');
  // History for charts and indicators, read once the bot trades (never before: it is not on the trading path).
  const history = pacedCandles(router, wallPace(venue.value.gateway.rateLimits()));
  teardown.add('inputs', 'candle history', async () => history.stop());
  void candleCopy.restore(history, feed.symbols, io.clock.now());
  await ops.listen(config.METRICS_HOST, config.METRICS_PORT);

  let spoken: FrontEnd | undefined; // the hooks and the kill switch may speak once the front end is open
  const link = linkHooks(kernel, io, audit, () => spoken);
  // The kill switch speaks on its own (its receipt, its update) through the front end, which opens after the commands.
  const tell = (text: string) =>
    spoken ? spoken.say(text, 'kill') : io.log.error({ text }, 'a kill switch message before the chat opened');
  const stopKill = new AbortController();
  teardown.add('kernel', 'kill switch', () => stopKill.abort());
  const deadman = deadmanSwitch(config, lease, redis, kernel);
  armFuturesCountdown(config, venue.value, lease, kernel, io, teardown);
  const dispatcher = commands(kernel, executor, config, io, { audit, ops, deadman, kill: { tell, signal: stopKill.signal } });
  const front = await openFrontEnd(dispatcher, config, redis, { ...io, wallClock: io.wallClock ?? io.clock, link });
  if (!front.ok) return fail(front.error);
  const chat = (spoken = front.value);
  teardown.add('chat', 'chat', () => chat.close());
  const { outbox, telegram } = chat;
  ops.watch({
    ...(outbox ? { outbox: outboxFigures(outbox) } : {}),
    ...(telegram ? { telegram: () => telegram.linkState() } : {}),
  });
  chat.say(`telegrid · ${config.TRADING_MODE} on ${router.name} · ${symbols.join(', ')} · send /help`);
  for (const warning of venue.value.warnings) chat.say(`⚠️ ${warning}`, 'error');
  const recoveredText = recoveryText(recovered.value);
  if (recoveredText) chat.say(recoveredText, 'recovery');
  // Off the trading path too: a line is formatted and queued after the dispatch whose event it tells and the orders it
  // placed (see laterPort).
  const told = laterPort(
    kernel.host.bus,
    (error) => io.log.error({ err: error }, 'an event could not be told to the owner'),
    pipeline.tradingFirst,
  );
  const unfollow = chat.follow(told, (symbol) => kernel.instruments.get(symbol)?.quoteAsset);
  teardown.add('chat', 'notifications', () => (unfollow(), told.drain()));
  teardown.add('storage', 'redis watch', watchRedis(redis, redisOutages(kernel, executor, chat)));
  playTape(exchange, config, io, teardown);

  const shutdown = async () => (await teardown.run(), await chat.closed, undefined);
  const transport = { ...(chat.console ? { console: chat.console } : {}), ...(chat.telegram ? { telegram: chat.telegram } : {}) };
  const pipelineView = {
    executor,
    ...(pipeline.workers ? { workers: pipeline.workers } : {}),
    governor: pipeline.governor,
    store: kernel.store,
    tradingFirst: pipeline.tradingFirst,
  };
  return ok({
    kernel,
    exchange,
    venue: venue.value,
    feed,
    audit,
    front: chat,
    ...transport,
    closed: chat.closed,
    shutdown,
    pipeline: pipelineView,
    ops,
  });
}

/** Binance's countdown cancel on the perpetuals with open bot orders, pushed back by each heartbeat; off at a clean stop. */
function armFuturesCountdown(
  config: Config,
  venue: Venue,
  lease: PrefixLease,
  kernel: PersistentKernel,
  io: TradingAppIO,
  teardown: Teardown,
): void {
  const futures = venue.futures;
  if (!futures || config.FUTURES_COUNTDOWN_SECONDS === 0) return;
  const countdown = new FuturesCountdown({
    futures,
    openSymbols: () => [...new Set(kernel.tracker.open().map((o) => o.intent.symbol))].filter(isPerpetual),
    countdownMs: config.FUTURES_COUNTDOWN_SECONDS * 1000,
    log: io.log,
  });
  lease.onBeat(() => void countdown.beat());
  teardown.add('kernel', 'futures countdown', () => countdown.stop());
}

/** The market feed on the kernel's bus (spot pairs, and perpetuals on the futures market root), with the venue's stale limits. */
function marketFeed(config: Config, venue: Venue, kernel: PersistentKernel, stale: StaleLimits, io: TradingAppIO) {
  const timers = io.timers ? { timers: io.timers } : {};
  const limits = { staleAfterMs: stale.quietMs, deadAfterMs: stale.deadMs };
  const side = venue.futuresSide;
  const futures = side
    ? { futures: { wsMarketBase: side.endpoints.wsFuturesMarket, perpetuals: side.instruments.map((i) => i.symbol) } }
    : {};
  const wsBase = venue.exchange.endpoints.wsBase;
  const symbols = [...venue.symbols];
  const maxStreamsPerConnection = config.MARKET_STREAMS_PER_CONNECTION;
  return new BinanceTradeFeed({
    wsBase,
    symbols,
    ...futures,
    bus: kernel.host.bus,
    clock: io.clock,
    ...timers,
    ...limits,
    maxStreamsPerConnection,
    log: io.log,
  });
}

/** The audit trail, hearing the bus from before the start-up recovery (its cancels and re-queues are actions too). */
function openAudit(
  config: Config,
  io: TradingAppIO,
  redis: Redis,
  kernel: PersistentKernel,
  offPath: TradingFirst,
  teardown: Teardown,
): AuditTrail {
  const audit = new AuditTrail({
    redis,
    prefix: config.KEY_PREFIX,
    maxEntries: config.AUDIT_MAX_ENTRIES,
    maxAgeMs: Math.round(config.AUDIT_KEEP_DAYS * 86_400_000),
    clock: io.clock,
    secrets: secretsOf(config),
    log: io.log,
    offPath,
  });
  // In the dispatch, so the trail keeps the order of events and commands; the trail writes off the dispatch itself.
  const unfollow = auditBus(kernel.host.bus, audit);
  teardown.add('storage', 'audit trail', async () => (unfollow(), await audit.flush()));
  return audit;
}

/** The chat's use cases over the kernel, with the kill switch's hold on the pipeline, behind the command dispatcher. */
function commands(
  kernel: PersistentKernel,
  executor: QueueExecutor,
  config: Config,
  io: TradingAppIO,
  {
    audit,
    ops,
    deadman,
    kill,
  }: {
    readonly audit: AuditTrail;
    readonly ops: Ops;
    readonly deadman: DeadmanSetting;
    readonly kill: { readonly tell: (text: string) => void; readonly signal: AbortSignal };
  },
): Dispatcher {
  const services = createTradingServices(kernel, {
    mode: config.TRADING_MODE,
    gridAmountQuote: config.GRID_DEFAULT_AMOUNT,
    wallClock: io.clock,
    startedAt: io.clock.now(),
    kill: {
      ...kill,
      ...(io.killReceiptBound ? { bound: io.killReceiptBound } : {}),
      receiptMs: config.KILL_RECEIPT_SECONDS * 1000,
      log: io.log,
      control: {
        haltNow: () => kernel.shared.write('HALTED'),
        haltPublished: () => kernel.shared.write(kernel.tradingState.state()),
        dropPlacements: () => executor.dropPlacements(),
        sweep: (targets, timeoutMs) => executor.sweep(targets, timeoutMs),
      },
    },
    deadman,
    limits: () => ops.limits(),
    backtest: {
      historyDir: config.HISTORY_DIR,
      ...(io.backtestAnswerWithinMs !== undefined ? { answerWithinMs: io.backtestAnswerWithinMs } : {}),
    },
  });
  const onError = (error: unknown, where: { readonly chatId: string }) =>
    io.log.error({ err: error, chatId: where.chatId }, 'command failed');
  const roles = config.TELEGRAM_ROLES ? { roles: config.TELEGRAM_ROLES } : {};
  return new Dispatcher({ services, clock: io.clock, onError, audit, ...roles });
}

/**
 * A bot that cannot read commands must not keep trading unheard: deafness halts trading (in Redis too, for every
 * worker) and says so on every channel left (the log, /health through the link's state, the chat when sends still go).
 * Hearing again does not resume: the owner looks first and sends /resume.
 */
function linkHooks(kernel: PersistentKernel, io: TradingAppIO, audit: AuditTrail, chat: () => FrontEnd | undefined): LinkHooks {
  return {
    onDeaf: (sinceMs) => {
      const seconds = Math.round(((io.wallClock ?? io.clock).now() - sinceMs) / 1000);
      const reason = `Telegram unreachable for ${seconds} s: commands cannot be heard`;
      io.log.error({ sinceMs }, `${reason}; trading HALTED`);
      kernel.tradingState.set('HALTED', reason);
      void kernel.shared.write('HALTED').catch((error: unknown) => io.log.warn({ err: error }, 'the deaf halt could not reach Redis'));
      chat()?.say(`🛑 ${reason} (${seconds} s). Trading is HALTED; resting orders stay. Send /resume once you can read this.`, 'error');
    },
    onHearing: () => {
      io.log.warn({}, 'telegram: commands are heard again');
      chat()?.say('👂 I can read commands again. Trading stays as it is; /status shows it, /resume restarts trading.', 'error');
    },
    onRefused: (refusal) => audit.strangerRefused(refusal),
  };
}

/** What metrics, health and `/limits` read of the running bot. */
function opsParts(config: Config, io: TradingAppIO, kernel: PersistentKernel, venue: Venue, governor: RateGovernor, redis: Redis) {
  const pipelineTime = io.pipelineTime ?? systemTime;
  return {
    redis,
    prefix: config.KEY_PREFIX,
    host: kernel.host,
    tradingState: () => kernel.tradingState.state(),
    symbols: [...kernel.instruments.keys()],
    lastSeen: (symbol: string) => kernel.market.lastSeen(symbol),
    clock: io.clock,
    staleAfterMs: venue.stale.riskMs,
    gateway: venue.gateway,
    exchangeUsage,
    governor,
    pipelineNow: () => pipelineTime.now(),
  };
}

/** What the owner is told when Redis goes away and comes back, and what the bot does about it then. */
function redisOutages(kernel: PersistentKernel, executor: QueueExecutor, chat: FrontEnd) {
  return {
    lost: () => chat.alert('⚠️ Redis connection lost: new orders wait (nothing is sent unsaved) until it is back.'),
    back: async () => {
      const requeued = await afterRedisReturns(kernel, executor);
      const more = requeued > 0 ? `, and ${requeued} waiting placement(s) queued again (each asks the exchange first)` : '';
      chat.alert(`✅ Redis is back: the bot's state is saved there again${more}.`);
    },
  };
}

/** The embedded sandbox's tape: played in wall time by the app, pumped by tests; stopped first at shutdown. */
function playTape(exchange: ExchangeConnection, config: Config, io: TradingAppIO, teardown: Teardown): void {
  const tape = exchange.embedded?.tape;
  if (!tape) return;
  if (!io.realtime) return teardown.add('inputs', 'tape', () => tape.stop());
  const running = tape.runRealtime({ speed: Number(config.MARKET_SPEED) / 1e8, timers: io.realtime.timers }).catch((error: unknown) => {
    io.log.error({ err: error }, 'the sandbox tape stopped on an error');
  });
  teardown.add('inputs', 'tape', async () => (tape.stop(), await running));
}
