import type { Redis } from 'ioredis';
import { TradingFirst } from '../engine/index.js';
import type { ExchangeGateway } from '../exchange/index.js';
import {
  type OrderWorkers,
  type PipelineTime,
  QueueExecutor,
  RateGovernor,
  type StateSaver,
  rulesFromExchangeInfo,
  startOrderWorkers,
} from '../execution/index.js';
import type { BinanceGateway } from '../exchange/binance/index.js';
import type { MarketRouter } from '../exchange/routing/index.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { bullConnection } from './redis-connection.js';

/** The BullMQ order pipeline of one prefix: the shared rate budget, and the workers when this process runs them. */
export interface Pipeline {
  readonly governor: RateGovernor;
  readonly workers?: OrderWorkers;
  /** Where work off the trading path (notifications, the audit) waits while the executor's orders are on their way. */
  readonly tradingFirst: TradingFirst;
  /**
   * The bot's executor on the bus; it enqueues only once `state` has saved (the state is in Redis first), and with the
   * workers in this process its fast lane asks for the budget in the state's own transaction.
   */
  executor(state: StateSaver): QueueExecutor;
  /** Lets the jobs in hand finish, then stops taking new ones. */
  close(): Promise<void>;
}

export interface PipelineParts {
  /** Spot and perpetuals; the budget is spot's exchangeInfo limits (futures requests pay into the same budget). */
  readonly gateway: MarketRouter<BinanceGateway>;
  readonly redis: Redis;
  /** The clock the shared rate budget counts on (wall time; tests may run it faster, with the exchange on the same). */
  readonly time: PipelineTime;
  readonly log: Logger;
}

/**
 * The pipeline as the bot and `telegrid worker` both build it: one rate budget from the exchange's own limits, and the
 * workers (in the bot unless ORDER_WORKERS_IN_PROCESS=false; always in a worker process).
 */
export function openPipeline(config: Config, parts: PipelineParts, runWorkers = config.ORDER_WORKERS_IN_PROCESS): Pipeline {
  const prefix = config.KEY_PREFIX;
  const connection = bullConnection(config.REDIS_URL);
  const governor = new RateGovernor({
    redis: parts.redis,
    keyPrefix: prefix,
    rules: rulesFromExchangeInfo(parts.gateway.spot.rateLimits()),
    marginMs: config.RATE_LIMIT_MARGIN_MS,
  });
  const workers = runWorkers ? startWorkers(config, parts.gateway, governor, parts.time, parts.log) : undefined;
  const tradingFirst = new TradingFirst();
  return {
    governor,
    ...(workers ? { workers } : {}),
    tradingFirst,
    executor: (state) =>
      new QueueExecutor({
        connection,
        prefix,
        log: parts.log,
        state,
        tradingFirst,
        ...(workers ? { fastLane: { budget: governor, sender: workers, capacity: config.ORDER_CONCURRENCY, time: parts.time } } : {}),
        retention: { eventsMaxLen: config.QUEUE_EVENTS_MAX_LEN, finishedJobs: config.QUEUE_JOBS_KEEP },
      }),
    close: async () => {
      await workers?.close();
    },
  };
}

function startWorkers(config: Config, gateway: ExchangeGateway, budget: RateGovernor, time: PipelineTime, log: Logger): OrderWorkers {
  return startOrderWorkers({
    connection: bullConnection(config.REDIS_URL),
    prefix: config.KEY_PREFIX,
    concurrency: config.ORDER_CONCURRENCY,
    gateway,
    budget,
    time,
    settleMs: config.UNKNOWN_SETTLE_SECONDS * 1000,
    // Twice "absent" over this long before a placement whose outcome was unknown is placed again (same id).
    absentConfirmMs: 1_000,
    log,
  });
}
