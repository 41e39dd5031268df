import { z } from 'zod';
import { type Fixed, ROLES, type Result, type Role, failure, fx, isRole, ok, parseFixed } from '../domain/index.js';

const fixed = (name: string, example: string) =>
  z.string().transform((text, ctx): Fixed => {
    const v = parseFixed(text);
    if (v === undefined || v < 0n) {
      ctx.addIssue({ code: 'custom', message: `expected a non-negative decimal with at most 8 decimals, e.g. ${name}=${example}` });
      return z.NEVER;
    }
    return v;
  });

const whole = (example: string) =>
  z
    .string()
    .regex(/^\d+$/, `expected a whole number, e.g. ${example}`)
    .transform((s) => Number(s));

/**
 * A span in days, fractions allowed (a replay at speed keeps hours), at least about 15 minutes: finished history is kept
 * this long, and a kill switch's receipt or a late report must still find the orders it names.
 */
const days = (name: string, example: string) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, `expected a number of days, fractions allowed, e.g. ${name}=${example}`)
    .transform((s) => Number(s))
    .refine((v) => v >= 0.01 && v <= 3650, `expected 0.01 (about 15 minutes) to 3650 days, e.g. ${name}=${example}`);

/** A count cap on a piece of history in Redis, within what it is sane to ask for. */
const cap = (name: string, example: string, min: number, max: number) =>
  whole(`${name}=${example}`).refine((v) => v >= min && v <= max, `expected ${min} to ${max}, e.g. ${name}=${example}`);

const bool = (name: string) =>
  z.enum(['true', 'false'], { message: `expected true or false, e.g. ${name}=true` }).transform((s) => s === 'true');

const url = (example: string) => z.string().url(`expected a URL, e.g. ${example}`);

const balances = z.string().transform((text, ctx) => {
  const out: Record<string, Fixed> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [asset, amount] = part.split('=');
    const v = amount === undefined ? undefined : parseFixed(amount);
    if (!asset || !/^[A-Z0-9]{2,12}$/.test(asset) || v === undefined || v < 0n) {
      ctx.addIssue({ code: 'custom', message: `expected ASSET=AMOUNT pairs, e.g. USDT=10000,BTC=0.5 (bad part '${part}')` });
      return z.NEVER;
    }
    out[asset] = v;
  }
  return out;
});

const symbolList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim().toUpperCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[A-Z0-9]{5,20}$/, 'expected symbols like BTCUSDT,ETHUSDT')).min(1, 'expected at least one symbol'));

/** Like symbolList, but empty is allowed (no futures). */
const futuresSymbolList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim().toUpperCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[A-Z0-9]{5,20}$/, "expected Binance's names of perpetuals like BTCUSDT,ETHUSDT (no .P)")));

const chatIds = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^-?\d+$/, 'expected numeric chat ids, e.g. 123456789,-1001234567890')));

/** USER_ID:ROLE pairs; one role per user, and at least one owner (or nobody could change a setting or /resume). */
const telegramRoles = z.string().transform((text, ctx) => {
  const out: Record<string, Role> = {};
  const example = 'e.g. TELEGRAM_ROLES=123456789:owner,987654321:viewer';
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [user, role, extra] = part.split(':').map((x) => x.trim());
    if (!user || !/^\d{1,20}$/.test(user) || !role || !isRole(role) || extra !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected USER_ID:ROLE pairs (a Telegram user id; ROLE one of ${ROLES.join(', ')}), ${example} (bad part '${part}')`,
      });
      return z.NEVER;
    }
    if (out[user] !== undefined && out[user] !== role) {
      ctx.addIssue({ code: 'custom', message: `user ${user} is given two roles (${out[user]} and ${role}); give each user one` });
      return z.NEVER;
    }
    out[user] = role;
  }
  if (!Object.values(out).includes('owner')) {
    ctx.addIssue({ code: 'custom', message: `name at least one owner (users not listed are viewers), ${example}` });
    return z.NEVER;
  }
  return out;
});

const NOTIFY_KINDS = ['fill', 'denial', 'position', 'round_trip', 'unknown_order', 'kill', 'recovery', 'data', 'error', 'state'] as const;
const notifyLevels = z.string().transform((text, ctx) => {
  const out: Partial<Record<(typeof NOTIFY_KINDS)[number], 'on' | 'silent' | 'off'>> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [kind, level] = part.split('=').map((x) => x.trim());
    if (!(NOTIFY_KINDS as readonly string[]).includes(kind ?? '') || !['on', 'silent', 'off'].includes(level ?? '')) {
      ctx.addIssue({
        code: 'custom',
        message:
          `expected KIND=on|silent|off pairs with KIND one of ${NOTIFY_KINDS.join(', ')}, ` +
          `e.g. fill=silent,position=off (bad part '${part}')`,
      });
      return z.NEVER;
    }
    out[kind as (typeof NOTIFY_KINDS)[number]] = level as 'on' | 'silent' | 'off';
  }
  return out;
});

const marketData = z.string().regex(/^(synthetic|binance|replay:.+)$/, 'expected synthetic, binance or replay:<path to a Binance CSV>');

/** The longest dead-man bound, a week: anything longer is "off" in all but name. */
export const DEADMAN_MAX_SECONDS = 604_800;

/** Every setting, its default, and the form it takes. README's settings table mirrors this schema. */
const configSchema = z.object({
  TRADING_MODE: z.enum(['paper', 'testnet', 'live'], { message: 'expected paper, testnet or live' }).default('paper'),
  REDIS_URL: url('redis://127.0.0.1:6379').default('redis://127.0.0.1:6379'),
  KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,40}$/, 'expected letters, digits, : _ -')
    .default('telegrid'),
  /** A bot holds its KEY_PREFIX with a lease renewed every quarter of this; a crashed bot's lapses after it (issue 9). */
  PREFIX_LEASE_SECONDS: whole('PREFIX_LEASE_SECONDS=20')
    .refine((v) => v >= 4 && v <= 600, 'expected 4 to 600 seconds, e.g. PREFIX_LEASE_SECONDS=20')
    .default(20),
  /**
   * The dead-man's switch (issue 10): `telegrid watchdog` cancels every bot order and halts trading once the bot's
   * heartbeat is this old; 0 = off. /deadman overrides it at run time. At least PREFIX_LEASE_SECONDS (four heartbeats).
   */
  DEADMAN_AFTER_SECONDS: whole('DEADMAN_AFTER_SECONDS=300')
    .refine((v) => v <= DEADMAN_MAX_SECONDS, `expected 0 (off) to ${DEADMAN_MAX_SECONDS} seconds, e.g. DEADMAN_AFTER_SECONDS=300`)
    .default(0),
  /** How often `telegrid watchdog` looks at the bot's heartbeat. */
  WATCHDOG_POLL_SECONDS: whole('WATCHDOG_POLL_SECONDS=5')
    .refine((v) => v >= 1 && v <= 60, 'expected 1 to 60 seconds, e.g. WATCHDOG_POLL_SECONDS=5')
    .default(5),
  BINANCE_API_KEY: z.string().optional(),
  BINANCE_API_SECRET: z.string().optional(),
  BINANCE_HTTP_BASE: url('http://127.0.0.1:8181').optional(),
  BINANCE_WS_BASE: url('ws://127.0.0.1:8181/ws').optional(),
  BINANCE_WS_API: url('ws://127.0.0.1:8181/ws-api/v3').optional(),
  /**
   * USD-M perpetuals traded beside spot, by Binance's name (BTCUSDT trades as BTCUSDT.P inside the bot). Empty (the
   * default, in every mode, paper too): no futures gateway is opened and a `.P` order is refused. In paper mode each
   * must be one of the sandbox's symbols (MARKET_SYMBOLS or the tape's): its mark follows the same tape.
   */
  FUTURES_SYMBOLS: futuresSymbolList.default([]),
  /** USD-M REST root (without /fapi); default Binance's for the mode, in paper the sandbox's own port. */
  BINANCE_FUTURES_HTTP_BASE: url('https://fapi.binance.com').optional(),
  /**
   * USD-M stream root. Ending in `/ws`: one root carrying every stream and the user stream (fstream's legacy path, the
   * sandbox's `/fstream/ws`). Otherwise a host whose `/public/ws`, `/market/ws` and `/private/ws` are used (Binance's
   * 2026 split). Default Binance's for the mode; in paper the embedded sandbox's.
   */
  BINANCE_FUTURES_WS_BASE: url('wss://fstream.binance.com').optional(),
  /**
   * Binance's countdown cancel on each perpetual with open bot orders, refreshed with every heartbeat: if the bot stops
   * beating for this long, Binance cancels those orders itself. 0 = off; else at least PREFIX_LEASE_SECONDS.
   */
  FUTURES_COUNTDOWN_SECONDS: whole('FUTURES_COUNTDOWN_SECONDS=120')
    .refine((v) => v <= 3600, 'expected 0 (off) to 3600 seconds, e.g. FUTURES_COUNTDOWN_SECONDS=120')
    .default(120),
  SANDBOX_API_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,128}$/, 'expected 8 to 128 letters, digits, _ or -')
    .default('telegrid-sandbox-key'),
  SANDBOX_API_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,128}$/, 'expected 8 to 128 letters, digits, _ or -')
    .default('telegrid-sandbox-secret'),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'expected a BotFather token like 123456:ABC-DEF…')
    .optional(),
  TELEGRAM_API_ROOT: url('https://api.telegram.org').default('https://api.telegram.org'),
  TELEGRAM_ALLOWED_CHAT_IDS: chatIds.default([]),
  /** In groups, only these users may command (unset: every member of an allowed group). */
  TELEGRAM_ALLOWED_USER_IDS: chatIds.default([]),
  /**
   * Who may do what (owner, trader, viewer). Unset: everyone allowed is an owner. Set: users not named are viewers, and a
   * named user may command in every allowed chat even when TELEGRAM_ALLOWED_USER_IDS does not list them.
   */
  TELEGRAM_ROLES: telegramRoles.optional(),
  /** A command older than this when it reaches the bot (sent while it was down) is not run; the chat is told. */
  TELEGRAM_MAX_COMMAND_AGE_SECONDS: whole('TELEGRAM_MAX_COMMAND_AGE_SECONDS=120').default(120),
  /** Deadline of every Bot API call but a long poll (which gets its poll timeout plus this): a hung request is a failure. */
  TELEGRAM_REQUEST_TIMEOUT_SECONDS: whole('TELEGRAM_REQUEST_TIMEOUT_SECONDS=10')
    .refine((n) => n >= 1, 'expected at least 1 second')
    .default(10),
  /** After this long without a successful getUpdates the bot halts trading and says so: it can no longer hear /kill. */
  TELEGRAM_DEAF_HALT_SECONDS: whole('TELEGRAM_DEAF_HALT_SECONDS=120')
    .refine((n) => n >= 1, 'expected at least 1 second')
    .default(120),
  NOTIFY_LEVELS: notifyLevels.default({}),
  /** Webhook mode instead of long polling: the public https URL Telegram posts to (a reverse proxy in front). */
  TELEGRAM_WEBHOOK_URL: url('https://bot.example.com/telegram').optional(),
  /** Loopback port the webhook listens on behind the proxy. */
  TELEGRAM_WEBHOOK_PORT: whole('TELEGRAM_WEBHOOK_PORT=8443').default(8443),
  /** Telegram sends it with every webhook call; anything without it is refused. Required with TELEGRAM_WEBHOOK_URL. */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'expected 16 to 256 letters, digits, _ or -')
    .optional(),
  MARKET_DATA: marketData.default('synthetic'),
  BINANCE_PUBLIC_WS: url('wss://data-stream.binance.vision/ws').default('wss://data-stream.binance.vision/ws'),
  MARKET_SYMBOLS: symbolList.default(['BTCUSDT', 'ETHUSDT']),
  MARKET_SPEED: fixed('MARKET_SPEED', '1')
    .refine((v) => v > 0n, 'expected a speed above 0, e.g. MARKET_SPEED=1 (live pace) or 60 (a minute a second)')
    .default(fx('1')),
  SYNTHETIC_SEED: whole('SYNTHETIC_SEED=1').default(1),
  /** Where `telegrid data fetch` keeps data.binance.vision's archives, in that host's layout. */
  HISTORY_DIR: z.string().min(1, 'expected a folder, e.g. HISTORY_DIR=./history').default('./history'),
  /** The host `telegrid data fetch` downloads from: Binance's public archive, or a mirror of its layout. */
  HISTORY_BASE_URL: url('https://data.binance.vision').default('https://data.binance.vision'),
  /** Where the console saves a reply's picture (a chart), since a terminal cannot show one. */
  CHART_DIR: z.string().min(1, 'expected a folder, e.g. CHART_DIR=./charts').default('./charts'),
  PAPER_BALANCES: balances.default({ USDT: fx('10000') }),
  /** The paper USD-M account's starting wallet (USDT), apart from spot's PAPER_BALANCES as on Binance. */
  PAPER_FUTURES_WALLET: fixed('PAPER_FUTURES_WALLET', '10000')
    .refine((v) => v >= 0n, 'expected a wallet of 0 or more USDT, e.g. PAPER_FUTURES_WALLET=10000')
    .default(fx('10000')),
  /** Start the paper account afresh from PAPER_BALANCES, overwriting the one stored in Redis. */
  PAPER_RESET: bool('PAPER_RESET').default(false),
  MAKER_FEE: fixed('MAKER_FEE', '0.001').default(fx('0.001')),
  TAKER_FEE: fixed('TAKER_FEE', '0.001').default(fx('0.001')),
  GRID_DEFAULT_AMOUNT: fixed('GRID_DEFAULT_AMOUNT', '100').default(fx('100')),
  RISK_MAX_ORDER_NOTIONAL: fixed('RISK_MAX_ORDER_NOTIONAL', '5000').default(fx('5000')),
  RISK_MAX_OPEN_ORDERS_PER_SYMBOL: whole('RISK_MAX_OPEN_ORDERS_PER_SYMBOL=100').default(100),
  RISK_MAX_OPEN_ORDERS_TOTAL: whole('RISK_MAX_OPEN_ORDERS_TOTAL=400').default(400),
  RISK_MAX_POSITION_NOTIONAL: fixed('RISK_MAX_POSITION_NOTIONAL', '10000').default(fx('10000')),
  RISK_PRICE_BAND_PCT: fixed('RISK_PRICE_BAND_PCT', '10').default(fx('10')),
  /**
   * No new order on a symbol with no trade *received* for this long (the bot's clock, never the exchange's trade
   * time); 0 = off. 45 s: a 1m kline tape replayed at 1× has 30 s between trades, Binance's liquid pairs trade every second.
   */
  RISK_STALE_AFTER_SECONDS: whole('RISK_STALE_AFTER_SECONDS=45').default(45),
  /** The feed says "market data stale" after this long without a trade on an open stream; unset: RISK_STALE_AFTER_SECONDS. 0 = off. */
  MARKET_STALE_AFTER_SECONDS: whole('MARKET_STALE_AFTER_SECONDS=45').optional(),
  /** A market socket with no frame at all (Binance pings every 20 s) for this long is dead: cut and reopened. 0 = off. */
  MARKET_DEAD_AFTER_SECONDS: whole('MARKET_DEAD_AFTER_SECONDS=60')
    .refine((v) => v === 0 || v >= 30, 'expected 0 (off) or at least 30 s (Binance pings every 20 s), e.g. MARKET_DEAD_AFTER_SECONDS=60')
    .default(60),
  /**
   * Trade streams per market connection (Binance allows 1,024): 1,000 symbols in one URL is a 15 KB request line, close
   * to what HTTP servers take; 200 keeps each near 3 KB and a dropped socket costs a fifth of the market.
   */
  MARKET_STREAMS_PER_CONNECTION: whole('MARKET_STREAMS_PER_CONNECTION=200')
    .refine(
      (v) => v >= 2 && v <= 1024,
      'expected 2 to 1024 streams (Binance allows 1,024 a connection), e.g. MARKET_STREAMS_PER_CONNECTION=200',
    )
    .default(200),
  RISK_MAX_DAILY_LOSS: fixed('RISK_MAX_DAILY_LOSS', '500').default(fx('500')),
  /** USD-M: no order on a perpetual whose leverage is above this (0 = off). 20 is Binance's default leverage. */
  RISK_MAX_LEVERAGE: whole('RISK_MAX_LEVERAGE=20')
    .refine((v) => v <= 125, "expected 0 (off) to 125, Binance's highest leverage, e.g. RISK_MAX_LEVERAGE=20")
    .default(20),
  /** USD-M: an order that opens or grows a position must leave its liquidation price at least this % away (0 = off). */
  RISK_MIN_LIQUIDATION_DISTANCE_PCT: fixed('RISK_MIN_LIQUIDATION_DISTANCE_PCT', '15')
    .refine((v) => v < fx('100'), 'expected a percent below 100, e.g. RISK_MIN_LIQUIDATION_DISTANCE_PCT=15')
    .default(fx('15')),
  /** Run the order workers inside the bot (true), or only in `telegrid worker` processes on the same Redis (false). */
  /** Trade with an API key that can withdraw (refused at start otherwise): only if you accept what a leaked key could do. */
  ALLOW_WITHDRAWAL_KEY: bool('ALLOW_WITHDRAWAL_KEY').default(false),
  /** How long a call to the exchange may take before its outcome counts as unknown (and is settled by asking). */
  EXCHANGE_TIMEOUT_MS: whole('EXCHANGE_TIMEOUT_MS=10000')
    .refine((v) => v >= 100 && v <= 120_000, 'expected 100 to 120000 ms, e.g. EXCHANGE_TIMEOUT_MS=10000')
    .default(10_000),
  /** Added to every rate-limit window: our clock counts when a request leaves, the exchange's when it arrives. */
  RATE_LIMIT_MARGIN_MS: whole('RATE_LIMIT_MARGIN_MS=200').default(200),
  ORDER_WORKERS_IN_PROCESS: bool('ORDER_WORKERS_IN_PROCESS').default(true),
  ORDER_CONCURRENCY: whole('ORDER_CONCURRENCY=4')
    .refine((v) => v >= 1 && v <= 64, 'expected 1 to 64 order jobs at once, e.g. ORDER_CONCURRENCY=4')
    .default(4),
  UNKNOWN_SETTLE_SECONDS: whole('UNKNOWN_SETTLE_SECONDS=30')
    .refine((v) => v >= 1, 'expected at least 1 second, e.g. UNKNOWN_SETTLE_SECONDS=30')
    .default(30),
  /** The kill switch's receipt goes out this long after /kill at the latest, whatever the exchange does. */
  KILL_RECEIPT_SECONDS: whole('KILL_RECEIPT_SECONDS=10')
    .refine((v) => v >= 1 && v <= 300, 'expected 1 to 300 seconds, e.g. KILL_RECEIPT_SECONDS=10')
    .default(10),
  ORPHAN_ORDERS: z.enum(['adopt', 'cancel'], { message: 'expected adopt or cancel' }).default('adopt'),
  /** The audit trail (a Redis stream) is trimmed to about this many entries ... */
  AUDIT_MAX_ENTRIES: whole('AUDIT_MAX_ENTRIES=100000')
    .refine((v) => v >= 100 && v <= 10_000_000, 'expected 100 to 10000000 entries, e.g. AUDIT_MAX_ENTRIES=100000')
    .default(100_000),
  /**
   * ... and entries older than this (on the bot's clock: each entry's stream id is its time there) are trimmed too.
   * 90 days: a quarter of who did what, for a dispute with an exchange or a look back after an incident.
   */
  AUDIT_KEEP_DAYS: days('AUDIT_KEEP_DAYS', '90').default(90),
  /**
   * Finished orders (filled, cancelled, rejected, expired) stay in `state:orders` this long after they ended, on the
   * bot's clock, to recognise late or repeated reports of them; open orders and those whose outcome is unknown are
   * never dropped. A week outlasts any report Binance sends late, and any restart gap worth reconciling.
   */
  FINISHED_ORDERS_KEEP_DAYS: days('FINISHED_ORDERS_KEEP_DAYS', '7').default(7),
  /** ... and at most this many of them, the oldest dropped first. */
  FINISHED_ORDERS_KEEP_MAX: cap('FINISHED_ORDERS_KEEP_MAX', '10000', 100, 10_000_000).default(10_000),
  /** The fill journal (`state:fills`) keeps fills this long, on the bot's clock: a month of fills for a look back. */
  FILLS_KEEP_DAYS: days('FILLS_KEEP_DAYS', '30').default(30),
  /** ... and at most this many, the oldest dropped first. */
  FILLS_KEEP_MAX: cap('FILLS_KEEP_MAX', '100000', 100, 10_000_000).default(100_000),
  /**
   * The order queues' event streams (BullMQ's `events`) are trimmed to about this many events. The bot reads them live
   * (an outcome missed is read from its job after 3 s), so they need only cover a burst: 10,000 is BullMQ's own default.
   */
  QUEUE_EVENTS_MAX_LEN: cap('QUEUE_EVENTS_MAX_LEN', '10000', 100, 1_000_000).default(10_000),
  /**
   * Finished placement jobs kept per queue (completed, and failed apart), besides their age (an hour; a day when failed,
   * on wall time): a placement queued again within them is a no-op that reads the outcome. 1,000 covers any burst.
   */
  QUEUE_JOBS_KEEP: cap('QUEUE_JOBS_KEEP', '1000', 10, 1_000_000).default(1_000),
  /** The loopback port of `/metrics` (Prometheus) and `/health`; 0 = no such server. */
  METRICS_PORT: whole('METRICS_PORT=9464')
    .refine((v) => v <= 65_535, 'expected a port up to 65535 (0 = off), e.g. METRICS_PORT=9464')
    .default(9464),
  /** Where that server listens: loopback by default; 0.0.0.0 in a container whose port a Prometheus on the host scrapes. */
  METRICS_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:_-]{1,253}$/, 'expected a host name or IP address, e.g. METRICS_HOST=127.0.0.1')
    .default('127.0.0.1'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
  LOG_FILE: z.string().optional(),
});

export type Config = z.output<typeof configSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string };

/** Parses the environment; an empty string counts as unset, so `KEY=` in a .env falls back to the default. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v.trim() !== '') input[key] = v.trim();
  }
  const parsed = configSchema.safeParse(input);
  const lines = parsed.success ? [] : parsed.error.issues.map((i) => `  - ${i.path.join('.') || 'settings'}: ${i.message}`);
  // Checked on the raw input so that this problem is listed together with every other one.
  if (input.TELEGRAM_WEBHOOK_URL && !input.TELEGRAM_WEBHOOK_SECRET)
    lines.push('  - TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL');
  const mode = input.TRADING_MODE;
  if (mode === 'testnet' || mode === 'live') {
    for (const key of ['BINANCE_API_KEY', 'BINANCE_API_SECRET']) {
      if (!input[key]) lines.push(`  - ${key}: required when TRADING_MODE=${mode}`);
    }
  }
  // Shorter than the lease, the switch would fire on a heartbeat or two that came late.
  if (parsed.success && parsed.data.DEADMAN_AFTER_SECONDS > 0 && parsed.data.DEADMAN_AFTER_SECONDS < parsed.data.PREFIX_LEASE_SECONDS)
    lines.push(
      `  - DEADMAN_AFTER_SECONDS: expected 0 (off) or at least PREFIX_LEASE_SECONDS (${parsed.data.PREFIX_LEASE_SECONDS}), ` +
        'e.g. DEADMAN_AFTER_SECONDS=300',
    );
  if (
    parsed.success &&
    parsed.data.FUTURES_COUNTDOWN_SECONDS > 0 &&
    parsed.data.FUTURES_COUNTDOWN_SECONDS < parsed.data.PREFIX_LEASE_SECONDS
  )
    lines.push(
      `  - FUTURES_COUNTDOWN_SECONDS: expected 0 (off) or at least PREFIX_LEASE_SECONDS (${parsed.data.PREFIX_LEASE_SECONDS}), ` +
        'e.g. FUTURES_COUNTDOWN_SECONDS=120',
    );
  if (parsed.success && lines.length === 0) return { ok: true, config: parsed.data };
  return {
    ok: false,
    message: `telegrid cannot start: ${lines.length} setting(s) are invalid:\n${lines.join('\n')}\nSee README.md#settings.`,
  };
}

function asResult<T>(parsed: { success: true; data: T } | { success: false; error: z.ZodError }): Result<T> {
  if (parsed.success) return ok(parsed.data);
  return failure('BAD_SETTING', parsed.error.issues.map((i) => i.message).join('; '));
}

/** ASSET=AMOUNT pairs, as PAPER_BALANCES and `telegrid sandbox --balances` take them. */
export function parseBalances(text: string): Result<Record<string, Fixed>> {
  return asResult(balances.safeParse(text));
}

/** A comma-separated symbol list, as MARKET_SYMBOLS and `telegrid sandbox --symbols` take it. */
export function parseSymbols(text: string): Result<string[]> {
  return asResult(symbolList.safeParse(text));
}

/**
 * Who may command in an allowed group (the transport's list): TELEGRAM_ALLOWED_USER_IDS and every user TELEGRAM_ROLES
 * names; undefined (every member of an allowed group) when TELEGRAM_ALLOWED_USER_IDS is unset.
 */
export function allowedUserIdsOf(config: Config): string[] | undefined {
  if (config.TELEGRAM_ALLOWED_USER_IDS.length === 0) return undefined;
  return [...new Set([...config.TELEGRAM_ALLOWED_USER_IDS, ...Object.keys(config.TELEGRAM_ROLES ?? {})])];
}

/** Values that must never reach a log line or a chat message. */
export function secretsOf(config: Config): string[] {
  return [config.BINANCE_API_KEY, config.BINANCE_API_SECRET, config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_WEBHOOK_SECRET].filter(
    (s): s is string => typeof s === 'string' && s.length >= 4,
  );
}

/** The name of every setting, for the check that README's settings table lists each one. */
export const SETTING_NAMES: readonly string[] = Object.keys(configSchema.shape);
