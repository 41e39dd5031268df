import { afterEach, describe, expect, it } from 'vitest';
import type { TradingApp } from '../../src/app/trading-app.js';
import { formatQuote } from '../../src/chat/index.js';
import { quantity, signedMoney } from '../../src/chat/numbers.js';
import { type Instrument, ZERO, catalogInstrument } from '../../src/domain/index.js';
import { paperChat, until } from '../kit/paper-chat.js';

let running: TradingApp | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
});

describe('paper demo in the terminal', () => {
  it('previews, confirms, fills, reports consistently and kills, as typed by the owner', async () => {
    const { app, type, market, screen, restOpenOrders } = await paperChat();
    running = app;
    await market(0.2); // the owner types right away: the first trades are enough for a price

    const preview = await type('/grid BTCUSDT 10 0.5', 'Type confirm or cancel.');
    expect(preview).toMatch(/BTCUSDT/);
    expect(preview.match(/BUY/g)?.length).toBeGreaterThanOrEqual(10);
    expect(preview.match(/SELL/g)?.length).toBeGreaterThanOrEqual(10);
    expect(preview).toMatch(/market/i); // no BTC yet: the sell side is bought at market first

    await type('confirm', 'Grid G1 started');
    await until(() => app.kernel.tracker.openCount('BTCUSDT') === 20);
    // Paper mode is Binance's protocols on loopback: any HTTP client sees the bot's orders on the sandbox's REST port.
    expect(await restOpenOrders()).toEqual(
      app.kernel.tracker
        .open()
        .map((o) => o.intent.clientOrderId)
        .sort(),
    );

    // Within one minute of synthetic market time, fills and a grid round trip come back as chat lines.
    const mark = screen().length;
    await market(60);
    const feed = screen().slice(mark);
    expect(feed).toMatch(/✅ Filled (BUY|SELL) [\d.]+ BTCUSDT @/);
    expect(feed).toMatch(/💰 Grid G1 round trip \+/);

    // What the commands say agrees with the engine's books.
    const open = app.kernel.tracker.open();
    const orders = await type('/orders', `Open orders: ${open.length}`);
    for (const o of open) expect(orders).toContain(`@ ${formatQuote(o.intent.price!)}`);
    const position = app.kernel.portfolio.position('BTCUSDT');
    expect(position && position.quantity > ZERO).toBe(true);
    const positions = await type('/positions', 'BTCUSDT');
    // Shown to BTCUSDT's lot step, as a trader reads it.
    const btc = catalogInstrument('BTCUSDT') as Instrument;
    const steps = { tickSize: btc.filters.priceFilter.tickSize, stepSize: btc.filters.lotSize.stepSize };
    expect(positions).toContain(`BTCUSDT ${quantity(position!.quantity, steps)} @ avg`);
    const gridProfit = app.kernel.portfolio.pnl().grids[0]!.profit;
    const pnl = await type('/pnl', 'G1');
    expect(pnl).toContain(`grid profit ${signedMoney(gridProfit)}`);

    // /kill cancels every open order and says how many.
    const openBefore = app.kernel.tracker.openCount();
    await type('/kill', 'Type confirm or cancel.');
    const receipt = await type('confirm', 'Send /resume to trade again.');
    expect(receipt).toContain(`Orders cancelled: ${openBefore}`);
    expect(receipt).not.toMatch(/refused|Still being asked/);
    expect(receipt).toContain('Positions left open: 1'); // the BTC the grid holds is kept, and said so
    expect(await restOpenOrders()).toEqual([]);
    expect(app.kernel.tracker.openCount()).toBe(0);
    expect(app.kernel.tradingState.state()).toBe('HALTED');
  });

  it('answers a wrong argument with what was wrong, the usage and an example, and places nothing', async () => {
    const { app, type, market } = await paperChat();
    running = app;
    await market(1);
    const reply = await type('/grid BTCUSDT ten 0.5', 'Example:');
    expect(reply).toMatch(/LEVELS/);
    expect(reply).toMatch(/Usage: \/grid SYMBOL LEVELS SPACING/);
    // Parses, but means something impossible: still the usage and an example.
    const stop = await type('/grid BTCUSDT 10 0.5 sl=200000', 'Example:');
    expect(stop).toMatch(/stop-loss/i);
    expect(stop).toMatch(/Usage: \/grid SYMBOL/);
    await type('confirm', /nothing|no pending|Nothing/i);
    expect(app.kernel.tracker.openCount()).toBe(0);
  });

  it('stops when the input ends and shuts down cleanly', async () => {
    const { app, input } = await paperChat();
    input.end();
    await expect(app.closed).resolves.toBe('end');
    await app.shutdown();
  });
});
