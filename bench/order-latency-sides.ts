/**
 * The two things the order-latency bench compares, each on a sandbox of its own over loopback: the bot as `npm start`
 * builds it (BullMQ order pipeline, state saved before enqueue, shared rate budget, chat on streams), and the floor,
 * the same engine over the same Binance adapter and feed with the in-process DirectExecutor instead of the queue.
 * Each on spot (`/grid BTCUSDT 5 0.1 1000`) or on the USD-M perpetual (`… neutral x2`: buys under and sells over the
 * price with no opening position, so its cycles are spot's; through the router, /fapi and the futures user stream).
 */
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { type Config, loadConfig } from '../src/app/config.js';
import { type TradingKernel, buildTradingKernel } from '../src/app/trading-kernel.js';
import { type TradingApp, startTradingApp } from '../src/app/trading-app.js';
import { type Fixed, SPOT_CATALOG, catalogInstrument, fx } from '../src/domain/index.js';
import { SequentialIds } from '../src/engine/index.js';
import { BinanceGateway } from '../src/exchange/binance/index.js';
import { MarketRouter } from '../src/exchange/routing/index.js';
import { systemTime } from '../src/execution/index.js';
import { BinanceTradeFeed } from '../src/market/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../src/sandbox/index.js';
import { type GridPreview, buildGridPreview } from '../src/strategy/index.js';
import { futuresEndpointsOf, openFuturesSide } from '../src/app/futures-venue.js';
import { prepareFuturesGrid, previewFuturesGrid } from '../src/app/futures-services.js';
import { riskLimitsOf } from '../src/app/trading-kernel.js';
import { type ProbeVenue, futuresVenue, spotVenue } from './order-latency-probe.js';

const API_KEY = 'bench-key-0123456789';
const API_SECRET = 'bench-secret-0123456789';
export const SYMBOL = 'BTCUSDT';
export type Market = 'spot' | 'futures';
/** The perpetual as the bot names it; the sandbox's tape and /fapi call it SYMBOL. */
const PERP = `${SYMBOL}.P`;
/** Neutral at x2: no opening position, the liquidation price far from every level, so no risk check ever binds. */
const FUTURES_TERMS = 'neutral x2';
/** The USD-M wallet: every level's margin at x2 many times over. */
const FUTURES_WALLET = fx('10000000');
/** Five levels each side, 0.1 % apart, as the issue's `/grid BTCUSDT 5 0.1 …`. */
const LEVELS = 5;
const SPACING_PCT = '0.1';
/**
 * Quote per level. The 20 USDT buys 0.00021 BTC, and every buy fill loses one lot step to its base-asset fee
 * (0.1 % floored to 0.00001), so the level drops under the 5 USDT minimum after ~15 round trips; at 1,000 USDT (0.0105
 * BTC) the bench's ~120 buy fills leave it about 0.009 BTC. Same path, same order count.
 */
export const AMOUNT_QUOTE = '1000';
const BALANCES: Record<string, Fixed> = { USDT: fx('1000000'), BTC: fx('10') };
/**
 * Binance allows 50 orders per 10 s; the bench places ~250 in a few seconds, which at that limit measures the rate
 * budget's wait (~10 s once the window is full), not latency. Both sandboxes get the same raised limits, and the app's
 * governor reads them from exchangeInfo as it would Binance's, so its script still runs on every order.
 */
const LIMITS = { ordersPer10s: 100_000, weightPerMinute: 1_000_000, rawRequestsPer5m: 1_000_000 };
const FUTURES_LIMITS = { ordersPer10s: 100_000, ordersPerMinute: 1_000_000, weightPerMinute: 1_000_000 };
const silent = pino({ level: 'silent' });

export interface Side {
  readonly hub: SandboxHub;
  readonly engine: TradingKernel;
  /** The grid's symbol as the bot names it (BTCUSDT, BTCUSDT.P). */
  readonly symbol: string;
  /** The sandbox account the grid's orders rest on. */
  readonly venue: ProbeVenue;
  close(): Promise<void>;
}

async function sandbox(): Promise<{ hub: SandboxHub; server: SandboxServer }> {
  const hub = new SandboxHub({
    instruments: [catalogInstrument(SYMBOL)!],
    balances: BALANCES,
    account: { apiKey: API_KEY, apiSecret: API_SECRET },
    now: () => Date.now(),
    futuresAccount: { walletBalance: FUTURES_WALLET },
  });
  return { hub, server: await startSandboxServer({ hub, limits: LIMITS, futuresLimits: FUTURES_LIMITS }) };
}

/** Trades at the demo price until the bot's market watch has one for `symbol` (its feed subscribes asynchronously). */
async function primePrice(hub: SandboxHub, engine: TradingKernel, symbol: string): Promise<void> {
  const price = fx(SPOT_CATALOG.find((e) => e.instrument.symbol === SYMBOL)!.demoPrice);
  for (let i = 0; i < 10_000 && engine.market.lastPrice(symbol) === undefined; i++) {
    hub.trade({ symbol: SYMBOL, price, quantity: fx('0.001'), time: Date.now(), tradeId: 0, isBuyerMaker: false });
    await new Promise((r) => setTimeout(r, 1));
  }
  if (engine.market.lastPrice(symbol) === undefined) throw new Error(`the feed never delivered a trade on ${symbol}`);
}

/** Waits (bounded) until the grid's 2×LEVELS orders rest on the sandbox. */
async function gridResting(venue: ProbeVenue): Promise<void> {
  for (let i = 0; i < 20_000; i++) {
    if (venue.resting().length >= 2 * LEVELS) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error('the grid never rested on the sandbox');
}

const venueOf = (hub: SandboxHub, market: Market): ProbeVenue => (market === 'spot' ? spotVenue(hub, SYMBOL) : futuresVenue(hub, SYMBOL));

function env(server: SandboxServer, prefix: string, market: Market): Record<string, string> {
  const futures = { FUTURES_SYMBOLS: SYMBOL, FUTURES_COUNTDOWN_SECONDS: '0' };
  return {
    ...(market === 'futures' ? futures : {}),
    TRADING_MODE: 'paper',
    BINANCE_HTTP_BASE: server.httpBase,
    BINANCE_WS_BASE: server.wsBase,
    BINANCE_WS_API: server.wsApi,
    BINANCE_API_KEY: API_KEY,
    BINANCE_API_SECRET: API_SECRET,
    KEY_PREFIX: prefix,
    MARKET_SYMBOLS: SYMBOL,
    RISK_MAX_POSITION_NOTIONAL: '10000000',
    RISK_MAX_ORDER_NOTIONAL: '100000',
    // The bench trades only when it says so; a pause between its phases must not make the market stale.
    RISK_STALE_AFTER_SECONDS: '86400',
  };
}

/** The configuration both sides run on (the floor takes its limits and fees from it, so the risk work is the same). */
function benchConfig(server: SandboxServer, prefix: string, market: Market): Config {
  const loaded = loadConfig(env(server, prefix, market));
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.config;
}

/** The whole app, its console on streams: `/grid` typed and confirmed, then resting. */
export async function pipelineSide(prefix: string, market: Market = 'spot'): Promise<Side & { readonly app: TradingApp }> {
  const { hub, server } = await sandbox();
  const symbol = market === 'spot' ? SYMBOL : PERP;
  const venue = venueOf(hub, market);
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
  const started = await startTradingApp(benchConfig(server, prefix, market), {
    input,
    output,
    clock: systemTime,
    pipelineTime: systemTime,
    log: silent,
    terminal: false,
  });
  if (!started.ok) {
    await server.close();
    throw new Error(started.error.message);
  }
  const app = started.value;
  const close = async () => {
    await app.shutdown();
    await server.close();
  };
  try {
    await primePrice(hub, app.kernel, symbol);
    const type = async (line: string, expected: string) => {
      const mark = screen.length;
      input.write(`${line}\n`);
      for (let i = 0; i < 10_000 && !screen.slice(mark).includes(expected); i++) await new Promise((r) => setTimeout(r, 1));
      if (!screen.slice(mark).includes(expected))
        throw new Error(`the chat never answered "${line}" with "${expected}":\n${screen.slice(mark)}`);
    };
    const terms = market === 'spot' ? '' : ` ${FUTURES_TERMS}`;
    await type(`/grid ${SYMBOL} ${LEVELS} ${SPACING_PCT} ${AMOUNT_QUOTE}${terms}`, 'confirm');
    await type('confirm', 'started');
    await gridResting(venue);
  } catch (error) {
    await close();
    throw error;
  }
  return { hub, engine: app.kernel, symbol, venue, app, close };
}

/** The floor: the same engine, adapter and feed, orders sent in process by DirectExecutor. */
export async function floorSide(market: Market = 'spot'): Promise<Side> {
  const { hub, server } = await sandbox();
  const config = benchConfig(server, 'unused', market);
  const symbol = market === 'spot' ? SYMBOL : PERP;
  const venue = venueOf(hub, market);
  const spot = new BinanceGateway({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    httpBase: server.httpBase,
    wsBase: server.wsBase,
    wsApi: server.wsApi,
    clock: systemTime,
    requestTimeoutMs: config.EXCHANGE_TIMEOUT_MS,
  });
  const synced = await spot.syncTime();
  const listed = await spot.instruments();
  if (!synced.ok || !listed.ok) throw new Error('the floor cannot reach its sandbox');
  // The perpetual as the app opens it (one-way mode checked, /fapi listed), behind the same router.
  const endpoints = futuresEndpointsOf(config, server.httpBase);
  const opened =
    market === 'futures'
      ? await openFuturesSide(config, { clock: systemTime, log: silent }, endpoints, { apiKey: API_KEY, apiSecret: API_SECRET }, false)
      : undefined;
  if (opened !== undefined && !opened.ok) throw new Error(`the floor's USD-M side: ${opened.error.message}`);
  const futures = opened?.value;
  const gateway = new MarketRouter({ spot, ...(futures ? { futures: futures.gateway } : {}), log: silent });
  const instruments = [...listed.value, ...(futures?.instruments ?? [])].filter((i) => i.symbol === symbol);
  const engine = buildTradingKernel({
    gateway,
    instruments,
    fees: { maker: config.MAKER_FEE, taker: config.TAKER_FEE },
    limits: riskLimitsOf(config, config.RISK_STALE_AFTER_SECONDS * 1000),
    clock: systemTime,
    ids: new SequentialIds(),
    log: silent,
    reconcileEveryMs: 30_000,
    ...(futures ? { futures: futures.gateway } : {}),
  });
  await engine.start();
  const perpetuals = futures ? { futures: { wsMarketBase: futures.endpoints.wsFuturesMarket, perpetuals: [PERP] } } : {};
  const feed = new BinanceTradeFeed({
    wsBase: server.wsBase,
    symbols: market === 'spot' ? [SYMBOL] : [],
    ...perpetuals,
    bus: engine.host.bus,
    clock: systemTime,
    log: silent,
  });
  const close = async () => {
    await feed.stop();
    await engine.stop();
    gateway.close();
    await server.close();
  };
  try {
    const ready = await gateway.userStreamReady();
    if (!ready.ok) throw new Error(`the floor's user data stream: ${ready.error.message}`);
    await feed.start();
    await primePrice(hub, engine, symbol);
    const preview = market === 'spot' ? spotPreview(engine) : await futuresPreview(engine);
    const started = engine.grids.startGrid(preview);
    if (!started.ok) throw new Error(started.error.message);
    await gridResting(venue);
  } catch (error) {
    await close();
    throw error;
  }
  return { hub, engine, symbol, venue, close };
}

function spotPreview(engine: TradingKernel): GridPreview {
  const instrument = engine.instruments.get(SYMBOL)!;
  const preview = buildGridPreview({
    params: { symbol: SYMBOL, levels: LEVELS, spacingPct: fx(SPACING_PCT), amountQuote: fx(AMOUNT_QUOTE), spacing: 'arithmetic' },
    instrument,
    referencePrice: engine.market.lastPrice(SYMBOL)!,
    baseFree: engine.portfolio.freeBalance(instrument.baseAsset),
    quoteFree: engine.portfolio.freeBalance(instrument.quoteAsset),
    makerFee: engine.fees.maker,
    takerFee: engine.fees.taker,
  });
  if (!preview.ok) throw new Error(preview.error.message);
  return preview.value;
}

/** The app's own futures preview and venue preparation (leverage, margin type), as a confirmed `/grid … neutral x2`. */
async function futuresPreview(engine: TradingKernel): Promise<GridPreview> {
  const params = {
    symbol: PERP,
    levels: LEVELS,
    spacingPct: fx(SPACING_PCT),
    amountQuote: fx(AMOUNT_QUOTE),
    spacing: 'arithmetic' as const,
    futures: { mode: 'neutral' as const, leverage: 2, margin: 'isolated' as const },
  };
  const preview = await previewFuturesGrid(engine, params);
  if (!preview.ok) throw new Error(preview.error.message);
  const prepared = await prepareFuturesGrid(engine, preview.value);
  if (!prepared.ok) throw new Error(prepared.error.message);
  return preview.value;
}
