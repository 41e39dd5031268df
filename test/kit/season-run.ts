/**
 * A season replayed through a running bot: the real app in paper mode (the binance-api-node adapter on a sandbox
 * exchange over loopback, the real Redis, the BullMQ order pipeline), grids started from the chat as typed, the
 * sandbox's tape pumped trade by trade at whatever speed the machine allows on a manual clock that follows the tape,
 * a restart (stop the app, start a new one on the same prefix and sandbox) every simulated week, and the issue's
 * invariants checked at every restart and at the end. The soak (`npm run soak:season`) and the short test share it.
 */
import { PassThrough } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadConfig } from '../../src/app/config.js';
import { type TradingApp, startTradingApp } from '../../src/app/trading-app.js';
import {
  type Fixed,
  type GridRoundTrip,
  type Instrument,
  type TradeTick,
  ZERO,
  catalogInstrument,
  fixed,
  fx,
  gridIdOf,
} from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import type { CandlesKept } from '../../src/market/index.js';
import { scaledTime } from '../../src/execution/index.js';
import { SandboxHub, type SandboxHubOptions, type SandboxServer, openPersistentHub, startSandboxServer } from '../../src/sandbox/index.js';
import { type GridPreview, linePrice } from '../../src/strategy/index.js';
import {
  type SeasonGrid,
  bookProblems,
  duplicateProblems,
  growthPct,
  ladderProblems,
  levelQuantityProblems,
  roundTripProblems,
} from './season-checks.js';
import { SeasonLedger } from './season-ledger.js';
import { REDIS_URL, deleteKeys, scanKeys, uniquePrefix } from './redis.js';
import { paperOnSandbox } from './sandbox-env.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** Trades that fill nothing go out this many at a time before the harness waits for the bot to have them all. */
const QUIET_BATCH = 64;
/** At most this many copies of the first trade go out while the first bot's market stream opens (20 ms apart). */
const WARM_UP_COPIES = 3_000;
const ACCOUNT = { apiKey: 'season-key-0123456789', apiSecret: 'season-secret-0123456789' };

interface SeasonGridSpec {
  /** How the summary names it: arithmetic, geometric, trailing. */
  readonly label: string;
  /** The chat command as the owner types it, e.g. `/grid BTCUSDT 15 1 300 geometric`. */
  readonly command: string;
}

export interface SeasonOptions {
  readonly name: string;
  readonly trades: readonly TradeTick[];
  readonly grids: readonly SeasonGridSpec[];
  /** Simulated time between restarts; default a week. */
  readonly restartEveryMs?: number;
  readonly balances?: Readonly<Record<string, Fixed>>;
  /** Settings added to the paper-on-sandbox ones. */
  readonly env?: Readonly<Record<string, string>>;
  /** How much faster than wall time the order pipeline's rate budget runs; default 100. */
  readonly pipelineRate?: number;
  /** Told at each checkpoint (a restart, the end). */
  readonly progress?: (line: string) => void;
  /**
   * A USD-M season: the symbol is also served (and traded by the grids) as a perpetual, FUTURES_SYMBOLS lists it, the
   * sandbox's futures account starts with `walletBalance` and funds at the constant `fundingRate`.
   */
  readonly futures?: { readonly fundingRate: Fixed; readonly walletBalance: Fixed };
  /** Called once the sandbox exists, before any trade: a test listens to what the exchange does as it does it. */
  readonly watch?: (hub: SandboxHub) => void;
  /** Called at the end, before the bot stops: the test reads what it compares through the real interfaces. */
  readonly inspect?: (end: SeasonEnd) => Promise<void>;
  /** Simulated time between memory samples, the first one an interval after the grids started; default a day. */
  readonly sampleEveryMs?: number;
  /** Told each memory sample as it is taken. */
  readonly onSample?: (sample: SeasonSample) => void;
  /** Samples taken together at each end for the growth figures (default SAMPLE_WINDOW; 1: the first and the last). */
  readonly sampleWindow?: number;
  /** Candles kept, in memory and in their Redis copy; default SEASON_CANDLES. */
  readonly candlesKept?: CandlesKept;
  /** Finished orders and fills the sandbox keeps queryable (its `historyLimit`); default the sandbox's own. */
  readonly venueHistoryLimit?: number;
  /**
   * The sandbox's account kept in Redis under the bot's prefix, as paper mode's own sandbox keeps it (saved after its
   * events): its document is then part of the bot's Redis that the samples measure.
   */
  readonly persistVenue?: boolean;
}

/** One memory sample: market time, the process's RSS and heap in use after a full collection, the prefix's Redis bytes. */
export interface SeasonSample {
  readonly at: number;
  readonly rss: number;
  readonly heap: number;
  readonly redis: number;
}

/** What a season's `inspect` gets: the running bot and the sandbox it trades on, as the replay left them. */
export interface SeasonEnd {
  readonly app: TradingApp;
  readonly hub: SandboxHub;
  readonly server: SandboxServer;
  readonly ledger: SeasonLedger;
  readonly trips: readonly GridRoundTrip[];
  readonly account: typeof ACCOUNT;
  readonly now: number;
  readonly grids: readonly SeasonGrid[];
  /** Types a line into the bot's chat and returns the answer once `expected` shows in it. */
  readonly type: (line: string, expected: RegExp) => Promise<string>;
}

interface SeasonCheckpoint {
  readonly label: string;
  readonly at: number;
  readonly problems: readonly string[];
}

/**
 * Redis history kept one simulated day (the defaults keep days to months, sized for real money): the caps are then
 * reached within the first day, so "flat after day 1" shows that they bound the bot's Redis however long it runs.
 */
export const SEASON_RETENTION = {
  FINISHED_ORDERS_KEEP_DAYS: '1',
  FILLS_KEEP_DAYS: '1',
  AUDIT_KEEP_DAYS: '1',
  QUEUE_EVENTS_MAX_LEN: '100',
  QUEUE_JOBS_KEEP: '10',
};

/** The owner's limits of every season (a backtest compared with one takes the same). */
export const SEASON_RISK = {
  // A season of grids holds far more than a day's defaults allow; these are the owner's limits, not the grid's rules.
  RISK_MAX_POSITION_NOTIONAL: '10000000',
  RISK_MAX_DAILY_LOSS: '10000000',
  RISK_PRICE_BAND_PCT: '50',
  // Trades come a quarter of a bar apart in market time (15 min on an hourly tape): that is the tape, not staleness.
  RISK_STALE_AFTER_SECONDS: '7200',
  MARKET_STALE_AFTER_SECONDS: '0',
};

/**
 * Candles are bounded by count, in memory and in their Redis copy: counts a season reaches within its first day (an
 * hourly tape makes four 1m candles an hour), so "flat after day 1" shows the bound holds here too.
 */
const SEASON_CANDLES: CandlesKept = { '1m': 60, '1h': 20, '4h': 5 };

export interface SeasonGridLine {
  readonly label: string;
  readonly gridId: string;
  readonly roundTrips: number;
  /** The bot's grid profit (its round trips). */
  readonly gridProfit: Fixed;
  /** Total − grid profit: what the grid's unmatched inventory is worth against what it cost. */
  readonly floating: Fixed;
  /** From the exchange's fills of the grid: quote in − quote out − quote fees + net base at the last price. */
  readonly total: Fixed;
  /** The quote the confirmed preview said the grid needs. */
  readonly investment: Fixed;
  /** total / investment, annualised over the simulated time since the grid started, in percent. */
  readonly aprPct: Fixed;
  /** The grid's dust at the end, as the bot reports it: base its fee-sized buys brought in over their levels. */
  readonly dust: Fixed;
  /** A trailing grid's moves (up and down). */
  readonly trailMoves?: number;
}

/**
 * Samples taken together at each end of a run. One sample is one moment of a figure that swings with the day's
 * traffic (the last day's finished orders and jobs, a minute's rate log, a stream between two trim steps: ±30 % on the
 * month's replay), so flatness compares the highest of the first days with the highest of the last days.
 */
const SAMPLE_WINDOW = 3;

interface SeasonMemory {
  /** Bytes: the highest of the first `sampleWindow` samples (daily by default), and the highest of the last ones. */
  /** The whole process's: the bot, and beside it the sandbox and the harness (which keep only what they must). */
  readonly rss: { readonly base: number; readonly last: number; readonly growthPct: number };
  /** The JavaScript heap in use after a full collection: what the process keeps, without the allocator's slack. */
  readonly heap: { readonly base: number; readonly last: number; readonly growthPct: number };
  readonly redis: { readonly base: number; readonly last: number; readonly growthPct: number };
  readonly samples: readonly SeasonSample[];
  /** The prefix's keys that grew most from the first sample to the last (key without the prefix, bytes, growth). */
  readonly redisGrowers: readonly { readonly key: string; readonly bytes: number; readonly growth: number }[];
}

export interface SeasonResult {
  readonly name: string;
  /** Before each restart, after it (the new bot caught up), and at the end. */
  readonly checkpoints: readonly SeasonCheckpoint[];
  readonly grids: readonly SeasonGridLine[];
  readonly memory: SeasonMemory;
  readonly restarts: number;
  readonly trades: number;
  readonly fills: number;
  readonly days: number;
  readonly wallMs: number;
  /** Every problem of every checkpoint, with the checkpoint's label. */
  readonly problems: readonly string[];
  /** What the bot itself reports today for the account: unrealized PnL of the position. */
  readonly botUnrealized: Fixed;
}

/** A polling wait on a state, with a bound that only a stuck bot reaches. */
async function waitFor(done: () => boolean, what: string, boundMs = 120_000, screen?: () => string): Promise<void> {
  const end = Date.now() + boundMs;
  while (!done()) {
    if (Date.now() > end)
      throw new Error(`season: timed out waiting for ${what}${screen ? `; the chat said:\n${screen().slice(-1500)}` : ''}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** A full garbage collection when the process allows one, so a memory sample measures what is kept, not what is due. */
const collect: (() => void) | undefined = (() => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
})();

/** One running bot of the season, with what the harness counts to know that the loopback traffic has landed. */
interface Bot {
  readonly app: TradingApp;
  readonly type: (line: string, expected: RegExp) => Promise<string>;
  readonly landed: () => boolean;
  /** Every trade sent so far has reached the bot's market feed. */
  readonly tradesLanded: () => boolean;
  readonly screen: () => string;
}

export async function runSeason(options: SeasonOptions): Promise<SeasonResult> {
  const wallStart = Date.now();
  const trades = options.trades;
  const first = trades[0];
  if (first === undefined) throw new Error('season: an empty tape');
  const btc = catalogInstrument(first.symbol) as Instrument;
  const clock = new ManualClock(first.time);
  const prefix = uniquePrefix();
  const hubOptions: SandboxHubOptions = {
    instruments: [btc],
    balances: options.balances ?? { USDT: fx('100000') },
    account: ACCOUNT,
    now: () => clock.now(),
    ...(options.venueHistoryLimit !== undefined ? { historyLimit: options.venueHistoryLimit } : {}),
    ...(options.futures
      ? { futures: { fundingRate: options.futures.fundingRate }, futuresAccount: { walletBalance: options.futures.walletBalance } }
      : {}),
  };
  const persisted = options.persistVenue
    ? await openPersistentHub({ hub: hubOptions, store: { url: REDIS_URL, keyPrefix: prefix }, reset: true })
    : undefined;
  if (persisted !== undefined && !persisted.ok) throw new Error(`season: the sandbox's store: ${persisted.error.message}`);
  const hub = persisted?.value.hub ?? new SandboxHub(hubOptions);
  options.watch?.(hub);
  const server = await startSandboxServer({ hub });
  const ledger = new SeasonLedger(hub, btc);
  const redis = new Redis(REDIS_URL);
  const config = loadConfig({
    ...paperOnSandbox(server, ACCOUNT, prefix),
    MARKET_SYMBOLS: first.symbol,
    LOG_LEVEL: 'silent',
    ...SEASON_RISK,
    // The countdown cancel is refreshed by the lease heartbeat on wall time while the replay's market clock runs far
    // faster: the venue would see a dead bot every few simulated minutes. The replay tests the grid, not the switch.
    ...(options.futures ? { FUTURES_SYMBOLS: first.symbol, FUTURES_COUNTDOWN_SECONDS: '0' } : {}),
    ...options.env,
  });
  if (!config.ok) throw new Error(config.message);

  let sentTrades = 0;
  let sentEvents = 0;
  hub.onTrade(() => sentTrades++);
  hub.onVenueEvent(() => sentEvents++);
  // The USD-M user stream's frames the bot hears (ORDER_TRADE_UPDATE, ACCOUNT_UPDATE, MARGIN_CALL); a leverage change
  // (ACCOUNT_CONFIG_UPDATE) is the answer to the bot's own request and reaches no listener.
  hub.onFuturesEvent((e) => e.type !== 'leverage' && sentEvents++);
  let next = 0;
  /**
   * One trade of the tape: market time moves to it, the sandbox matches it and streams it. While a bot starts the
   * clock stays put (its signed requests must stay inside the exchange's receive window) and catches up after.
   */
  let latest = first.time;
  const pumpOne = (moveClock = true): boolean => {
    const t = trades[next];
    if (t === undefined) return false;
    next++;
    if (t.time > latest) latest = t.time;
    if (moveClock && latest > clock.now()) clock.set(latest);
    hub.trade(t);
    return true;
  };

  // The shared rate budget counts on wall time sped up like the market: Binance's 50 orders / 10 s would otherwise cap
  // the replay at 5 orders a second. One clock for every bot of the run, so the budget in Redis stays monotonic.
  const pipelineTime = scaledTime(options.pipelineRate ?? 100);
  const trips: GridRoundTrip[] = [];
  const previews = new Map<string, GridPreview>();

  /** `restart`: a bot that takes over a previous one's grids, while the market goes on (the first start has none). */
  async function startBot(restart: boolean): Promise<Bot> {
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (c: Buffer) => (screen += c.toString('utf8')));
    // The market goes on while the bot starts: a restart waits (in wall time) for a price before it reconciles. The
    // first start waits for none, and the tape holds still: its first trade prices the first grid, as in a backtest,
    // not however many trades the machine's start-up time let pass.
    let starting = restart;
    const drip = (async () => {
      while (starting && pumpOne(false)) await new Promise((r) => setTimeout(r, 20));
    })();
    const started = await startTradingApp(config.ok ? config.config : ({} as never), {
      input,
      output,
      clock,
      log: pino({ level: 'silent' }),
      terminal: false,
      pipelineTime,
      candlesKept: options.candlesKept ?? SEASON_CANDLES,
    });
    starting = false;
    await drip;
    if (latest > clock.now()) clock.set(latest);
    if (!started.ok) throw new Error(`season: the bot did not start: ${started.error.message}`);
    const app = started.value;
    // A futures season's grids trade the perpetual: its ticks are the ones that must have landed (spot's come too).
    const traded = options.futures ? `${btc.symbol}.P` : btc.symbol;
    if (!restart) await warmUp(app, traded);
    // What the exchange sends from here on must reach this bot before the next trade goes out.
    let gotTrades = 0;
    let gotEvents = 0;
    const baseTrades = sentTrades;
    const baseEvents = sentEvents;
    app.kernel.host.bus.on('TradeTicked', (m) => m.tick.symbol === traded && gotTrades++);
    app.kernel.gateway.subscribe({
      onExecution: () => gotEvents++,
      onBalances: () => gotEvents++,
      onFuturesAccount: () => gotEvents++,
      onMarginCall: () => gotEvents++,
      onLiquidation: () => gotEvents++,
    });
    app.kernel.host.bus.on('GridRoundTrip', (m) => trips.push(m));
    // The preview the owner confirmed, exactly as the grid strategy receives it: the quantities the levels must keep.
    const grids = app.kernel.grids;
    const startGrid = grids.startGrid.bind(grids);
    grids.startGrid = (preview) => {
      const r = startGrid(preview);
      if (r.ok) previews.set(r.value.gridId, preview);
      return r;
    };
    const landed = () => gotTrades >= sentTrades - baseTrades && gotEvents >= sentEvents - baseEvents;
    const type = async (line: string, expected: RegExp) => {
      const mark = screen.length;
      input.write(`${line}\n`);
      await waitFor(
        () => expected.test(screen.slice(mark)),
        `an answer to ${line}`,
        60_000,
        () => screen,
      );
      return screen.slice(mark);
    };
    return { app, type, landed, tradesLanded: () => gotTrades >= sentTrades - baseTrades, screen: () => screen };
  }

  /**
   * The bot's market stream opens on its own a moment after the bot has started, and a trade sent before then is lost
   * to it. So on the first start the tape's first trade goes out as warm-up copies (ids of their own, below the tape's;
   * nothing rests on the book, they fill nothing) until the bot hears one, then until it has heard the last one sent:
   * from there on every trade reaches it, and what must land is counted exactly.
   */
  const warmUp = async (app: TradingApp, traded: string): Promise<void> => {
    let heard: number | undefined;
    const off = app.kernel.host.bus.on('TradeTicked', (m) => {
      if (m.tick.symbol === traded) heard = m.tick.tradeId;
    });
    let id = first.tradeId - WARM_UP_COPIES;
    while (heard === undefined) {
      if (id >= first.tradeId) throw new Error(`season: the bot heard none of ${WARM_UP_COPIES} warm-up trades`);
      hub.trade({ ...first, tradeId: id++ });
      // The pace of the copies, not a wait for the answer (that is the loop's condition).
      await new Promise((r) => setTimeout(r, 20));
    }
    const last = id - 1;
    await waitFor(() => heard === last, 'the last warm-up trade to land');
    off();
  };

  let bot = await startBot(false);
  /**
   * Waits for `done`; when the bot is slow to get there (its rate budget makes it wait, as 120 opening orders against
   * Binance's 50 per 10 s must), market time runs on: half a second every 10 ms of waiting, so the exchange's windows
   * pass as they would. The tape's next trade then comes when its time is due or at once if that time has passed.
   */
  const waitInMarketTime = async (done: () => boolean, what: string) => {
    const slowAfter = Date.now() + 100;
    let step = Date.now();
    await waitFor(
      () => {
        if (done()) return true;
        if (Date.now() > slowAfter && Date.now() - step >= 10) {
          step = Date.now();
          clock.advance(500);
          latest = Math.max(latest, clock.now());
        }
        return false;
      },
      what,
      180_000,
      bot.screen,
    );
  };
  const settled = async () => {
    await waitInMarketTime(bot.landed, 'the loopback traffic to land');
    let idle = false;
    void bot.app.kernel.executor.settled().then(() => (idle = true));
    await waitInMarketTime(() => idle, 'the order pipeline to finish its jobs');
    await waitInMarketTime(bot.landed, 'the loopback traffic to land');
  };
  if (!pumpOne()) throw new Error('season: an empty tape');
  await settled();

  const seasonGrids: SeasonGrid[] = [];
  for (const spec of options.grids) {
    let gridId: string | undefined;
    // A price that moved between preview and confirm is refused: ask again (the tape does not move here, so rarely).
    for (let attempt = 0; gridId === undefined && attempt < 3; attempt++) {
      await bot.type(spec.command, /Type confirm or cancel\.|✗|usage/);
      const answer = await bot.type('confirm', /Grid (G\w+) started|Grid not started|✗|Nothing to confirm/);
      gridId = /Grid (G\w+) started/.exec(answer)?.[1];
    }
    if (gridId === undefined) throw new Error(`season: ${spec.label} grid did not start:\n${bot.screen().slice(-1500)}`);
    await settled();
    seasonGrids.push({ gridId, label: spec.label, levels: (previews.get(gridId) as GridPreview).levels, prices: [] });
  }
  // The lines each grid has traded on: its ladder and, for a trailing grid, every line its window has reached (the
  // window only widens the span over time, so the span seen at each checkpoint is kept).
  const spans = new Map<string, { low: number; high: number }>();
  const pricesOf = (g: SeasonGrid): SeasonGrid => {
    const snap = bot.app.kernel.grids.exportGrid(g.gridId);
    if (snap === undefined) return g;
    const ladder = snap.prices.filter((p) => p > ZERO);
    if (snap.trail === undefined || snap.referencePrice === undefined) return { ...g, prices: ladder };
    const n = snap.params.levels;
    const seen = spans.get(g.gridId) ?? { low: -n, high: n };
    const span = { low: Math.min(seen.low, snap.trail.low), high: Math.max(seen.high, snap.trail.high) };
    spans.set(g.gridId, span);
    const prices: Fixed[] = [];
    const beyond = new Map<Fixed, Fixed>();
    for (let level = span.low; level <= span.high; level++) {
      const p = linePrice(snap.params, btc, snap.referencePrice, level);
      if (p === undefined) continue;
      prices.push(p);
      if (!ladder.includes(p))
        beyond.set(p, fixed.roundTo(fixed.div(snap.params.amountQuote, p, 'floor'), btc.filters.lotSize.stepSize, 'floor'));
    }
    return { ...g, prices, beyond };
  };
  const startedAt = clock.now();
  /** Whether `t` trades at or through a resting order's price (a fill, or close enough to be one). */
  const crossesResting = (t: TradeTick | undefined): boolean => {
    if (t === undefined) return false;
    const open = options.futures ? hub.futuresEngine.openOrders(btc.symbol) : hub.engine.openOrders(btc.symbol);
    return (
      open.ok &&
      open.value.some((o) => (o.side === 'BUY' ? o.price !== undefined && o.price >= t.price : o.price !== undefined && o.price <= t.price))
    );
  };

  const checkpoints: SeasonCheckpoint[] = [];
  const samples: SeasonSample[] = [];
  // The prefix's own keys (the Redis is shared with other runs): bytes per key, summed.
  const redisKeys = async () => {
    const sizes = new Map<string, number>();
    for (const key of await scanKeys(redis, `${prefix}:*`))
      sizes.set(key.slice(prefix.length + 1), Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0));
    return sizes;
  };
  let firstKeys: Map<string, number> | undefined;
  let lastKeys = new Map<string, number>();
  const sample = async () => {
    await settled();
    collect?.();
    lastKeys = await redisKeys();
    firstKeys ??= lastKeys;
    const mem = process.memoryUsage();
    const taken = { at: clock.now(), rss: mem.rss, heap: mem.heapUsed, redis: [...lastKeys.values()].reduce((a, b) => a + b, 0) };
    samples.push(taken);
    options.onSample?.(taken);
  };

  const checkpoint = async (label: string) => {
    await settled();
    const kernel = bot.app.kernel;
    const grids = seasonGrids.map(pricesOf);
    const summaries = kernel.grids.summaries();
    const venueOpen = options.futures ? hub.futuresEngine.openOrders(btc.symbol) : hub.engine.openOrders(btc.symbol);
    const problems = [
      ...grids.flatMap((g) => levelQuantityProblems(g, ledger, kernel.fees.maker, btc.filters.lotSize.stepSize)),
      ...grids.flatMap((g) => {
        const s = summaries.find((x) => x.gridId === g.gridId);
        return roundTripProblems(g, ledger, trips, s && { roundTrips: s.roundTrips, profit: s.profit }, btc.filters.lotSize.stepSize);
      }),
      ...bookProblems(
        { balances: kernel.portfolio.balances(), positionQty: kernel.portfolio.position(btc.symbol)?.quantity ?? ZERO },
        hub.engine.balances(),
        btc.baseAsset,
      ),
      ...duplicateProblems(ledger),
      ...ladderProblems(
        grids,
        venueOpen.ok ? venueOpen.value : [],
        kernel.tracker.open().map((o) => o.intent.clientOrderId),
        gridIdOf,
      ),
    ];
    checkpoints.push({ label, at: clock.now(), problems });
    const day = new Date(clock.now()).toISOString().slice(0, 10);
    const verdict = problems.length === 0 ? 'ok' : `${problems.length} problem(s)`;
    const wall = Math.round((Date.now() - wallStart) / 1000);
    options.progress?.(`${options.name} ${label} (${day}): ${verdict} · ${ledger.fills.length} fills · ${wall} s`);
  };

  const every = options.restartEveryMs ?? WEEK_MS;
  let nextRestart = startedAt + every;
  const sampleEvery = options.sampleEveryMs ?? DAY_MS;
  let nextSample = startedAt + sampleEvery;
  let restarts = 0;
  let quiet = 0;
  // The USD-M listenKey lives 60 minutes of the exchange's clock; the library keeps it alive every 50 s of wall time,
  // which a replay outruns. The harness does the keepalive on market time instead, every 30 simulated minutes.
  let nextKeepAlive = clock.now() + 30 * 60_000;
  const keepAlive = async () => {
    if (!options.futures || clock.now() < nextKeepAlive) return;
    nextKeepAlive = clock.now() + 30 * 60_000;
    const res = await fetch(`${server.httpBase}/fapi/v1/listenKey`, { method: 'PUT', headers: { 'X-MBX-APIKEY': ACCOUNT.apiKey } });
    if (!res.ok) throw new Error(`season: the listenKey keepalive was refused: ${res.status} ${await res.text()}`);
  };
  while (true) {
    await keepAlive();
    const events = sentEvents;
    // A trade through a resting order fills it, and the fill reaches the bot on its user stream, which can overtake its
    // market stream: the quiet trades before it land first, or the bot would judge the re-arm on a market it has not
    // heard from for hours of tape time (the clock is the tape's), and hold it as stale.
    if (crossesResting(trades[next])) await waitInMarketTime(bot.tradesLanded, 'the market to land before a fill');
    if (!pumpOne()) break;
    // A trade that filled nothing needs no answer from the bot before the next one (the stream keeps their order);
    // one that filled an order is waited for, re-arms placed, before the market moves on.
    if (sentEvents !== events || ++quiet >= QUIET_BATCH) {
      quiet = 0;
      await settled();
    }
    if (clock.now() >= nextSample) {
      await sample();
      nextSample += sampleEvery;
    }
    if (clock.now() >= nextRestart && next < trades.length) {
      restarts++;
      await checkpoint(`restart ${restarts}`);
      await bot.app.shutdown();
      bot = await startBot(true);
      // And again once the new bot has caught up with what happened while it was down.
      await checkpoint(`restart ${restarts}, back`);
      nextRestart += every;
    }
  }
  await sample();
  await checkpoint('end');

  const lines = seasonGrids.map((g) => gridLine(g, ledger, bot.app, btc, previews.get(g.gridId) as GridPreview, clock.now()));
  const botUnrealized = bot.app.kernel.portfolio.pnl().unrealized;
  await options.inspect?.({
    app: bot.app,
    hub,
    server,
    ledger,
    trips,
    account: ACCOUNT,
    now: clock.now(),
    grids: seasonGrids.map(pricesOf),
    type: bot.type,
  });
  await bot.app.shutdown();
  ledger.close();
  await server.close();
  await persisted?.value.persistence?.close();
  await redis.quit();
  await deleteKeys(prefix);

  const peak = (window: typeof samples) => ({
    rss: Math.max(0, ...window.map((x) => x.rss)),
    heap: Math.max(0, ...window.map((x) => x.heap)),
    redis: Math.max(0, ...window.map((x) => x.redis)),
  });
  const window = options.sampleWindow ?? SAMPLE_WINDOW;
  const base = peak(samples.slice(0, window));
  const growers = [...lastKeys]
    .map(([key, bytes]) => ({ key, bytes, growth: bytes - (firstKeys?.get(key) ?? 0) }))
    .sort((a, b) => b.growth - a.growth)
    .slice(0, 4);
  const last = peak(samples.slice(-window));
  return {
    name: options.name,
    checkpoints,
    grids: lines,
    memory: {
      rss: { base: base.rss, last: last.rss, growthPct: growthPct(base.rss, last.rss) },
      heap: { base: base.heap, last: last.heap, growthPct: growthPct(base.heap, last.heap) },
      redis: { base: base.redis, last: last.redis, growthPct: growthPct(base.redis, last.redis) },
      redisGrowers: growers,
      samples,
    },
    restarts,
    trades: next,
    fills: ledger.fills.length,
    days: (clock.now() - first.time) / DAY_MS,
    wallMs: Date.now() - wallStart,
    problems: checkpoints.flatMap((c) => c.problems.map((p) => `${c.label}: ${p}`)),
    botUnrealized,
  };
}

/** One grid's figures: the bot's round trips and grid profit, and the totals the exchange's fills imply. */
function gridLine(
  g: SeasonGrid,
  ledger: SeasonLedger,
  app: TradingApp,
  btc: Instrument,
  preview: GridPreview,
  now: number,
): SeasonGridLine {
  const summary = app.kernel.grids.summaries().find((s) => s.gridId === g.gridId);
  const last = app.kernel.market.lastPrice(btc.symbol) ?? ZERO;
  let quote = ZERO;
  let base = ZERO;
  for (const x of ledger.fills.filter((y) => y.gridId === g.gridId)) {
    const value = fixed.mul(x.quantity, x.price, 'halfEven');
    quote += x.side === 'SELL' ? value : -value;
    base += x.side === 'BUY' ? x.quantity : -x.quantity;
    if (x.commissionAsset === btc.quoteAsset) quote -= x.commission;
    else if (x.commissionAsset === btc.baseAsset) base -= x.commission;
  }
  const total = quote + fixed.mul(base, last, 'floor');
  const gridProfit = summary?.profit ?? ZERO;
  const elapsed = BigInt(Math.max(1, now - (summary?.startedAt ?? now)));
  const investment = preview.quoteNeeded;
  // Percent per year, kept at Fixed's scale (10⁸), floored.
  const aprPct =
    investment > ZERO ? fixed.divRound(total * 100n * 365n * BigInt(DAY_MS) * 100_000_000n, investment * elapsed, 'floor') : ZERO;
  return {
    label: g.label,
    gridId: g.gridId,
    roundTrips: summary?.roundTrips ?? 0,
    gridProfit,
    floating: total - gridProfit,
    total,
    investment,
    aprPct,
    dust: summary?.dustBase ?? ZERO,
    ...(summary?.trail !== undefined ? { trailMoves: summary.trail.movesUp + summary.trail.movesDown } : {}),
  };
}

/** The summary line the soak prints for one grid, money to 2 decimals (the exact figures are in the result). */
export function formatGridLine(name: string, l: SeasonGridLine): string {
  const m = (v: Fixed) => fixed.format(fixed.roundTo(v, fx('0.01'), 'halfEven'));
  return (
    `${name} ${l.label} ${l.gridId}: round trips ${l.roundTrips} · grid profit ${m(l.gridProfit)} USDT · ` +
    `floating PnL ${m(l.floating)} USDT · total ${m(l.total)} USDT on ${m(l.investment)} invested · APR ${m(l.aprPct)} % · ` +
    `dust ${fixed.format(l.dust)} BTC${l.trailMoves !== undefined ? ` · ${l.trailMoves} trailing moves` : ''}`
  );
}
