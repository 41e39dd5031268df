import { afterEach, describe, expect, it } from 'vitest';
import type { TradingApp } from '../../src/app/trading-app.js';
import { paperChat, until } from '../kit/paper-chat.js';

let running: TradingApp | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
});

describe('starting a grid says what happened to its orders', () => {
  it('when every opening order is refused: not started, nothing running, nothing on the exchange, and why', async () => {
    const { app, type, market, restOpenOrders } = await paperChat({ RISK_MAX_ORDER_NOTIONAL: '1' });
    running = app;
    await market(0.2);
    await type('/grid BTCUSDT 10 0.5', 'Type confirm or cancel.');
    const answer = await type('confirm', 'Grid not started');
    // The paper account starts with no BTC: a market buy and the 10 buy levels open the grid, the sells wait for it.
    expect(answer).toMatch(
      /none of its 11 opening orders could be placed \(11 × MAX_ORDER_NOTIONAL: order notional [\d.]+ USDT exceeds the 1 USDT limit/,
    );
    expect(answer).not.toContain('started on');
    expect(app.kernel.grids.summaries()).toEqual([]);
    expect(app.kernel.tracker.openCount()).toBe(0);
    expect(await type('/grids', /grid/i)).not.toContain('G1');
    expect(await restOpenOrders()).toEqual([]);
  });

  it('when some are refused: started with N of M orders, the reasons counted', async () => {
    const { app, type, market, restOpenOrders } = await paperChat({ RISK_MAX_OPEN_ORDERS_PER_SYMBOL: '5' });
    running = app;
    await market(0.2);
    await type('/grid BTCUSDT 10 0.5', 'Type confirm or cancel.');
    const answer = await type('confirm', 'Grid G1 started');
    expect(answer).toContain('placing 5 of 11 orders');
    expect(answer).toContain('The 10 sell levels follow once the market buy has filled.');
    expect(answer).toMatch(/6 refused by the risk gate:\n\s+6 × MAX_OPEN_ORDERS_SYMBOL: 5 orders already open on BTCUSDT \(limit 5\)/);
    await until(() => app.kernel.tracker.openCount('BTCUSDT') === 5);
    expect((await restOpenOrders()).length).toBe(5);
  });
});
