/**
 * The notification-latency bench's world: the whole app (Telegram front, Redis outbox) in paper mode against a sandbox
 * of its own and the fake Bot API server, plus resting manual buys the bench fills one by one from the sandbox's tape.
 * Every clock here is `now()` (sub-millisecond wall time), so the hub's fill and the fake's record compare directly.
 */
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../src/app/config.js';
import { type TradingApp, startTradingApp } from '../src/app/trading-app.js';
import { type Fixed, type OrderIntent, SPOT_CATALOG, fx, manualOrderId } from '../src/domain/index.js';
import { systemTime } from '../src/execution/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../src/sandbox/index.js';
import { type FakeTelegram, startFakeTelegram } from '../test/kit/fake-telegram/index.js';

export const TOKEN = '123456:BENCHTOKENabcdefghijklmnopqrstuvwxyz';
export const OWNER_CHAT = 1001;
/** Not allowed by the app: only the floor's bare POSTs land here. */
export const FLOOR_CHAT = 3003;
export const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'SOLUSDT', 'XRPUSDT'] as const;
const API_KEY = 'bench-key-0123456789';
const API_SECRET = 'bench-secret-0123456789';
/** Twice the pipeline rig's: comfortably over the 5 USDT minimum at 95 % of the demo price. */
const QTY: Readonly<Record<string, string>> = { BTCUSDT: '0.0002', ETHUSDT: '0.004', BNBUSDT: '0.02', SOLUSDT: '0.08', XRPUSDT: '6' };

export const now = (): number => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean, boundMs: number, what: string): Promise<void> {
  const end = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

export async function untilAsync(check: () => Promise<boolean>, boundMs: number, what: string): Promise<void> {
  const end = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** A resting buy and the trade that fills it alone (one tick under it; neighbours sit two ticks apart). */
export interface Resting {
  readonly intent: OrderIntent;
  readonly fillPrice: Fixed;
}

export interface World {
  readonly app: TradingApp;
  readonly hub: SandboxHub;
  readonly fake: FakeTelegram;
  /** `count` buys on `symbol`, 5 % under the demo price and below every buy placed before on it. */
  resting(symbol: string, count: number, tag: string): Resting[];
  /** Submits the buys on the bot's bus and waits until the sandbox rests them all. */
  place(orders: readonly Resting[]): Promise<void>;
  /** One trade on the tape through `r`'s price. */
  fill(r: Resting): void;
  close(): Promise<void>;
}

export async function startWorld(prefix: string): Promise<World> {
  const fake = await startFakeTelegram({ clock: now });
  fake.addBot(TOKEN, { id: 123456, username: 'telegrid_bench_bot' });
  const owner = { id: OWNER_CHAT, first_name: 'Owner', username: 'owner' };
  fake.addChat({ id: OWNER_CHAT, type: 'private' }, TOKEN, owner);
  fake.addChat({ id: FLOOR_CHAT, type: 'private' }, TOKEN, { id: FLOOR_CHAT, first_name: 'Floor' });

  const entries = SYMBOLS.map((s) => SPOT_CATALOG.find((e) => e.instrument.symbol === s)!);
  const hub = new SandboxHub({
    instruments: entries.map((e) => e.instrument),
    balances: { USDT: fx('10000000') },
    account: { apiKey: API_KEY, apiSecret: API_SECRET },
    now: () => Date.now(),
  });
  const server: SandboxServer = await startSandboxServer({
    hub,
    limits: { ordersPer10s: 100_000, weightPerMinute: 1_000_000, rawRequestsPer5m: 1_000_000 },
  });
  const config = loadConfig({
    TRADING_MODE: 'paper',
    BINANCE_HTTP_BASE: server.httpBase,
    BINANCE_WS_BASE: server.wsBase,
    BINANCE_WS_API: server.wsApi,
    BINANCE_API_KEY: API_KEY,
    BINANCE_API_SECRET: API_SECRET,
    KEY_PREFIX: prefix,
    MARKET_SYMBOLS: SYMBOLS.join(','),
    RISK_MAX_OPEN_ORDERS_PER_SYMBOL: '5000',
    RISK_MAX_OPEN_ORDERS_TOTAL: '5000',
    RISK_MAX_POSITION_NOTIONAL: '100000000',
    RISK_MAX_ORDER_NOTIONAL: '100000',
    RISK_STALE_AFTER_SECONDS: '86400',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_ALLOWED_CHAT_IDS: String(OWNER_CHAT),
  });
  if (!config.ok) {
    await server.close();
    await fake.close();
    throw new Error(config.message);
  }
  const started = await startTradingApp(config.config, {
    input: new PassThrough(),
    output: new PassThrough(),
    clock: systemTime,
    pipelineTime: systemTime,
    log: pino({ level: 'silent' }),
    terminal: false,
  });
  if (!started.ok) {
    await server.close();
    await fake.close();
    throw new Error(started.error.message);
  }
  const app = started.value;
  const close = async () => {
    await app.shutdown();
    await server.close();
    await fake.close();
  };

  let tradeId = 1;
  const trade = (symbol: string, price: Fixed, quantity: Fixed) =>
    hub.trade({ symbol, price, quantity, time: Date.now(), tradeId: tradeId++, isBuyerMaker: true });
  const nextStep = new Map<string, number>(SYMBOLS.map((s) => [s, 0]));

  try {
    await until(
      () => {
        for (const e of entries) trade(e.instrument.symbol, fx(e.demoPrice), fx(QTY[e.instrument.symbol]!));
        return SYMBOLS.every((s) => app.kernel.market.lastPrice(s) !== undefined);
      },
      10_000,
      'a price on every symbol',
    );
    // The owner's greeting first: the outbox's pacing starts from there, not from the first fill.
    await until(() => fake.messages(OWNER_CHAT, TOKEN).length > 0, 20_000, 'the bot to greet its owner');
  } catch (error) {
    await close();
    throw error;
  }

  function resting(symbol: string, count: number, tag: string): Resting[] {
    const entry = entries.find((e) => e.instrument.symbol === symbol)!;
    const tick = entry.instrument.filters.priceFilter.tickSize;
    const top = (fx(entry.demoPrice) * 95n) / 100n;
    const out: Resting[] = [];
    for (let i = 0; i < count; i++) {
      const step = nextStep.get(symbol)!;
      nextStep.set(symbol, step + 1);
      const price = top - BigInt(2 * step) * tick;
      out.push({
        intent: {
          clientOrderId: manualOrderId(`${tag}${i}`, 'BUY'),
          symbol,
          side: 'BUY',
          type: 'LIMIT',
          price,
          quantity: fx(QTY[symbol]!),
          owner: { kind: 'manual' },
          reducesPosition: false,
        },
        fillPrice: price - tick,
      });
    }
    return out;
  }

  async function place(orders: readonly Resting[]): Promise<void> {
    for (const o of orders) app.kernel.host.bus.send({ type: 'SubmitOrder', intent: o.intent });
    const wanted = new Set(orders.map((o) => o.intent.clientOrderId));
    await until(
      () => {
        const open = hub.engine.openOrders();
        return open.ok && open.value.filter((r) => wanted.has(r.clientOrderId)).length === wanted.size;
      },
      60_000,
      `${wanted.size} resting orders on the sandbox`,
    );
    // and the bot has heard them accepted, so the fill finds its order in the tracker
    await until(
      () => app.kernel.tracker.open().filter((r) => wanted.has(r.intent.clientOrderId) && r.status === 'accepted').length === wanted.size,
      30_000,
      'the bot to see its orders accepted',
    );
  }

  const fill = (r: Resting) => trade(r.intent.symbol, r.fillPrice, r.intent.quantity * 10n);

  return { app, hub, fake, resting, place, fill, close };
}
