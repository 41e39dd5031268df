import { afterEach, describe, expect, it } from 'vitest';
import type { TradingApp } from '../../src/app/trading-app.js';
import { type Fixed, type Message, fx } from '../../src/domain/index.js';
import { paperChat, until } from '../kit/paper-chat.js';

let running: TradingApp | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
});

/** Trades this test prints itself, numbered far above the synthetic tape's so no feed takes them for repeats. */
let nextTradeId = 900_000_000;

describe('a websocket drop mid-stream', () => {
  it('is noticed, reconnected within 5 s, and loses no fill: what the user stream missed is fetched over REST', async () => {
    const { app, clock, type, market, screen } = await paperChat();
    running = app;
    const sandbox = app.exchange.embedded!;
    const bus = app.kernel.host.bus;
    await market(0.2);
    await type('/grid BTCUSDT 10 0.5', 'Type confirm or cancel.');
    await type('confirm', 'Grid G1 started');
    await until(() => app.kernel.tracker.openCount('BTCUSDT') === 20);

    // Every fill the sandbox made, against every fill the bot booked, by order and quantity.
    const made = new Map<string, Fixed>();
    const booked = new Map<string, Fixed>();
    let bookedCount = 0;
    let madeCount = 0;
    sandbox.hub.onVenueEvent((e) => {
      if (e.type !== 'execution' || !e.report.trade) return;
      madeCount++;
      made.set(e.report.clientOrderId, (made.get(e.report.clientOrderId) ?? 0n) + e.report.trade.quantity);
    });
    bus.on('OrderFilled', (m) => {
      bookedCount++;
      booked.set(m.clientOrderId, (booked.get(m.clientOrderId) ?? 0n) + m.quantity);
    });
    let heardTrades = 0;
    app.kernel.gateway.subscribe({ onExecution: (r) => void (r.trade && heardTrades++), onBalances: () => {} });
    const sent: Message[] = [];
    bus.on('OrderSent', (m) => sent.push(m));

    // The two nearest buys, highest first; the grid re-arms each with a sell one level up.
    const buys = app.kernel.tracker
      .open()
      .filter((o) => o.intent.side === 'BUY')
      .sort((a, b) => (a.intent.price! > b.intent.price! ? -1 : 1));
    const [first, second, third] = buys as [(typeof buys)[0], (typeof buys)[0], (typeof buys)[0]];
    const print = (price: Fixed) => {
      clock.advance(1);
      sandbox.hub.trade({ symbol: 'BTCUSDT', price, quantity: fx('10'), time: clock.now(), tradeId: ++nextTradeId, isBuyerMaker: false });
    };

    const mark = screen().length;
    const droppedAt = performance.now();
    expect(sandbox.server.faults.arm({ kind: 'dropSockets', target: 'all' }).ok).toBe(true);
    // While the sockets are down the tape trades through the nearest buy and the next: the sandbox fills both,
    // and neither the fill reports nor the trades reach the bot.
    print(second.intent.price! - fx('0.01'));
    expect(made.get(first.intent.clientOrderId)).toBe(first.intent.quantity);
    expect(made.get(second.intent.clientOrderId)).toBe(second.intent.quantity);
    expect(made.size).toBe(2);

    const after = () => screen().slice(mark);
    await until(() => after().includes('Market data stale on BTCUSDT'), 5_000);
    // The market feed reconnects on its own backoff; a trade on the new connection is the first sign of data back.
    await until(() => sandbox.server.faults.status().sockets.market > 0, 5_000);
    // At the second buy's level: above the third buy and below both re-armed sells, so it fills nothing more. Printed
    // again every 50 polls in case the first went to a connection the server had not yet counted out.
    expect(third.intent.price! < second.intent.price!).toBe(true);
    let polls = 0;
    await until(() => {
      if (after().includes('Market data back on BTCUSDT')) return true;
      if (polls++ % 50 === 0) print(second.intent.price!);
      return false;
    }, 5_000);
    expect(performance.now() - droppedAt).toBeLessThan(5_000);
    expect(after().indexOf('Market data stale')).toBeLessThan(after().indexOf('Market data back'));

    // The REST catch-up books both fills exactly once and the grid re-arms each level.
    await until(() => bookedCount === madeCount && app.kernel.tracker.openCount('BTCUSDT') === 20 && sent.length === 2, 5_000);
    await app.kernel.reconciler.reconcile();
    await app.kernel.executor.settled();
    expect(heardTrades).toBe(0);
    expect(bookedCount).toBe(madeCount);
    expect(booked).toEqual(made);
    expect(made.size).toBe(2);
    expect(app.kernel.tracker.get(first.intent.clientOrderId)?.status).toBe('filled');
    expect(app.kernel.tracker.get(second.intent.clientOrderId)?.status).toBe('filled');
    // Re-armed: one sell per filled buy, each resting above the last trade.
    const rearmed = sent.flatMap((m) => (m.type === 'OrderSent' ? [m] : []));
    expect(rearmed.map((m) => m.side)).toEqual(['SELL', 'SELL']);
    for (const m of rearmed) expect(app.kernel.tracker.get(m.clientOrderId)?.status).toBe('accepted');
    // The chat lines come after the re-arms are answered (the trading path first): both, once each.
    const filledLines = () => after().match(/✅ Filled BUY [\d.]+ BTCUSDT @/g) ?? [];
    await until(() => filledLines().length >= 2, 5_000);
    expect(filledLines()).toHaveLength(2);
  });
});
