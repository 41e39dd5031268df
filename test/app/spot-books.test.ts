/**
 * Issue 11's spot books, typed into the chat: an account that already holds 0.5 BTC starts a 20-level grid on a real
 * rising day (BTCUSDT 2024-04-04, 1-minute klines, 65 964 → 68 488) replayed through the embedded sandbox.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { TradingApp } from '../../src/app/trading-app.js';
import { ZERO, format, fx } from '../../src/domain/index.js';
import { paperChat } from '../kit/paper-chat.js';

const DAY = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/data/spot/klines/BTCUSDT-1m-2024-04-04.csv');
const START = Date.UTC(2024, 3, 4);

let running: TradingApp | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
});

describe('a grid started on coins the account already holds, on a rising day', () => {
  it('never shows a negative spot position, and books the coins it sold above the start price as a gain', async () => {
    const chat = await paperChat(
      {
        MARKET_DATA: `replay:${DAY}`,
        MARKET_SYMBOLS: 'BTCUSDT',
        PAPER_BALANCES: 'USDT=20000,BTC=0.5',
        RISK_MAX_POSITION_NOTIONAL: '50000',
      },
      START - 1_000,
    );
    running = chat.app;
    const { app } = chat;
    await chat.market(120, 60_000);

    // The sells need 10 × ~1000 USDT of BTC: the account holds it, so there is no market buy and the preview says
    // those coins enter the grid's books at the price now.
    const preview = await chat.type('/grid BTCUSDT 10 0.5 1000', 'Type confirm or cancel.');
    const start = app.kernel.market.lastPrice('BTCUSDT')!;
    expect(preview).not.toMatch(/market buy first/);
    expect(preview).toMatch(/BTC of it from coins you hold: they enter the grid's books at [\d.]+ \(the price now\), as if bought then/);
    await chat.type('confirm', 'Grid G1 started');

    // The rest of the day, an hour at a time; after each, the position on the books is never short.
    const quantities: bigint[] = [];
    for (let h = 0; h < 22; h++) {
      await chat.market(3600, 60_000);
      quantities.push(app.kernel.portfolio.position('BTCUSDT')!.quantity);
    }
    expect(quantities.every((q) => q >= ZERO)).toBe(true);

    const books = app.kernel.portfolio;
    const g = books.gridPnl('G1')!;
    // It sold more than it bought back on the way up: it holds less than the coins it took from the account.
    const taken = fx(/sells: ([\d.]+) BTC/.exec(preview)![1]!);
    expect(g.base! < taken).toBe(true);
    expect(g.startPrice).toBe(start);
    expect(g.roundTrips).toBeGreaterThan(0);
    // Realized PnL of coins sold above the start price (every sell level is above it) is not a loss.
    const position = books.position('BTCUSDT')!;
    expect(position.realizedPnl >= ZERO).toBe(true);
    // The grid's figures add up, and on a rising day the grid's total is a gain.
    expect(g.totalPnl).toBe(g.gridProfit + g.floatingPnl!);
    expect(g.totalPnl! > ZERO).toBe(true);

    const positions = await chat.type('/positions', 'BTCUSDT');
    expect(positions).not.toMatch(/BTCUSDT -/);
    expect(positions).toMatch(/realized \+[\d.]+/);
    expect(positions).toMatch(/account holds [\d.]+ BTC, G1 manages [\d.]+/);
    const grids = await chat.type('/grids', 'G1');
    expect(grids).toMatch(/grid profit \+[\d.]+ · floating PnL [+-]?[\d.]+ · total PnL \+[\d.]+ · APR \+[\d.]+ % on [\d.]+ USDT invested/);
    // The same grid by id: the exact figures the books keep.
    const exact = await chat.type('/grids G1', 'invested');
    expect(exact).toContain(`total PnL +${format(g.totalPnl!)} ·`);
  }, 120_000);
});
