import type { Logger } from 'pino';
import { systemClock } from '../engine/index.js';
import { BINANCE_LIVE, BINANCE_TESTNET, BinanceGateway } from '../exchange/binance/index.js';
import { RateGovernor, rulesFromExchangeInfo, startOrderWorkers, systemTime } from '../execution/index.js';
import type { Config } from './config.js';
import { bullConnection, connectRedis } from './redis-connection.js';

/**
 * `telegrid worker`: order workers only, on the bot's Redis (REDIS_URL, KEY_PREFIX) and exchange, for owners who
 * outgrow one process. They share the bot's queues, its rate budget and its trading state, so any number of them can run
 * beside the bot (start the bot with ORDER_WORKERS_IN_PROCESS=false to leave all the work to them). Resolves with the
 * exit code once `stopped` resolves and the jobs in hand are finished.
 */
export async function runWorker(config: Config, log: Logger, stopped: Promise<void>, out: (line: string) => void): Promise<number> {
  const defaults = config.TRADING_MODE === 'live' ? BINANCE_LIVE : BINANCE_TESTNET;
  const httpBase = config.BINANCE_HTTP_BASE ?? (config.TRADING_MODE === 'paper' ? undefined : defaults.httpBase);
  if (httpBase === undefined) {
    out('telegrid worker: in paper mode a worker needs the sandbox the bot uses: run `telegrid sandbox` and point the bot and its workers at it with BINANCE_HTTP_BASE, BINANCE_WS_BASE and BINANCE_WS_API.');
    return 2;
  }
  const gateway = new BinanceGateway({
    apiKey: config.BINANCE_API_KEY ?? config.SANDBOX_API_KEY,
    apiSecret: config.BINANCE_API_SECRET ?? config.SANDBOX_API_SECRET,
    httpBase,
    wsBase: config.BINANCE_WS_BASE ?? defaults.wsBase,
    wsApi: config.BINANCE_WS_API ?? defaults.wsApi,
    clock: systemClock,
    requestTimeoutMs: config.EXCHANGE_TIMEOUT_MS,
  });
  const synced = await gateway.syncTime();
  if (!synced.ok) {
    out(`telegrid worker: cannot reach the exchange at ${httpBase}: ${synced.error.message}`);
    return 2;
  }
  const listed = await gateway.instruments();
  if (!listed.ok) {
    out(`telegrid worker: cannot read the exchange's rate limits: ${listed.error.message}`);
    return 2;
  }
  const connected = await connectRedis(config.REDIS_URL);
  if (!connected.ok) {
    out(`telegrid worker: ${connected.message}`);
    return 2;
  }
  const redis = connected.redis;
  const prefix = config.KEY_PREFIX;
  const workers = startOrderWorkers({
    connection: bullConnection(config.REDIS_URL),
    prefix,
    concurrency: config.ORDER_CONCURRENCY,
    gateway,
    budget: new RateGovernor({ redis, keyPrefix: prefix, rules: rulesFromExchangeInfo(gateway.rateLimits()), marginMs: config.RATE_LIMIT_MARGIN_MS }),
    time: systemTime,
    settleMs: config.UNKNOWN_SETTLE_SECONDS * 1000,
    absentConfirmMs: 1_000,
    log,
  });
  out(`telegrid worker: working the order queues of ${prefix} on ${httpBase} (${config.ORDER_CONCURRENCY} at once); Ctrl-C or SIGTERM to stop.`);
  await stopped;
  // Jobs in hand finish (BullMQ waits for them); nothing new is taken.
  await workers.close();
  await redis.quit();
  out('telegrid worker: stopped');
  return 0;
}
