/**
 * Issue 11's trailing up, typed into the chat: a grid with `trail=PRICE` on a real trend (BTCUSDT hourly, 2024-03:
 * 61 000 → 73 000) replayed through the embedded sandbox. Every move is checked from the exchange's side: the orders
 * the sandbox accepted and cancelled, never the bot's own record of them.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { TradingApp } from '../../src/app/trading-app.js';
import {
  type Fixed,
  type GridTrailed,
  type Instrument,
  type Side,
  catalogInstrument,
  format,
  fx,
  validateOrder,
} from '../../src/domain/index.js';
import { scaledTime } from '../../src/execution/index.js';
import { paperChat } from '../kit/paper-chat.js';

const MONTH = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/data/spot/klines/BTCUSDT-1h-2024-03.csv');
const START = Date.UTC(2024, 2, 1);
const LIMIT = fx('70000');

let running: TradingApp | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
});

/** One order as the sandbox accepted it, and whether (and when, in its own sequence) it cancelled it. */
interface VenueOrder {
  readonly id: string;
  readonly side: Side;
  readonly type: string;
  readonly price: Fixed;
  readonly quantity: Fixed;
  readonly seq: number;
  canceledAt?: number;
  filled: Fixed;
}

describe('trailing up on a real trend, typed into the chat', () => {
  it('moves up through 2024-03: each move cancels the lowest buy and sells a new top line, counted as told, within the limit', async () => {
    const chat = await paperChat(
      {
        MARKET_DATA: `replay:${MONTH}`,
        MARKET_SYMBOLS: 'BTCUSDT',
        PAPER_BALANCES: 'USDT=20000',
        RISK_MAX_POSITION_NOTIONAL: '1000000',
        RISK_PRICE_BAND_PCT: '50',
        // An hourly tape trades a quarter of an hour apart in market time: that is the tape, not staleness.
        RISK_STALE_AFTER_SECONDS: '7200',
        MARKET_STALE_AFTER_SECONDS: '0',
      },
      START - 1_000,
      // A month of market in seconds: the rate budget's 10-second windows pass a hundred times faster, as the market does.
      scaledTime(100),
    );
    running = chat.app;
    const { app } = chat;
    const venue = new Map<string, VenueOrder>();
    let seq = 0;
    app.exchange.embedded!.hub.onVenueEvent((e) => {
      if (e.type !== 'execution') return;
      const r = e.report;
      let o = venue.get(r.clientOrderId);
      if (o === undefined) {
        o = { id: r.clientOrderId, side: r.side, type: r.type, price: r.price, quantity: r.origQty, seq: seq++, filled: fx('0') };
        venue.set(r.clientOrderId, o);
      }
      if (r.trade !== undefined) o.filled += r.trade.quantity;
      if (r.status === 'CANCELED') o.canceledAt = seq++;
    });
    const moves: GridTrailed[] = [];
    app.kernel.host.bus.on('GridTrailed', (m) => moves.push(m));

    await chat.market(3600, 3_600_000);
    // A limit under the ladder's top line is refused, naming the argument, with an example; nothing starts.
    const refused = await chat.type('/grid BTCUSDT 5 1 100 trail=62000', '✗');
    expect(refused).toMatch(/✗ .*trail=62000 must be above the ladder's top line [\d.]+: .*like trail=[\d.]+/);
    const preview = await chat.type(`/grid BTCUSDT 5 1 100 trail=${format(LIMIT)}`, 'Type confirm or cancel.');
    expect(preview).toContain('trailing up to 70000.00');
    expect(preview).toContain('Trailing up is on, up to 70000.00 USDT');
    await chat.type('confirm', 'Grid G1 started');
    const grid = () => app.kernel.grids.summaries()[0]!;
    const first = grid().trail!;
    expect(first).toMatchObject({ low: -5, high: 5, movesUp: 0 });

    // The month, a day at a time; a quarter of an hour per slice, so each trade's orders land before the next trade.
    for (let day = 0; day < 31; day++) await chat.market(86_400, 900_000);

    const s = grid();
    const t = s.trail!;
    // A real trend: the grid moved, as many times as it said, and the limit stopped it.
    expect(moves.length).toBeGreaterThanOrEqual(5);
    expect(t.movesUp).toBe(moves.length);
    expect(t.upLimitReached).toBe(true);
    expect(t.highPrice).toBeLessThanOrEqual(LIMIT);
    const grids = await chat.type('/grids', 'G1');
    expect(grids).toContain(`trailing up to 70000.00 · ${moves.length} moves (limit reached)`);
    expect(chat.screen()).toMatch(/↗ Grid G1 on BTCUSDT trailed up \(move 1\) at [\d.]+: cancelled the lowest buy, /);

    // Each move, from the exchange's side.
    let low = first.lowPrice;
    for (const [i, m] of moves.entries()) {
      expect(m.moves).toBe(i + 1);
      expect(m.high - m.low).toBe(10);
      // The lowest buy was cancelled by the exchange: a buy on the window's old bottom line.
      if (m.canceled !== undefined) {
        const c = venue.get(m.canceled)!;
        expect(c.side).toBe('BUY');
        expect(c.price).toBe(low);
        expect(c.canceledAt).toBeDefined();
      }
      // The move's one order, as the exchange accepted it; a market buy's fill then stocks a sell on the new top line.
      const placed = m.placed[0]!;
      const o = venue.get(placed.clientOrderId)!;
      expect(o).toBeDefined();
      if (placed.type === 'MARKET') {
        expect(o.side).toBe('BUY');
        expect(o.filled).toBe(o.quantity);
        const sell = [...venue.values()].find((v) => v.seq > o.seq && v.side === 'SELL' && v.id.endsWith(`_S${m.high}`));
        expect(sell?.price).toBe(m.highPrice);
        expect(sell?.type).toBe('LIMIT');
      } else {
        // A gap: the old top line got a buy instead, under the trade that moved it.
        expect(o.side).toBe('BUY');
        expect(o.price).toBeLessThan(m.price);
      }
      low = m.lowPrice;
    }
    // Most moves found a resting lowest buy to cancel (in a rising month the bottom buys rarely fill).
    expect(moves.filter((m) => m.canceled !== undefined).length).toBeGreaterThanOrEqual(moves.length - 1);

    // Never above the limit, and every order the grid sent passes the symbol's filters.
    const btc = catalogInstrument('BTCUSDT') as Instrument;
    const orders = [...venue.values()].filter((o) => o.id.startsWith('tg_G1_'));
    expect(orders.length).toBeGreaterThan(20);
    for (const o of orders) {
      if (o.type === 'LIMIT') expect(o.price).toBeLessThanOrEqual(LIMIT);
      const check = validateOrder(btc, {
        side: o.side,
        type: o.type as 'LIMIT' | 'MARKET',
        ...(o.type === 'LIMIT' ? { price: o.price } : {}),
        quantity: o.quantity,
      });
      expect(check.ok ? 'ok' : `${o.id}: ${check.error.message}`).toBe('ok');
    }
    // What rests on the exchange at the end is on the lines the grid now spans, and nowhere else.
    const lines = app.kernel.grids.linePrices('G1')!;
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe(t.lowPrice);
    expect(lines[10]).toBe(t.highPrice);
    const resting = orders.filter((o) => o.canceledAt === undefined && o.filled < o.quantity);
    expect(resting.length).toBeGreaterThan(5);
    for (const o of resting) expect(lines).toContain(o.price);
    // The books still add up: grid profit + floating PnL = total PnL.
    const g = app.kernel.portfolio.gridPnl('G1')!;
    expect(g.totalPnl).toBe(g.gridProfit + g.floatingPnl!);
  }, 120_000);
});
