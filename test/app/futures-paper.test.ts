/**
 * USD-M perpetuals in paper mode through the bot's one code path: a `.P` order on the kernel's bus goes through the
 * BullMQ pipeline and the router to the sandbox's /fapi, its fills come back on the futures user stream, the feed carries
 * the perpetual's trades and marks, /kill sweeps its resting orders, and a restart on the same Redis prefix does not
 * place it again.
 */
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type TradingApp, startTradingApp } from '../../src/app/trading-app.js';
import { type EngineEvent, type OrderIntent, type Side, catalogInstrument, fx, manualOrderId } from '../../src/domain/index.js';
import { systemTime } from '../../src/execution/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../src/sandbox/index.js';
import { deleteKeys, uniquePrefix } from '../kit/redis.js';
import { paperOnSandbox } from '../kit/sandbox-env.js';
import { until, untilAsync } from '../kit/until.js';

const ACCOUNT = { apiKey: 'futures-app-key-0123456789', apiSecret: 'futures-app-secret-0123456789' };
const PERP = 'BTCUSDT.P';
const time = systemTime;

type Seen = EngineEvent;

/** A sandbox the test owns (spot and USD-M on one port) and the bot started on it, again and again on one prefix. */
async function harness() {
  const hub = new SandboxHub({
    instruments: [catalogInstrument('BTCUSDT')!],
    balances: { USDT: fx('1000000'), BTC: fx('10') },
    account: ACCOUNT,
    now: () => time.now(),
    futuresAccount: { walletBalance: fx('10000') },
  });
  const server: SandboxServer = await startSandboxServer({ hub });
  const prefix = uniquePrefix();
  /** Every futures order the sandbox put on its book, by client id: a second acceptance is a double placement. */
  const accepted = new Map<string, number>();
  hub.onFuturesEvent((e) => {
    if (e.type === 'order' && e.execution === 'NEW') accepted.set(e.order.clientOrderId, (accepted.get(e.order.clientOrderId) ?? 0) + 1);
  });
  let tradeId = 0;
  const tick = (price: string) =>
    hub.trade({ symbol: 'BTCUSDT', price: fx(price), quantity: fx('0.01'), time: time.now(), tradeId: ++tradeId, isBuyerMaker: false });

  async function start(env: Record<string, string> = {}) {
    const config = loadConfig({
      ...paperOnSandbox(server, ACCOUNT, prefix),
      MARKET_SYMBOLS: 'BTCUSDT',
      FUTURES_SYMBOLS: 'BTCUSDT',
      METRICS_PORT: '0',
      RISK_STALE_AFTER_SECONDS: '86400',
      ...env,
    });
    if (!config.ok) throw new Error(config.message);
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (c: Buffer) => (screen += c.toString('utf8')));
    const started = await startTradingApp(config.config, {
      input,
      output,
      clock: time,
      pipelineTime: time,
      killReceiptBound: () => new Promise<void>(() => undefined),
      log: pino({ level: 'silent' }),
      terminal: false,
    });
    if (!started.ok) throw new Error(started.error.message);
    const app: TradingApp = started.value;
    const seen: Seen[] = [];
    const bus = app.kernel.host.bus;
    for (const type of [
      'OrderAccepted',
      'OrderFilled',
      'OrderReported',
      'TradeTicked',
      'MarkPriceTicked',
      'FuturesAccountReported',
      'OrderCanceled',
    ] as const)
      bus.on(type, (m: Seen) => void seen.push(m));
    const type = async (line: string, expected: string) => {
      const mark = screen.length;
      input.write(`${line}\n`);
      await until(() => screen.slice(mark).includes(expected), 30_000);
    };
    const place = (id: string, side: Side, price: string, quantity: string) => {
      const intent: OrderIntent = {
        clientOrderId: manualOrderId(id, side),
        symbol: PERP,
        side,
        type: 'LIMIT',
        price: fx(price),
        quantity: fx(quantity),
        timeInForce: 'GTC',
        owner: { kind: 'manual' },
        reducesPosition: false,
      };
      bus.send({ type: 'PlaceOrder', intent });
      return intent.clientOrderId;
    };
    const of = <T extends Seen['type']>(t: T, id?: string) =>
      seen.filter(
        (m): m is Extract<Seen, { type: T }> => m.type === t && (id === undefined || ('clientOrderId' in m && m.clientOrderId === id)),
      );
    return { app, seen, place, of, type };
  }

  const venueOpen = () => {
    const open = hub.futuresEngine.openOrders('BTCUSDT'); // the sandbox speaks Binance's names
    return open.ok ? open.value.map((o) => o.clientOrderId) : [];
  };
  return { hub, server, prefix, accepted, tick, start, venueOpen };
}

let h: Awaited<ReturnType<typeof harness>> | undefined;
let running: TradingApp | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
  await h?.server.close();
  if (h) await deleteKeys(h.prefix);
  h = undefined;
}, 30_000);

describe('USD-M perpetuals in paper mode', () => {
  it('a .P order goes through the pipeline to /fapi, fills on the tape, and the bus sees the futures facts; /kill sweeps it', async () => {
    h = await harness();
    const bot = await h.start();
    running = bot.app;
    expect(bot.app.venue.futures).toBeDefined();
    expect(bot.app.kernel.instruments.has(PERP)).toBe(true);
    // The feeds subscribe asynchronously: the tape runs until the perpetual's trade and mark have reached the bus.
    await until(() => {
      h!.tick('40000');
      return bot.of('TradeTicked').some((m) => m.tick.symbol === PERP) && bot.of('MarkPriceTicked').some((m) => m.symbol === PERP);
    }, 20_000);
    expect(bot.app.kernel.market.lastPrice(PERP)).toBe(fx('40000'));

    const buy = bot.place('F1', 'BUY', '39900', '0.005');
    await until(() => bot.of('OrderAccepted', buy).length === 1, 20_000);
    expect(bot.of('OrderAccepted', buy)[0]!.symbol).toBe(PERP);
    h.tick('39800');
    await until(() => bot.of('OrderFilled', buy).length === 1, 20_000);
    const fill = bot.of('OrderFilled', buy)[0]!;
    expect(fill).toMatchObject({ symbol: PERP, quantity: fx('0.005'), quote: fx('199.5'), commissionAsset: 'USDT', complete: true });
    expect(fill.commission).toBe(fx('0.0399')); // maker 0.02 % of 199.5
    const opened = bot.of('OrderReported').find((m) => m.report.clientOrderId === buy && m.report.trade)!;
    expect(opened.report.trade!.realizedPnl).toBe(0n);
    await until(() => bot.of('FuturesAccountReported').some((m) => m.update.reason === 'ORDER'), 20_000);

    const sell = bot.place('F2', 'SELL', '40100', '0.005');
    await until(() => bot.of('OrderAccepted', sell).length === 1, 20_000);
    h.tick('40200');
    await until(() => bot.of('OrderFilled', sell).length === 1, 20_000);
    const closed = bot.of('OrderReported').find((m) => m.report.clientOrderId === sell && m.report.trade)!;
    expect(closed.report.trade!.realizedPnl).toBe(fx('1')); // (40100 − 39900) × 0.005, before fees
    expect(bot.of('OrderFilled', sell)[0]!.quote).toBe(fx('200.5'));

    // The futures book equals the sandbox: position, realized PnL (the sum of userTrades) and the wallet.
    const book = bot.app.kernel.futuresBook;
    await until(() => book.positionView(PERP)?.fees === fx('0.08'), 20_000);
    const venuePos = h.hub.futuresEngine.positions('BTCUSDT');
    expect(book.positionView(PERP)?.amount).toBe(venuePos.ok ? (venuePos.value[0]?.positionAmt ?? 0n) : -1n);
    const trades = h.hub.futuresEngine.userTrades('BTCUSDT');
    expect(book.positionView(PERP)?.realizedPnl).toBe(trades.ok ? trades.value.reduce((s, t) => s + t.realizedPnl, 0n) : -1n);
    expect(book.totals().walletBalance).toBe(h.hub.futuresEngine.account().totalWalletBalance);

    const resting = [bot.place('F3', 'BUY', '39000', '0.005'), bot.place('F4', 'BUY', '38900', '0.005')];
    await until(() => resting.every((id) => bot.of('OrderAccepted', id).length === 1), 20_000);
    expect(h.venueOpen().sort()).toEqual([...resting].sort());
    await bot.type('/kill now', 'The receipt follows');
    await until(() => h!.venueOpen().length === 0, 20_000);
    await until(() => resting.every((id) => bot.of('OrderCanceled', id).length === 1), 20_000);
    for (const id of [buy, sell, ...resting]) expect(h.accepted.get(id)).toBe(1);
  }, 90_000);

  it('a futures placement whose answer is lost (-1007 after the venue acted) is settled by asking, never placed twice', async () => {
    h = await harness();
    const bot = await h.start();
    running = bot.app;
    await until(() => (h!.tick('40000'), bot.app.kernel.market.lastPrice(PERP) !== undefined), 20_000);
    const answers: number[] = [];
    h.server.onResponse((r) => r.path === '/fapi/v1/order' && r.method === 'POST' && answers.push(r.status));
    h.server.faults.arm({ kind: 'unknownAfterPlace', match: 'POST /fapi/v1/order' });
    const id = bot.place('U1', 'BUY', '39500', '0.005');
    await until(() => bot.of('OrderAccepted', id).length === 1, 30_000);
    expect(h.accepted.get(id)).toBe(1);
    expect(h.venueOpen()).toEqual([id]);
    expect(answers).toEqual([503]); // the one placement, its answer lost; nothing sent again
  }, 90_000);

  it('a restart on the same prefix does not place a futures order again', async () => {
    h = await harness();
    const first = await h.start();
    running = first.app;
    await until(() => (h!.tick('40000'), first.app.kernel.market.lastPrice(PERP) !== undefined), 20_000);
    const id = first.place('R1', 'BUY', '39500', '0.005');
    await until(() => first.of('OrderAccepted', id).length === 1, 20_000);
    await first.app.shutdown();
    running = undefined;

    // While the bot is down the order fills; the restart books that fill from REST and places nothing.
    h.tick('39400');
    const second = await h.start();
    running = second.app;
    await untilAsync(async () => second.app.kernel.tracker.get(id)?.status === 'filled', 20_000);
    expect(second.app.kernel.tracker.get(id)!.filledQuote).toBe(fx('197.5'));
    // The start has finished its recovery (re-queue, orphans) before it resolved: nothing was sent again.
    expect(h.accepted.get(id)).toBe(1);
    expect(second.of('OrderAccepted', id)).toEqual([]);
  }, 90_000);

  it('a long futures grid: previewed on the venue, its margin type and leverage set there, started; /positions and /funding', async () => {
    h = await harness();
    const bot = await h.start();
    running = bot.app;
    await until(() => {
      h!.tick('40000');
      return bot.of('MarkPriceTicked').some((m) => m.symbol === PERP);
    }, 20_000);
    await bot.type('/grid BTCUSDT 3 0.5 100 long x5 isolated', 'net of 0.02 % maker fees');
    await bot.type('confirm', 'Grid G1 started on BTCUSDT.P');
    const config = h.hub.futuresEngine.symbolConfig('BTCUSDT');
    expect(config.ok && config.value[0]).toMatchObject({ leverage: 5, marginType: 'ISOLATED' });
    // The long grid's opening market buy, booked from the bot's fill, equals the venue's position.
    await until(() => (bot.app.kernel.futuresBook.positionView(PERP)?.amount ?? 0n) > 0n, 20_000);
    const venuePos = h.hub.futuresEngine.positions('BTCUSDT');
    expect(bot.app.kernel.futuresBook.positionView(PERP)).toMatchObject({
      amount: venuePos.ok ? venuePos.value[0]?.positionAmt : -1n,
      leverage: 5,
      marginType: 'ISOLATED',
    });
    await bot.type('/positions', 'x5 isolated');
    await bot.type('/funding BTCUSDT', 'at this rate and mark');
  }, 90_000);
});
