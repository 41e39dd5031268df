/** The whole bot in this process against a sandbox exchange the test owns (tape, faults, REST records), for pipeline tests. */
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../../src/app/config.js';
import { type TradingApp, startTradingApp } from '../../src/app/trading-app.js';
import { type Fixed, type OrderIntent, SPOT_CATALOG, fx, manualOrderId } from '../../src/domain/index.js';
import { type PipelineTime, scaledTime, systemTime } from '../../src/execution/index.js';
import { type RestLimits, type RestResponseRecord, SandboxHub, startSandboxServer } from '../../src/sandbox/index.js';
import { deleteKeys, uniquePrefix } from './redis.js';
import { paperOnSandbox } from './sandbox-env.js';
import { until } from './until.js';

const API_KEY = 'rig-key-0123456789';
const API_SECRET = 'rig-secret-0123456789';

export interface RigOptions {
  /** Settings on top of the rig's (paper mode pointed at the rig's sandbox, a fresh KEY_PREFIX). */
  readonly env?: Record<string, string>;
  /** Run the sandbox, the bot and the rate budget on wall time sped up this many times (default 1). */
  readonly rate?: number;
  /** Or on this clock (a HandTime the test moves), instead of `rate`. */
  readonly time?: PipelineTime;
  readonly limits?: Partial<RestLimits>;
  readonly balances?: Record<string, Fixed>;
  /** The bot's Redis prefix; a fresh one (deleted at close) by default. */
  readonly prefix?: string;
  /** Catalog symbols the sandbox lists and the bot trades (default BTCUSDT); Binance allows 200 open orders on each. */
  readonly symbols?: readonly string[];
  /** Runs on the sandbox before the bot starts (orders a previous run or the owner left there). */
  readonly beforeStart?: (hub: SandboxHub) => void;
  /**
   * When the kill switch's receipt bound has passed. By default it never does: the receipt comes once every order is
   * settled, so what it says does not depend on how busy the machine is.
   */
  readonly killReceiptBound?: (ms: number) => Promise<void>;
  /** How long /backtest waits before it answers with a progress line (default the app's 2 s; 0: at once). */
  readonly backtestAnswerWithinMs?: number;
}

/** A quantity worth a little over the 5 USDT minimum at 95 % of the symbol's demo price. */
const RESTING_QTY: Readonly<Record<string, string>> = {
  BTCUSDT: '0.0001',
  ETHUSDT: '0.002',
  BNBUSDT: '0.01',
  SOLUSDT: '0.04',
  XRPUSDT: '3',
};

/**
 * The bot as `npm start` builds it, with its own chat on streams, pointed over loopback at a sandbox exchange the test
 * owns: the test trades on the sandbox's tape, arms its faults, and reads every REST answer and every order it accepted.
 */
export async function pipelineRig(o: RigOptions = {}) {
  const time: PipelineTime = o.time ?? (o.rate && o.rate !== 1 ? scaledTime(o.rate) : systemTime);
  const symbols = o.symbols ?? ['BTCUSDT'];
  const entries = symbols.map((symbol) => SPOT_CATALOG.find((e) => e.instrument.symbol === symbol)!);
  const hub = new SandboxHub({
    instruments: entries.map((e) => e.instrument),
    balances: o.balances ?? { USDT: fx('1000000'), BTC: fx('10') },
    account: { apiKey: API_KEY, apiSecret: API_SECRET },
    now: () => time.now(),
  });
  const server = await startSandboxServer({ hub, limits: o.limits });
  const responses: RestResponseRecord[] = [];
  server.onResponse((r) => responses.push(r));
  /** Every order the sandbox accepted onto its book, by client order id, with when. */
  const accepted = new Map<string, number[]>();
  hub.onVenueEvent((e) => {
    if (e.type === 'execution' && e.report.status === 'NEW' && e.report.trade === undefined) {
      const times = accepted.get(e.report.clientOrderId) ?? [];
      times.push(time.now());
      accepted.set(e.report.clientOrderId, times);
    }
  });

  const ownPrefix = o.prefix === undefined;
  const prefix = o.prefix ?? uniquePrefix();
  let tradeId = 1;
  const prices = new Map(entries.map((e) => [e.instrument.symbol, fx(e.demoPrice)]));
  /** One trade on the sandbox's tape at `price` (default: the symbol's last), which every subscriber hears. */
  const tick = (symbol = symbols[0]!, price: Fixed = prices.get(symbol)!) => {
    prices.set(symbol, price);
    hub.trade({ symbol, price, quantity: fx('0.01'), time: time.now(), tradeId: tradeId++, isBuyerMaker: false });
  };

  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));

  /** Paper mode on the rig's sandbox, under the rig's prefix. */
  const sandboxEnv = paperOnSandbox(server, { apiKey: API_KEY, apiSecret: API_SECRET }, prefix);

  async function start(): Promise<TradingApp> {
    const config = loadConfig({
      ...sandboxEnv,
      MARKET_SYMBOLS: symbols.join(','),
      RISK_MAX_OPEN_ORDERS_PER_SYMBOL: '5000',
      RISK_MAX_OPEN_ORDERS_TOTAL: '5000',
      RISK_MAX_POSITION_NOTIONAL: '10000000',
      RISK_MAX_ORDER_NOTIONAL: '100000',
      // The rig trades only when the test says so; the stale-data rule has its own tests.
      RISK_STALE_AFTER_SECONDS: '86400',
      ...o.env,
    });
    if (!config.ok) throw new Error(config.message);
    const started = await startTradingApp(config.config, {
      input,
      output,
      clock: time,
      pipelineTime: time,
      killReceiptBound: o.killReceiptBound ?? (() => new Promise<void>(() => undefined)),
      ...(o.backtestAnswerWithinMs !== undefined ? { backtestAnswerWithinMs: o.backtestAnswerWithinMs } : {}),
      log: pino({ level: 'silent' }),
      terminal: false,
    });
    if (!started.ok) throw new Error(started.error.message);
    return started.value;
  }
  o.beforeStart?.(hub);
  const app = await start();
  // The feed subscribes asynchronously: trade until the bot has a price.
  await until(() => {
    for (const symbol of symbols) tick(symbol);
    return symbols.every((symbol) => app.kernel.market.lastPrice(symbol) !== undefined);
  }, 10_000);

  /** `count` resting buys 5 % under the market (never filled), each a distinct manual order, across the symbols in turn. */
  function restingBuys(count: number, from = 1): OrderIntent[] {
    const intents: OrderIntent[] = [];
    for (let i = from; i < from + count; i++) {
      const entry = entries[i % entries.length]!;
      const { symbol, filters } = entry.instrument;
      const side = 'BUY' as const;
      intents.push({
        clientOrderId: manualOrderId(`T${i}`, side),
        symbol,
        side,
        type: 'LIMIT',
        price: (fx(entry.demoPrice) * 95n) / 100n - BigInt(Math.floor(i / entries.length)) * filters.priceFilter.tickSize,
        quantity: fx(RESTING_QTY[symbol]!),
        owner: { kind: 'manual' },
        reducesPosition: false,
      });
    }
    return intents;
  }

  function submit(intents: readonly OrderIntent[]): void {
    for (const intent of intents) app.kernel.host.bus.send({ type: 'SubmitOrder', intent });
  }

  /** Types a chat line; resolves with what the chat printed after it once `expected` appears (bounded). */
  async function type(line: string, expected: string | RegExp, bound = 30_000): Promise<string> {
    const mark = screen.length;
    input.write(`${line}\n`);
    const seen = () => screen.slice(mark);
    await until(() => (typeof expected === 'string' ? seen().includes(expected) : expected.test(seen())), bound);
    return seen();
  }

  const venueOpen = () => {
    const open = hub.engine.openOrders();
    return open.ok ? open.value.map((r) => r.clientOrderId).sort() : [];
  };
  const botOpen = () =>
    app.kernel.tracker
      .open()
      .map((r) => r.intent.clientOrderId)
      .sort();

  let closed = false;
  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    server.faults.clear();
    await app.shutdown();
    await server.close();
    if (ownPrefix) await deleteKeys(prefix);
  }

  /** The settings the bot runs with, for a second process (a `telegrid worker`) to share. */
  const sharedEnv = {
    ...sandboxEnv,
    ...(o.env?.REDIS_URL ? { REDIS_URL: o.env.REDIS_URL } : {}),
  };

  return {
    app,
    hub,
    server,
    time,
    prefix,
    sharedEnv,
    responses,
    accepted,
    tick,
    restingBuys,
    submit,
    type,
    screen: () => screen,
    venueOpen,
    botOpen,
    close,
  };
}
