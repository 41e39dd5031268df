import { afterEach, describe, expect, it } from 'vitest';
import type { TradingApp } from '../../src/app/trading-app.js';
import { type Fixed, type OrderIntent, fx } from '../../src/domain/index.js';
import { paperChat, until } from '../kit/paper-chat.js';

let running: TradingApp | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
});

/** Trades this test prints itself, numbered far above the synthetic tape's so no feed takes them for repeats. */
let nextTradeId = 910_000_000;

describe('a grid whose re-arms are refused while the market socket is frozen', () => {
  it('keeps every level: they wait (shown in /grids) and are placed, once each, when trades flow again', async () => {
    // Stale after 5 s without a trade, so a frozen feed makes the risk gate refuse new orders on the symbol.
    const { app, clock, type, market, screen, input, restOpenOrders } = await paperChat({ RISK_STALE_AFTER_SECONDS: '5' });
    running = app;
    const sandbox = app.exchange.embedded!;
    const bus = app.kernel.host.bus;
    await market(0.2);
    await type('/grid BTCUSDT 5 0.5', 'Type confirm or cancel.');
    await type('confirm', 'Grid G1 started');
    await until(() => app.kernel.tracker.openCount('BTCUSDT') === 10, 10_000);
    expect(app.kernel.grids.summaries()[0]).toMatchObject({ gridId: 'G1', status: 'running', openOrders: 10 });

    const sent: OrderIntent[] = [];
    bus.on('OrderSent', (m) => sent.push(m.intent));
    const denied: string[] = [];
    bus.on('OrderDenied', (m) => denied.push(`${m.intent.clientOrderId} ${m.code}`));
    let ticks = 0;
    bus.on('TradeTicked', () => ticks++);
    const print = (price: Fixed) => {
      clock.advance(1);
      sandbox.hub.trade({ symbol: 'BTCUSDT', price, quantity: fx('10'), time: clock.now(), tradeId: ++nextTradeId, isBuyerMaker: false });
    };
    const buys = app.kernel.tracker
      .open()
      .filter((o) => o.intent.side === 'BUY')
      .sort((a, b) => (a.intent.price! > b.intent.price! ? -1 : 1));
    const [first, second, third] = buys as [(typeof buys)[0], (typeof buys)[0], (typeof buys)[0]];

    // The market socket freezes (for longer than the test: it is thawed below); the user stream still reports fills.
    expect(sandbox.server.faults.arm({ kind: 'freezeSockets', target: 'market', ms: 120_000 }).ok).toBe(true);
    const ticksAtFreeze = ticks;
    clock.advance(10_000);
    // Through the two nearest buys: the sandbox fills both; the bot hears the fills but not the trades.
    print(second.intent.price! - fx('0.01'));
    const grid = () => app.kernel.grids.summaries()[0]!;
    await until(() => (grid().waiting?.[0]?.count ?? 0) === 2, 10_000);
    expect(ticks).toBe(ticksAtFreeze);
    expect(denied).toEqual([expect.stringMatching(/_S0 STALE_MARKET_DATA$/), expect.stringMatching(/_S-1 STALE_MARKET_DATA$/)]);
    expect(sent).toEqual([]);
    expect(grid()).toMatchObject({ status: 'running', openOrders: 8, waiting: [{ cause: 'stale', count: 2 }] });
    expect(await restOpenOrders()).toHaveLength(8);

    // /grids says so meanwhile (typed straight in: the frozen feed's lost trades never "land").
    const mark = screen().length;
    input.write('/grids\n');
    await until(() => screen().slice(mark).includes('levels waiting'));
    expect(screen().slice(mark)).toMatch(
      /8 open orders .*\n[\s\S]*⏳ 2 levels waiting: stale market data \(since \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/,
    );

    // Thawed: the first trade that reaches the bot releases both, each placed once, at its level's price.
    sandbox.server.faults.clear();
    expect(third.intent.price! < second.intent.price!).toBe(true);
    let polls = 0;
    await until(() => {
      if (ticks > ticksAtFreeze) return true;
      if (polls++ % 50 === 0) print(second.intent.price!);
      return false;
    }, 10_000);
    await until(() => app.kernel.tracker.openCount('BTCUSDT') === 10 && sent.length === 2, 10_000);
    await app.kernel.executor.settled();
    expect(sent.map((i) => [i.side, i.clientOrderId])).toEqual([
      ['SELL', expect.stringMatching(/_S0$/)],
      ['SELL', expect.stringMatching(/_S-1$/)],
    ]);
    // Each sell one level above the buy it re-arms.
    expect(sent[0]!.price! > first.intent.price!).toBe(true);
    expect(sent[1]!.price! > second.intent.price!).toBe(true);
    const onExchange = await restOpenOrders();
    expect(onExchange).toHaveLength(10);
    expect(new Set(onExchange).size).toBe(10);
    for (const i of sent) expect(onExchange).toContain(i.clientOrderId);
    expect(grid()).toMatchObject({ status: 'running', openOrders: 10 });
    expect(grid().waiting).toBeUndefined();
    const later = screen().length;
    input.write('/grids\n');
    await until(() => screen().slice(later).includes('10 open orders'));
    expect(screen().slice(later)).not.toContain('waiting');
  });
});

describe('a grid level refused for a lasting reason', () => {
  it('is told once, in the chat, and not retried', async () => {
    // Room for the 5 buys and 3 of the 5 sells: the owner's limit refuses the last two sells, for as long as it stands.
    const { app, type, market, screen } = await paperChat({ RISK_MAX_OPEN_ORDERS_PER_SYMBOL: '8' });
    running = app;
    await market(0.2);
    await type('/grid BTCUSDT 5 0.5', 'Type confirm or cancel.');
    const mark = screen().length;
    await type('confirm', 'Grid G1 started');
    const told = () =>
      screen()
        .slice(mark)
        .match(/🚫 Grid G1 level \+\d SELL [\d.]+ BTCUSDT @ [\d.]+ was not placed: MAX_OPEN_ORDERS_SYMBOL: .*/g) ?? [];
    await until(() => told().length === 2, 10_000);
    expect(told().map((t) => /level (\+\d)/.exec(t)?.[1])).toEqual(['+4', '+5']);
    expect(told()[0]).toContain('The level stays empty (not retried)');
    expect(app.kernel.tracker.openCount('BTCUSDT')).toBe(8);
    // Trades come and go: nothing is sent again, nothing told again, nothing waits.
    await market(5);
    expect(told()).toHaveLength(2);
    expect(app.kernel.grids.summaries()[0]?.waiting).toBeUndefined();
  });
});
