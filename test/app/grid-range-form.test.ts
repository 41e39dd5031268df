import { afterEach, describe, expect, it } from 'vitest';
import type { TradingApp } from '../../src/app/trading-app.js';
import { type Fixed, fixed, format, fx } from '../../src/domain/index.js';
import { paperChat, until } from '../kit/paper-chat.js';

let running: TradingApp | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
});

/** The last trade the bot saw, in whole USDT (down), so the test can type a range around it. */
function priceNow(app: TradingApp): bigint {
  const last = app.kernel.market.lastPrice('BTCUSDT') as Fixed;
  return fixed.roundTo(last, fx('1'), 'floor') / fx('1');
}

describe("/grid's range form and trigger, typed into the chat", () => {
  it('previews a range both ways, and confirming places its lines: buys below the price, sells above, one left out', async () => {
    const { app, type, market } = await paperChat();
    running = app;
    await market(0.2);
    const p = priceNow(app);
    const lower = p - 1000n;
    const upper = p + 1000n;
    const preview = await type(`/grid BTCUSDT ${lower}-${upper} 20 2000`, 'Type confirm or cancel.');
    expect(preview).toContain(`${lower}.00–${upper}.00 · 20 grids arithmetic · 100.00 USDT per grid (2000.00 USDT in all)`);
    expect(preview).toContain(`Range: ${lower}.00–${upper}.00 USDT, 20 grids`);
    expect(preview).toMatch(/Spacing: 100\.00 USDT \(0\.10\d*–0\.10\d* %\)/);
    expect(preview).toMatch(/Per grid: 0\.00\d+(–0\.00\d+)? BTC/);
    expect(preview).toMatch(/Profit per grid, net of 0\.1 % maker fees: /);
    expect(preview).toContain('Confirm to place 20 orders');
    // The line nearest the price, p itself (the lines are lower + 100·k), carries no order.
    expect(preview).toMatch(new RegExp(`\\n\\s+0\\s+—\\s+${p}\\.00\\s+no order \\(price now [\\d.]+\\)\\n`));

    const started = await type('confirm', 'Grid G1 started');
    expect(started).toContain('The 10 sell levels follow once the market buy has filled.');
    // The market buy fills, then the sells go out: 20 limit orders on the 21 lines, every one on a line.
    await until(() => app.kernel.tracker.openCount('BTCUSDT') === 20);
    await market(0.5);
    const prices = app.kernel.tracker
      .open()
      .map((o) => o.intent.price as Fixed)
      .sort((a, b) => (a < b ? -1 : 1));
    expect(prices).toHaveLength(20);
    for (const price of prices) expect((price - fx(String(lower))) % fx('100')).toBe(0n);
    const buys = app.kernel.tracker.open().filter((o) => o.intent.side === 'BUY');
    expect(buys.every((o) => (o.intent.price as Fixed) < fx(String(p + 50n)))).toBe(true);
    expect(await type('/grids', 'G1')).toContain(`${lower}.00–${upper}.00 · 20 grids arithmetic`);
  });

  it('with at=PRICE the grid waits, visibly, places nothing, and starts with a note when the market trades through it', async () => {
    const { app, type, market, restOpenOrders, screen } = await paperChat();
    running = app;
    await market(0.2);
    const p = priceNow(app);
    // A trigger a little under the price: the seeded tape trades down through it within the minute.
    const trigger = p - 3n;
    const preview = await type(`/grid BTCUSDT ${p - 500n}-${p + 500n} 10 100/grid at=${trigger}`, 'Type confirm or cancel.');
    expect(preview).toMatch(
      new RegExp(`Waits for the market \\(now [\\d.]+\\) to trade at ${trigger}\\.00; the ladder below is priced there`),
    );
    expect(preview).toContain(`no order (trigger ${trigger}.00)`);
    expect(preview).toContain('· 100.00 USDT per grid · at');
    const waiting = await type('confirm', 'is confirmed and waiting');
    expect(waiting).toContain(`⏳ Grid G1 on BTCUSDT is confirmed and waiting: its 10 orders go out when BTCUSDT trades at ${trigger}.00`);
    expect(await type('/grids', 'G1')).toContain(`G1 · BTCUSDT · waiting for ${trigger}.00`);
    expect(app.kernel.tracker.openCount()).toBe(0);
    expect(await restOpenOrders()).toEqual([]);

    let seconds = 0;
    while (!app.kernel.grids.summaries().some((g) => g.status !== 'waiting') && seconds < 120) {
      await market(1);
      seconds++;
    }
    await until(() => /🎯 Grid G1 on BTCUSDT: the market traded at [\d.]+, through its trigger/.test(screen()));
    expect(app.kernel.grids.summaries()[0]?.status).not.toBe('waiting');
    // It fired on a trade at or through the trigger, from above (where the market was at the preview).
    const at = /the market traded at ([\d.]+), through its trigger/.exec(screen())?.[1] as string;
    expect(fx(at)).toBeLessThanOrEqual(fx(String(trigger)));
    await until(() => app.kernel.tracker.openCount('BTCUSDT') > 0);
    expect(await type('/grids', 'G1')).not.toContain('waiting for');
  });

  it('bad input is answered with the argument, what was expected and an example', async () => {
    const { app, type, market } = await paperChat();
    running = app;
    await market(0.2);
    const p = priceNow(app);
    expect(await type('/grid BTCUSDT 100000-90000 20', 'RANGE')).toContain(
      '✗ RANGE: the lower price 100000 must be below the upper price 90000, like 90000-100000.',
    );
    expect(await type('/grid BTCUSDT 90000-100000 1', 'GRIDS')).toContain("✗ GRIDS must be a whole number from 2 to 200, got '1'.");
    expect(await type('/grid BTCUSDT 90000-100000', 'GRIDS')).toContain(
      '✗ GRIDS is missing: how many grids between the two prices, like /grid BTCUSDT 90000-100000 20 1000.',
    );
    expect(await type('/grid BTCUSDT 90000-100000 20 lots', 'INVEST')).toContain(
      '✗ INVEST must be the total USDT to invest, like 1000 or 1000USDT, or an amount per grid, like 50/grid, ' +
        "above 0 with at most 8 decimals; got 'lots'.",
    );
    expect(await type('/grid BTCUSDT 90000-100000 20 at=soon', 'at must')).toContain(
      "✗ at must be a price above 0 with at most 8 decimals, like at=90000, got 'soon'.",
    );
    expect(await type(`/grid BTCUSDT ${p + 1000n}-${p + 2000n} 20`, 'outside')).toContain(
      `is outside the range ${p + 1000n}–${p + 2000n}: a range grid starts inside its range.`,
    );
    expect(await type(`/grid BTCUSDT ${p - 1000n}-${p + 1000n} 20 50USDT`, 'INVEST')).toMatch(
      new RegExp(
        `INVEST: 50 USDT over 20 grids is 2\\.5 USDT per grid, too little for one order at the top line ${p + 1000n} ` +
          `under BTCUSDT's minimum order \\(5 USDT, 0\\.00001 BTC\\); invest at least \\d+ USDT, like /grid BTCUSDT`,
      ),
    );
    expect(await type(`/grid BTCUSDT ${p - 1000n}-${p + 1000n} 20 sl=${p + 10n}`, 'stop-loss')).toContain(
      `stop-loss ${format(fx(String(p + 10n)))} must be above 0 and below the price`,
    );
    expect(app.kernel.grids.summaries()).toEqual([]);
  });
});
