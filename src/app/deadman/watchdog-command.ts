import { hostname } from 'node:os';
import { perpetualSymbol } from '../../domain/index.js';
import { systemClock } from '../../engine/index.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { redisWhere } from '../prefix-owner.js';
import { connectRedis } from '../redis-connection.js';
import { binanceExchange, reachExchange } from '../venue.js';
import { sharedSandbox } from '../worker-command.js';
import { telegramAlert } from './chat-alert.js';
import { botOf } from './deadman-texts.js';
import { Watchdog, type WatchdogEvent } from './watchdog.js';

/**
 * `telegrid watchdog` (issue 10): the dead-man's switch, a small process on the bot's Redis (REDIS_URL, KEY_PREFIX),
 * exchange and key, and Telegram token and chats, beside the bot or on another machine. It watches the bot's heartbeat
 * and, once it is older than the bound, halts trading, cancels every bot order and tells the chats (see watchdog.ts).
 * Resolves with the exit code: 0 once `stopped` resolves, 2 when it cannot start or the bot trades elsewhere. `listen`
 * hears every look (tests wait on them).
 */
export async function runWatchdog(
  config: Config,
  log: Logger,
  stopped: Promise<void>,
  out: (line: string) => void,
  listen?: (e: WatchdogEvent) => void,
): Promise<number> {
  const exchange = config.TRADING_MODE === 'paper' ? sharedSandbox(config) : binanceExchange(config);
  if (exchange === undefined) {
    // Not an error (compose starts the watchdog with the bot's .env, whatever the mode): nothing trades while such a bot
    // is down, so there is nothing to guard. It waits, so a restart policy does not loop on it.
    out(
      "telegrid watchdog: nothing to guard: a paper bot's own sandbox stops with it, and its orders rest unmatched until it is " +
        'back. To guard a paper bot, run `telegrid sandbox` and point the bot and the watchdog at it with BINANCE_HTTP_BASE, ' +
        'BINANCE_WS_BASE and BINANCE_WS_API. Waiting; Ctrl-C or SIGTERM to stop.',
    );
    await stopped;
    return 0;
  }
  const reached = await reachExchange(config, { clock: systemClock, log }, exchange, []);
  if (!reached.ok) {
    out(`telegrid watchdog: ${reached.error.message}`);
    return 2;
  }
  // The router: with FUTURES_SYMBOLS the watchdog also cancels the bot's perpetual orders (besides Binance's countdown).
  const { gateway, router, futuresSide } = reached.value;
  const connected = await connectRedis(config.REDIS_URL);
  if (!connected.ok) {
    out(`telegrid watchdog: ${connected.message}`);
    return 2;
  }
  const redis = connected.redis;
  const token = config.TELEGRAM_BOT_TOKEN;
  const chats = config.TELEGRAM_ALLOWED_CHAT_IDS;
  if (!token || chats.length === 0)
    out('telegrid watchdog: no TELEGRAM_BOT_TOKEN or TELEGRAM_ALLOWED_CHAT_IDS: when it acts, only this output and the log say so.');
  const watchdog = new Watchdog({
    redis,
    prefix: config.KEY_PREFIX,
    configuredSeconds: config.DEADMAN_AFTER_SECONDS,
    pollMs: config.WATCHDOG_POLL_SECONDS * 1000,
    self: { host: hostname(), pid: process.pid },
    mine: { mode: config.TRADING_MODE, exchange: exchange.endpoints.httpBase, apiKey: exchange.apiKey },
    venue: router,
    // The exchange refuses a request signed with a clock too far off; the watchdog may have run for weeks.
    prepare: async () => void (await Promise.all([gateway.syncTime(), futuresSide?.gateway.syncTime()])),
    symbols: [...config.MARKET_SYMBOLS, ...config.FUTURES_SYMBOLS.map(perpetualSymbol)],
    ...(token && chats.length > 0 ? { alert: telegramAlert({ token, apiRoot: config.TELEGRAM_API_ROOT, chatIds: chats }) } : {}),
    log,
  });
  if (listen) watchdog.on(listen);
  const where = `KEY_PREFIX "${config.KEY_PREFIX}" on Redis ${redisWhere(config.REDIS_URL)}`;
  let said = '';
  const mismatch = new Promise<string>((resolve) =>
    watchdog.on((e) => {
      if (e.kind === 'mismatch') return resolve(e.text);
      const line = describe(e, where);
      if (line !== undefined && line !== said) out(`telegrid watchdog: ${line}`);
      if (line !== undefined) said = line;
    }),
  );
  watchdog.start();
  const ended = await Promise.race([stopped.then(() => undefined), mismatch]);
  await watchdog.stop();
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
  if (ended !== undefined) {
    out(`telegrid watchdog: refusing to act for ${where}: ${ended}. Give the watchdog the bot's TRADING_MODE, BINANCE_* URLs and key.`);
    return 2;
  }
  out('telegrid watchdog: stopped');
  return 0;
}

/** What the watchdog says when its view changes (never once per poll). */
function describe(e: Exclude<WatchdogEvent, { kind: 'mismatch' }>, where: string): string | undefined {
  switch (e.kind) {
    case 'acted':
      return e.text;
    case 'back':
      return `${botOf(e.beat)} is beating again: standing down and watching it (trading stays HALTED until /resume).`;
    case 'look':
      switch (e.phase) {
        case 'off':
          return `the dead-man's switch is off for ${where} (DEADMAN_AFTER_SECONDS=0, none set with /deadman); watching in case it is set.`;
        case 'no-heartbeat':
          return `no bot has beaten on ${where} yet; waiting for one.`;
        case 'alive':
          return `watching ${where}: after ${e.boundSeconds} s without a heartbeat, every bot order is cancelled and trading halted.`;
        case 'acted':
          return undefined;
      }
  }
}
