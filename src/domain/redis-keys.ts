/**
 * Every Redis key telegrid writes, in one table (issue 9). Each writer builds its keys with a family's `key` and nothing
 * else (a Lua script gets its keys through KEYS[] from these builders), so a key's name is defined once, here; the one
 * exception is BullMQ, which names its own keys under `<prefix>:<queue>:` (their families are listed all the same).
 * docs/OPERATIONS.md prints this table (test/domain/redis-keys.test.ts keeps it equal and finds any key built outside
 * it in src/); test/app/redis-keys-run.test.ts runs the whole bot and checks that every key it touches matches exactly
 * one family and that every family but the rare ones is written; test/app/redis-keys-rare.test.ts writes the rare ones.
 *
 * It lives in domain/ because every layer writes keys and domain/ is the one folder all of them (sandbox/ included) may
 * import. Everything is under the bot's KEY_PREFIX, so one bot's keys never meet another's; a template below is the
 * part after `<prefix>:`, with `<part>`s the writer fills in.
 */

/** The two BullMQ order queues (execution/pipeline): cancels have their own, so no placement backlog delays them. */
export const ORDER_QUEUES = { place: 'orders-place', cancel: 'orders-cancel' } as const;

/** What each `<part>` of a template may be: a regex for every value the bot puts there, and what it is. */
const PARTS = {
  chat: { re: '-?\\d+', means: 'a Telegram chat id (negative for a group)' },
  rule: { re: '(?:orders|weight):\\d+[smhd]', means: "one of the exchange's rate limits, e.g. `weight:1m`, `orders:10s`" },
  queue: { re: `${ORDER_QUEUES.place}|${ORDER_QUEUES.cancel}`, means: `\`${ORDER_QUEUES.place}\` or \`${ORDER_QUEUES.cancel}\`` },
  // BullMQ's job ids are ours: the order's client order id (tg_…, Binance's 36 characters), or sweep-KILL.
  job: {
    re: 'tg_[A-Za-z0-9_-]{1,33}|sweep-[A-Z0-9]{1,20}',
    means: "a job id: the order's client order id, or `sweep-KILL` (the kill switch's sweep)",
  },
  // BullMQ's own names (classes/queue-keys.js and its Lua): lists, sets, sorted sets, a hash and an event stream.
  bullmq: {
    re:
      'id|meta|events|wait|paused|active|prioritized|delayed|completed|failed|stalled|stalled-check|waiting-children|' +
      'limiter|marker|pc|repeat|de:.+|metrics:(?:completed|failed)(?::data)?',
    means: "one of BullMQ's own keys (`wait`, `active`, `events`, `meta`, `id`, `marker`, `completed`, …)",
  },
  jobpart: { re: 'lock|logs', means: "a job's lock (held while a worker runs it) or log" },
  // MARKET_SYMBOLS and FUTURES_SYMBOLS: Binance's names, a perpetual with the bot's `.P`.
  symbol: { re: '[A-Z0-9]{5,20}(?:\\.P)?', means: 'a symbol the bot watches, e.g. `BTCUSDT`, `ETHUSDT.P` (a perpetual)' },
  interval: { re: '1m|1h|4h', means: 'a candle interval kept in memory: `1m`, `1h` or `4h`' },
} as const;

export type RedisKeyPart = keyof typeof PARTS;

/** One string per `<part>` of a template (`'q:<chat>:u'` → `[string]`): a builder takes no part too many or too few. */
type PartValues<T extends string> = T extends `${string}<${string}>${infer Rest}` ? [string, ...PartValues<Rest>] : [];

type RedisKeyType = 'string' | 'hash' | 'list' | 'set' | 'zset' | 'stream' | 'BullMQ';

/**
 * When a family's keys exist: `run`, in any run that trades (a test of the full run sees them); `brief`, for moments
 * inside any run (the full run must name them); `rare`, only on a path a run may never take (a test triggers each).
 */
type RedisKeySeen = 'run' | 'brief' | 'rare';

export type RedisKeyGroup = 'owner' | 'deadman' | 'state' | 'trading' | 'rate' | 'queue' | 'outbox' | 'audit' | 'candles' | 'sandbox';

export interface RedisKeyFamily<T extends string = string> {
  readonly group: RedisKeyGroup;
  /** After `<prefix>:`. */
  readonly template: T;
  readonly type: RedisKeyType;
  /** The module that writes it (and the only one). */
  readonly writer: string;
  readonly holds: string;
  readonly seen: RedisKeySeen;
  /** When it is written and when it goes, for the owner reading docs/OPERATIONS.md. */
  readonly when: string;
  /** Matches the part after `<prefix>:` of every key of the family, and nothing else. */
  readonly pattern: RegExp;
  key(prefix: string, ...parts: PartValues<T>): string;
}

function family<const T extends string>(template: T, spec: Omit<RedisKeyFamily<T>, 'template' | 'pattern' | 'key'>): RedisKeyFamily<T> {
  // Even indexes are literal text, odd ones part names: 'q:<chat>:u' → ['q:', 'chat', ':u'].
  const pieces = template.split(/<([a-z]+)>/);
  const source = pieces.map((piece, i) =>
    i % 2 === 0 ? piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : `(?:${PARTS[piece as RedisKeyPart].re})`,
  );
  return {
    ...spec,
    template,
    pattern: new RegExp(`^${source.join('')}$`),
    key(prefix, ...parts) {
      let out = `${prefix}:${pieces[0]}`;
      for (let i = 1; i < pieces.length; i += 2) out += `${(parts as readonly string[])[(i - 1) / 2]}${pieces[i + 1]}`;
      return out;
    },
  };
}

const LEASE = 'app/prefix-lease-claim PrefixLease';
const STATE = 'store/BotStateStore';
const RATE = 'execution/pipeline RateGovernor';
const OUTBOX = 'chat/outbox OutboxStore';
const BULLMQ = 'BullMQ, for execution/pipeline QueueExecutor and OrderWorkers';

/** The table. Adding a key anywhere means adding its family here first (the full-run test fails otherwise). */
export const REDIS_KEYS = {
  ownerLease: family('owner:lease', {
    group: 'owner',
    type: 'string',
    writer: LEASE,
    seen: 'run',
    holds: 'which bot owns the prefix: host, pid, mode, exchange, start, heartbeat, a random token (JSON)',
    when: 'taken at start, renewed every PREFIX_LEASE_SECONDS/4, expires with the lease, deleted at a clean stop',
  }),
  ownerFingerprint: family('owner:fingerprint', {
    group: 'owner',
    type: 'string',
    writer: LEASE,
    seen: 'run',
    holds: 'where the owner trades: mode, exchange REST base, `sha256:` of its API key, the lease token (JSON)',
    when: 'with every heartbeat once the exchange is open; expires and is deleted with the lease',
  }),
  deadmanHeartbeat: family('deadman:heartbeat', {
    group: 'deadman',
    type: 'string',
    writer: LEASE,
    seen: 'run',
    holds: "the bot's last heartbeat: the lease record with Redis's time of the beat, and of a clean stop (JSON); no expiry",
    when: 'at start and with every lease renewal (PREFIX_LEASE_SECONDS/4); marked stopped at a clean stop',
  }),
  deadmanSwitch: family('deadman:switch', {
    group: 'deadman',
    type: 'hash',
    writer: 'chat /deadman (app/deadman DeadmanSetting) and `telegrid watchdog` (app/deadman Watchdog)',
    seen: 'rare',
    holds: "`after`: the bound set with /deadman (s, 0 = off); `watchdog`: the watchdog's last look; `fired`: the last death it acted on",
    when: 'rare: on /deadman SECONDS|off; with every look of a running `telegrid watchdog`, and when it acts',
  }),
  stateVersion: family('state:version', {
    group: 'state',
    type: 'string',
    writer: STATE,
    seen: 'run',
    holds: 'the version of the stored shapes (`1`)',
    when: 'with every state write',
  }),
  stateOrders: family('state:orders', {
    group: 'state',
    type: 'hash',
    writer: STATE,
    seen: 'run',
    holds: 'client order id → the tracked order (JSON, amounts as `{"$big":…}`)',
    when:
      'after each dispatch that changed an order; a finished order is deleted FINISHED_ORDERS_KEEP_DAYS after it ended ' +
      "(the bot's clock) or beyond FINISHED_ORDERS_KEEP_MAX; an open or unknown one never",
  }),
  stateGrids: family('state:grids', {
    group: 'state',
    type: 'hash',
    writer: STATE,
    seen: 'run',
    holds: 'grid id → the grid: ladder, levels, armed orders, round trips (JSON)',
    when: 'after each dispatch that changed a grid',
  }),
  statePortfolio: family('state:portfolio', {
    group: 'state',
    type: 'string',
    writer: STATE,
    seen: 'run',
    holds: 'positions, average costs, PnL, fees, balances (JSON)',
    when: 'after a fill or a balance report',
  }),
  stateFutures: family('state:futures', {
    group: 'state',
    type: 'string',
    writer: STATE,
    seen: 'run',
    holds: 'USD-M book: per perpetual the position, realized PnL, fees, funding, leverage and margin mode; the wallet (JSON)',
    when: 'after a futures position change, a funding settlement or an account update',
  }),
  stateIds: family('state:ids', {
    group: 'state',
    type: 'string',
    writer: STATE,
    seen: 'run',
    holds: 'the last number handed out per id prefix (grid ids, manual order ids)',
    when: 'when a grid starts, stops or completes a round trip',
  }),
  stateTrading: family('state:trading', {
    group: 'state',
    type: 'string',
    writer: STATE,
    seen: 'run',
    holds: 'the trading state with its reason and time (JSON)',
    when: 'when the trading state changes, and in full after a first start; set HALTED by `telegrid watchdog` when the bot is dead',
  }),
  stateFills: family('state:fills', {
    group: 'state',
    type: 'list',
    writer: STATE,
    seen: 'run',
    holds: "a journal of fills (JSON), oldest first: those of the last FILLS_KEEP_DAYS (the bot's clock), at most FILLS_KEEP_MAX",
    when: 'after each fill; older ones dropped by a state write once a minute at most (so one may outlive its age by a minute)',
  }),
  tradingState: family('trading:state', {
    group: 'trading',
    type: 'string',
    writer: 'execution/pipeline SharedTradingState',
    seen: 'run',
    holds: '`ACTIVE`, `REDUCING` or `HALTED`: the copy every process reads; the rate budget script refuses placements on it',
    when: 'at start and on every change (the kill switch waits for it); set HALTED by `telegrid watchdog` when the bot is dead',
  }),
  rateSeq: family('rate:seq', {
    group: 'rate',
    type: 'string',
    writer: RATE,
    seen: 'run',
    holds: 'a counter that keeps log members unique',
    when: 'with each request; expires when idle',
  }),
  rateLog: family('rate:log:<rule>', {
    group: 'rate',
    type: 'zset',
    writer: RATE,
    seen: 'run',
    holds:
      "the requests inside the rule's sliding window (time → `time:seq:amount`; a window of an hour or more, Binance's " +
      'orders per day, one entry per 1/1440 of it: `end:b:amount`)',
    when: 'with each request; expires when idle',
  }),
  rateSum: family('rate:sum:<rule>', {
    group: 'rate',
    type: 'string',
    writer: RATE,
    seen: 'run',
    holds: "the sum of the rule's log, so a request never adds it up",
    when: 'with each request; expires when idle',
  }),
  ratePause: family('rate:pause', {
    group: 'rate',
    type: 'string',
    writer: RATE,
    seen: 'rare',
    holds: 'until when (ms) no request may go out, shared by every process',
    when: "rare: after a 429/418, for Binance's Retry-After; expires after a week",
  }),
  rateLine: family('rate:line', {
    group: 'rate',
    type: 'hash',
    writer: RATE,
    seen: 'run',
    holds:
      'placement job id → when it was granted, for the placements still being worked: a placement waits while one ' +
      "taken from the queue before it (BullMQ's active list) is not here, so the order window is used in queue order",
    when: 'with each placement granted; an entry goes at the next grant after its job leaves; expires when idle',
  }),
  queueInternal: family('<queue>:<bullmq>', {
    group: 'queue',
    type: 'BullMQ',
    writer: BULLMQ,
    seen: 'run',
    holds: 'the queue: waiting, active and finished job ids, id counter, events stream, settings',
    when: 'while orders are placed and cancelled; the events stream trimmed to about QUEUE_EVENTS_MAX_LEN',
  }),
  queueJob: family('<queue>:<job>', {
    group: 'queue',
    type: 'hash',
    writer: BULLMQ,
    seen: 'run',
    holds: 'one job: the order or cancel (our exact JSON), attempts, outcome',
    when:
      'enqueued after the state write; a placement kept an hour after it completes (a day after it failed), the last ' +
      'QUEUE_JOBS_KEEP at most; a cancel deleted at once',
  }),
  queueJobPart: family('<queue>:<job>:<jobpart>', {
    group: 'queue',
    type: 'BullMQ',
    writer: BULLMQ,
    seen: 'brief',
    holds: "a job's lock token (or its log)",
    when: 'brief: while a worker runs the job',
  }),
  outboxSeq: family('outbox:seq', {
    group: 'outbox',
    type: 'string',
    writer: OUTBOX,
    seen: 'run',
    holds: 'the last notification id (and window log member) handed out',
    when: 'with each notification',
  }),
  outboxItems: family('outbox:items', {
    group: 'outbox',
    type: 'hash',
    writer: OUTBOX,
    seen: 'run',
    holds: 'id → the notification, reply part, picture (base64, at most 1 MiB of PNG) or edit (JSON)',
    when: 'from enqueue until Telegram took it (or refused it for good)',
  }),
  outboxChats: family('outbox:chats', {
    group: 'outbox',
    type: 'set',
    writer: OUTBOX,
    seen: 'run',
    holds: 'the chats with something waiting',
    when: 'while a chat has notifications waiting',
  }),
  outboxUrgent: family('outbox:q:<chat>:u', {
    group: 'outbox',
    type: 'list',
    writer: OUTBOX,
    seen: 'run',
    holds: "the ids of a chat's urgent messages (a halt, a denial, an unknown order, a fault, a kill reply, an edit), oldest first",
    when: 'while they wait',
  }),
  outboxRoutine: family('outbox:q:<chat>:r', {
    group: 'outbox',
    type: 'list',
    writer: OUTBOX,
    seen: 'run',
    holds: "the ids of a chat's other notifications and replies, oldest first",
    when: 'while they wait',
  }),
  outboxInflight: family('outbox:inflight:<chat>', {
    group: 'outbox',
    type: 'string',
    writer: OUTBOX,
    seen: 'brief',
    holds: "the chat's message being sent: owner, lease, the ids it carries (JSON)",
    when: "brief: from claim to Telegram's answer",
  }),
  outboxChatLog: family('outbox:log:<chat>', {
    group: 'outbox',
    type: 'zset',
    writer: OUTBOX,
    seen: 'run',
    holds: "the chat's messages inside its pacing window",
    when: 'with each message; expires a minute after the window',
  }),
  outboxLog: family('outbox:log', {
    group: 'outbox',
    type: 'zset',
    writer: OUTBOX,
    seen: 'run',
    holds: "the bot's messages inside the overall pacing window",
    when: 'with each message; expires a minute after the window',
  }),
  outboxPause: family('outbox:pause:<chat>', {
    group: 'outbox',
    type: 'string',
    writer: OUTBOX,
    seen: 'rare',
    holds: 'until when (ms) the chat waits',
    when: "rare: after Telegram's 429 (retry_after) or an error answer; then kept, one per chat",
  }),
  outboxFails: family('outbox:fails', {
    group: 'outbox',
    type: 'hash',
    writer: OUTBOX,
    seen: 'rare',
    holds: 'id → error answers so far (sets the retry backoff)',
    when: 'rare: after an error answer, until sent or refused for good',
  }),
  outboxUncertain: family('outbox:uncertain', {
    group: 'outbox',
    type: 'hash',
    writer: OUTBOX,
    seen: 'rare',
    holds: 'ids a dead process may already have sent (resent marked as maybe repeated)',
    when: 'rare: a process died while sending',
  }),
  outboxDead: family('outbox:dead', {
    group: 'outbox',
    type: 'hash',
    writer: OUTBOX,
    seen: 'rare',
    holds: 'entries that could not be read, kept as they were (`note:<id>`, `inflight:<chat>:<time>`)',
    when: 'rare: a damaged entry was set aside (the chat is told); never deleted by the bot',
  }),
  auditLog: family('audit:log', {
    group: 'audit',
    type: 'stream',
    writer: 'audit/AuditTrail',
    seen: 'run',
    holds: 'the audit trail: commands, confirmations, refusals, orders sent and cancelled, state changes (one JSON field each)',
    when:
      "with each of them, its id the bot's clock; trimmed to about AUDIT_MAX_ENTRIES (XADD MAXLEN ~) " +
      'and AUDIT_KEEP_DAYS (XTRIM MINID ~)',
  }),
  candles: family('candles:<symbol>:<interval>', {
    group: 'candles',
    type: 'list',
    writer: 'app/candle-copy CandleCopy',
    seen: 'run',
    holds:
      "the symbol's closed candles at the interval, oldest first, at most as many as memory keeps (a week of 1m, 90 days " +
      'of 1h, a year of 4h); one `openTime,open,high,low,close,volume` line each (ms, exact decimals)',
    when: 'as candles close (RPUSH and LTRIM in one MULTI, off the trading path); read back at start; no expiry',
  }),
  sandboxAccount: family('v1:sandbox:account', {
    group: 'sandbox',
    type: 'string',
    writer: 'sandbox/server/store AccountStore',
    seen: 'run',
    holds: "the paper account: balances, open orders, the exchange's ids (versioned JSON)",
    when: 'paper mode on its own sandbox (or `telegrid sandbox`): at most every 250 ms',
  }),
} as const satisfies Record<string, RedisKeyFamily>;

export type RedisKeyName = keyof typeof REDIS_KEYS;

/** What a group of keys is, and what losing it costs (docs/OPERATIONS.md section 8). */
export const REDIS_KEY_GROUPS: Readonly<Record<RedisKeyGroup, { readonly glob: string; readonly holds: string; readonly ifLost: string }>> =
  {
    owner: {
      glob: 'owner:*',
      holds: 'which bot owns the prefix and where it trades (section 9); both expire with the lease',
      ifLost: 'nothing: the running bot writes both again on its next heartbeat',
    },
    deadman: {
      glob: 'deadman:*',
      holds: "the bot's last heartbeat and the dead-man's switch: the bound set in the chat, the watchdog's last look and action",
      ifLost: 'the bound set with /deadman (DEADMAN_AFTER_SECONDS applies again); a running bot writes its heartbeat again within seconds',
    },
    state: {
      glob: 'state:*',
      holds: "the bot's state: open and recently finished orders, every grid, positions and PnL, id counters, a journal of recent fills",
      ifLost:
        "grids, PnL history and the bot's knowledge of its orders; " +
        'its `tg_` orders on Binance come back as orphans (`ORPHAN_ORDERS=adopt` or `cancel`)',
    },
    trading: {
      glob: 'trading:*',
      holds: 'ACTIVE / REDUCING / HALTED, the copy workers check before each placement',
      ifLost: 'nothing: the bot writes it again from `state:trading` at start and on every change',
    },
    rate: { glob: 'rate:*', holds: 'the shared request budget and any 429 pause', ifLost: 'nothing that matters; it refills' },
    queue: {
      glob: '<queue>:*',
      holds: 'the BullMQ order queues',
      ifLost: 'queued placements (the next start queues again what the exchange never saw)',
    },
    outbox: {
      glob: 'outbox:*',
      holds: 'notifications and command replies not yet delivered to Telegram, and the pace of those sent',
      ifLost: 'the notifications and replies still waiting (the chat commands still answer); set-aside entries in `outbox:dead`',
    },
    audit: {
      glob: 'audit:*',
      holds: 'who did what through the chat, and what the bot did on their behalf (`telegrid audit`, `/audit`)',
      ifLost: 'the history only; trading is unaffected',
    },
    candles: {
      glob: 'candles:*',
      holds: 'the candles the bot built from the trade feed, read back at start for /ta and /chart',
      ifLost: "history older than the exchange's recent klines (1000 a symbol and interval, refetched at start); trading is unaffected",
    },
    sandbox: { glob: 'v1:sandbox:*', holds: 'the paper account (paper mode only)', ifLost: 'paper balances and orders' },
  };

/** What each `<part>` stands for, for the doc's legend. */
export const REDIS_KEY_PARTS: Readonly<Record<RedisKeyPart, string>> = Object.fromEntries(
  Object.entries(PARTS).map(([name, part]) => [name, part.means]),
) as Record<RedisKeyPart, string>;

/** A SCAN/KEYS pattern for a whole group, the prefix escaped (a KEY_PREFIX is checked at start, but this is the place). */
export function redisKeyGlob(prefix: string, group: Exclude<RedisKeyGroup, 'queue'>): string {
  return `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:${REDIS_KEY_GROUPS[group].glob}`;
}

/** The family a key under `prefix` belongs to; undefined for a key the table does not know (or another prefix's). */
export function redisKeyFamilyOf(prefix: string, key: string): RedisKeyName | undefined {
  if (!key.startsWith(`${prefix}:`)) return undefined;
  const rest = key.slice(prefix.length + 1);
  return (Object.keys(REDIS_KEYS) as RedisKeyName[]).find((name) => REDIS_KEYS[name].pattern.test(rest));
}
