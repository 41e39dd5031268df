/**
 * Issue 12's liquidation scenario, end to end in paper mode: the owner starts a long x20 isolated grid through Telegram
 * (the fake Bot API), the test pushes the sandbox's tape down until every buy has filled, predicts the liquidation
 * price with the domain's formula from the sandbox's positionRisk and brackets, and crashes the tape through it. The
 * sandbox liquidates at that price exactly; the owner hears the margin call first and the liquidation after, on the
 * outbox's urgent lane; the grid stops saying why; the bot's futures book equals the sandbox's account.
 * The tape is the test's own (hub.trade); every wait is on a state, never on time.
 */
import { pino } from 'pino';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type TradingApp, startTradingApp } from '../../src/app/trading-app.js';
import type { Notification } from '../../src/chat/index.js';
import { type Fixed, type FuturesExecutionReport, ZERO, catalogInstrument, fixed, fx, liquidationPrice } from '../../src/domain/index.js';
import { systemTime } from '../../src/execution/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../src/sandbox/index.js';
import { type FakeTelegram, startFakeTelegram } from '../kit/fake-telegram/index.js';
import { deleteKeys, uniquePrefix } from '../kit/redis.js';
import { paperOnSandbox } from '../kit/sandbox-env.js';
import { until } from '../kit/until.js';

const ACCOUNT = { apiKey: 'liq-app-key-0123456789', apiSecret: 'liq-app-secret-0123456789' };
const TOKEN = '123456:TESTTOKENabcdefghijklmnopqrstuvwxyz';
const owner = { id: 1001, first_name: 'Owner' };
const ownerDm = { id: 1001, type: 'private' as const };
const PERP = 'BTCUSDT.P';
const WALLET = fx('10000');
const time = systemTime;

let server: SandboxServer | undefined;
let app: TradingApp | undefined;
let fake: FakeTelegram | undefined;
const prefix = uniquePrefix();
afterEach(async () => {
  await app?.shutdown();
  await server?.close();
  await fake?.close();
  await deleteKeys(prefix);
  app = server = fake = undefined;
}, 30_000);

const sum = (xs: readonly Fixed[]) => xs.reduce((a, b) => a + b, ZERO);

describe('a long x20 grid in a crash', () => {
  it('is liquidated at the predicted price; margin call first, urgent liquidation after; the bot matches the sandbox', async () => {
    const hub = new SandboxHub({
      instruments: [catalogInstrument('BTCUSDT')!],
      balances: { USDT: fx('100000'), BTC: fx('1') },
      account: ACCOUNT,
      now: () => time.now(),
      futuresAccount: { walletBalance: WALLET },
    });
    server = await startSandboxServer({ hub });
    fake = await startFakeTelegram();
    fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
    fake.addChat(ownerDm, TOKEN, owner);

    const loaded = loadConfig({
      ...paperOnSandbox(server, ACCOUNT, prefix),
      MARKET_SYMBOLS: 'BTCUSDT',
      FUTURES_SYMBOLS: 'BTCUSDT',
      METRICS_PORT: '0',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_ALLOWED_CHAT_IDS: String(ownerDm.id),
      TELEGRAM_ALLOWED_USER_IDS: String(owner.id),
      RISK_STALE_AFTER_SECONDS: '86400',
      RISK_MAX_LEVERAGE: '20',
      // x20 puts the liquidation price about 5 % under the entry: the default 15 % distance would refuse every buy.
      RISK_MIN_LIQUIDATION_DISTANCE_PCT: '1',
      RISK_MAX_POSITION_NOTIONAL: '10000000',
      RISK_MAX_ORDER_NOTIONAL: '100000',
    });
    if (!loaded.ok) throw new Error(loaded.message);
    const started = await startTradingApp(loaded.config, {
      input: new PassThrough(),
      output: new PassThrough(),
      clock: time,
      pipelineTime: time,
      killReceiptBound: () => new Promise<void>(() => undefined),
      log: pino({ level: 'silent' }),
      terminal: false,
    });
    if (!started.ok) throw new Error(started.error.message);
    app = started.value;
    const bot = app;
    const kernel = bot.kernel;

    // What reaches the outbox, with its lane: the front end's notes go through Outbox.enqueue, observed here unchanged.
    const outbox = bot.front.outbox!;
    const notes: Notification[] = [];
    const enqueue = outbox.enqueue.bind(outbox);
    outbox.enqueue = (note: Notification) => {
      notes.push(note);
      return enqueue(note);
    };
    const delivered = () =>
      fake!
        .messages(ownerDm.id, TOKEN)
        .map((m) => m.text ?? '')
        .join('\n');

    const botLiquidation: FuturesExecutionReport[] = [];
    kernel.host.bus.on('PositionLiquidated', (m) => void botLiquidation.push(m.report));
    let tradeId = 0;
    /** One trade on the sandbox's tape, then until the bot's feed has it (the perpetual's aggTrade). */
    const trade = async (price: Fixed) => {
      // A whole BTC: the sandbox shares one trade's quantity among the orders it crosses, and each level fills whole.
      hub.trade({ symbol: 'BTCUSDT', price, quantity: fx('1'), time: time.now(), tradeId: ++tradeId, isBuyerMaker: true });
      await until(() => kernel.market.lastPrice(PERP) === price, 20_000);
    };
    const venueOpen = () => {
      const open = hub.futuresEngine.openOrders('BTCUSDT');
      return open.ok ? open.value : [];
    };
    const venuePosition = () => {
      const p = hub.futuresEngine.positions('BTCUSDT');
      if (!p.ok) throw new Error(JSON.stringify(p.error));
      return p.value[0]!;
    };
    const botOpen = () => kernel.tracker.open().filter((r) => r.intent.symbol === PERP);

    await until(() => fake!.messages(ownerDm.id, TOKEN).some((m) => /telegrid · paper/.test(m.text ?? '')), 30_000);
    await until(() => {
      hub.trade({ symbol: 'BTCUSDT', price: fx('40000'), quantity: fx('0.01'), time: time.now(), tradeId: ++tradeId, isBuyerMaker: false });
      return kernel.market.lastPrice(PERP) !== undefined && kernel.futuresBook.mark(PERP) !== undefined;
    }, 20_000);

    // The owner asks for the grid and confirms it.
    fake.userSends(ownerDm, owner, '/grid BTCUSDT 4 0.5 1000 long x20', TOKEN);
    await until(() => fake!.messages(ownerDm.id, TOKEN).some((m) => m.reply_markup !== undefined), 30_000);
    const preview = fake.messages(ownerDm.id, TOKEN).find((m) => m.reply_markup !== undefined)!;
    expect(preview.text).toMatch(/x20/);
    expect(preview.text).toMatch(/isolated/);
    const confirm = (preview.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!;
    fake.userTaps(ownerDm, owner, preview.message_id, confirm.callback_data, TOKEN);

    // The long grid: its opening market buy (what its 4 sells will sell), then 4 buys under and 4 sells over.
    await until(() => venueOpen().length === 8 && botOpen().length === 8, 30_000);
    const symbolConfig = hub.futuresEngine.symbolConfig('BTCUSDT');
    expect(symbolConfig.ok && symbolConfig.value[0]).toMatchObject({ leverage: 20, marginType: 'ISOLATED' });
    const opened = venuePosition().positionAmt;
    expect(opened > ZERO).toBe(true);
    const buys = venueOpen()
      .filter((o) => o.side === 'BUY')
      .map((o) => o.price)
      .sort((a, b) => (a > b ? -1 : 1));
    expect(buys).toHaveLength(4);

    // The market slides through every buy: the position grows by each, each re-armed as a sell one level over.
    for (const price of buys) {
      await trade(price - fx('10'));
      await until(() => venueOpen().every((o) => o.price !== price) && venueOpen().length === 8 && botOpen().length === 8, 30_000);
    }
    await until(() => kernel.futuresBook.position(PERP).amount === venuePosition().positionAmt, 30_000);
    const full = venuePosition();
    expect(full.positionAmt > opened).toBe(true);
    expect(venueOpen().every((o) => o.side === 'SELL')).toBe(true);

    // The prediction, before the crash: the domain's formula on what the sandbox answers over HTTP (positionRisk and
    // leverageBracket, read through the bot's own binance-api-node futures gateway).
    const wire = bot.venue.futures!;
    const risk = await wire.positions(PERP);
    const asked = await wire.brackets(PERP);
    if (!risk.ok || !asked.ok) throw new Error('the sandbox did not answer positionRisk or leverageBracket');
    const position = risk.value.find((p) => p.symbol === PERP)!;
    expect(position.positionAmt).toBe(full.positionAmt);
    expect(position.marginType).toBe('ISOLATED');
    const brackets = asked.value.find((b) => b.symbol === PERP)!;
    const entryNotional = fixed.mul(position.positionAmt, position.entryPrice, 'halfEven');
    expect(entryNotional).toBe((full.positionAmt * full.entryPrice) / 10n ** 8n); // the entry is exact to 8 places here
    const margin = { mode: 'isolated' as const, wallet: position.isolatedWallet };
    const predicted = liquidationPrice(position.positionAmt, entryNotional, brackets, margin)!;
    expect(predicted).toBeDefined();
    expect(position.liquidationPrice).toBe(predicted.price); // positionRisk shows the same figure

    // The crash: 25 USDT a trade, each heard by the bot, until the sandbox has liquidated the position.
    let liquidation: { price: Fixed; clientOrderId: string; type: string } | undefined;
    const off = hub.onFuturesEvent((e) => {
      if (e.type === 'order' && e.order.type === 'LIQUIDATION' && e.order.status === 'FILLED')
        liquidation = { price: e.order.price, clientOrderId: e.order.clientOrderId, type: e.order.type };
    });
    let price = buys[buys.length - 1]! - fx('10');
    while (liquidation === undefined) {
      price -= fx('25');
      expect(price > predicted.price - fx('1000')).toBe(true); // a liquidation that never comes fails, not hangs
      await trade(price);
    }
    off();
    expect(liquidation.price).toBe(predicted.price);
    expect(liquidation.clientOrderId).toMatch(/^autoclose-/);
    await until(() => botLiquidation.length === 1, 30_000);
    expect(botLiquidation[0]!.trade!.price).toBe(predicted.price); // the bot heard the same price on its user stream

    // The bot: the position flat, the grid stopped with its reason, no order left on either side.
    await until(() => kernel.futuresBook.position(PERP).amount === ZERO, 30_000);
    await until(() => kernel.grids.summaries().every((g) => g.status === 'stopped'), 30_000);
    const summary = kernel.grids.summaries()[0]!;
    expect(summary.stopReason).toBe('liquidated');
    expect(summary.inventoryBase).toBe(ZERO); // the venue took the grid's coins with the position
    expect(summary.issues?.map((i) => i.code)).toContain('LIQUIDATED');
    expect(venueOpen()).toEqual([]);
    await until(() => botOpen().length === 0, 30_000);

    // The owner: a margin call, then the liquidation, both on the urgent lane, delivered in that order.
    await until(() => /LIQUIDATED/.test(delivered()) && /liquidated by the exchange/.test(delivered()), 60_000);
    const call = notes.findIndex((n) => n.text.includes('MARGIN CALL'));
    const liq = notes.findIndex((n) => n.text.includes('LIQUIDATED'));
    expect(call).toBeGreaterThanOrEqual(0);
    expect(liq).toBeGreaterThan(call);
    expect(notes[call]!.urgent).toBe(true);
    expect(notes[liq]!.urgent).toBe(true);
    // An isolated position's call names its own wallet, not the untouched cross wallet.
    expect(notes[call]!.text).toContain('isolated wallet');
    expect(notes[call]!.text).not.toContain('cross wallet');
    const text = delivered();
    expect(text.indexOf('MARGIN CALL')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('MARGIN CALL')).toBeLessThan(text.indexOf('LIQUIDATED'));

    // The bot's futures book equals the sandbox's positionRisk, balance and income, as its REST answers them.
    const [after, account, income] = await Promise.all([wire.positions(PERP), wire.account(), wire.income({ limit: 1000 })]);
    if (!after.ok || !account.ok || !income.ok) throw new Error('the sandbox did not answer positionRisk, account or income');
    const of = (t: string) => sum(income.value.filter((r) => r.incomeType === t).map((r) => r.income));
    const totals = kernel.futuresBook.totals();
    expect(after.value.find((p) => p.symbol === PERP)?.positionAmt ?? ZERO).toBe(ZERO);
    expect(venuePosition().positionAmt).toBe(ZERO);
    expect(kernel.futuresBook.position(PERP).amount).toBe(ZERO);
    expect(totals.walletBalance).toBe(account.value.totalWalletBalance);
    expect(totals.realizedPnl).toBe(of('REALIZED_PNL'));
    // The liquidation's clearance fee is booked by the venue as INSURANCE_CLEAR and shown as the fill's commission.
    expect(totals.fees).toBe(-(of('COMMISSION') + of('INSURANCE_CLEAR')));
    expect(totals.funding).toBe(of('FUNDING_FEE'));
    expect(totals.walletBalance).toBe(WALLET + totals.realizedPnl - totals.fees + totals.funding);
  }, 180_000);
});
