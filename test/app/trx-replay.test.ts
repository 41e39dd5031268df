import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { TradingApp } from '../../src/app/trading-app.js';
import type { ExecutionReport, TradeTick } from '../../src/domain/index.js';
import { loadTape } from '../../src/sandbox/index.js';
import { paperChat } from '../kit/paper-chat.js';

const TAPE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/data/TRXUSDT-trades-2025-03-04.csv');

let running: TradingApp | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
});

describe('a grid on real TRXUSDT trades replayed through the sandbox', () => {
  it('fills only at times the tape traded, at prices the tape traded at or through', async () => {
    const tape = loadTape(TAPE);
    if (!tape.ok) throw new Error(tape.error.message);
    const byTime = new Map<number, TradeTick[]>();
    for (const t of tape.value.ticks) byTime.set(t.time, [...(byTime.get(t.time) ?? []), t]);
    const first = tape.value.ticks[0]!.time;

    const chat = await paperChat({ MARKET_DATA: `replay:${TAPE}` }, first - 1_000);
    running = chat.app;
    const fills: ExecutionReport[] = [];
    chat.app.kernel.gateway.subscribe({ onExecution: (r) => r.trade && fills.push(r), onBalances: () => undefined });

    await chat.market(2, 1_000);
    await chat.type('/grid TRXUSDT 5 0.1 20', 'Type confirm or cancel.');
    await chat.type('confirm', 'Grid G1 started');
    await chat.market(40 * 60, 1_000);

    const grid = fills.filter((f) => f.clientOrderId.startsWith('tg_G1_'));
    const resting = grid.filter((f) => f.trade!.isMaker);
    expect(resting.length).toBeGreaterThan(10);
    for (const f of resting) {
      // A resting order fills on a tape trade: at that trade's time, when it traded through the order's price.
      const price = f.trade!.price;
      const through = (byTime.get(f.time) ?? []).some((t) => (f.side === 'BUY' ? t.price < price : t.price > price));
      expect(through, `fill ${f.clientOrderId} @ ${price} at ${f.time} matches no tape trade`).toBe(true);
    }
    for (const f of grid.filter((x) => !x.trade!.isMaker)) {
      // A taker (the entry's market buy) pays the last traded price before it.
      const before = tape.value.ticks.filter((t) => t.time <= f.time).at(-1);
      expect(f.trade!.price).toBe(before?.price);
    }
    expect(chat.screen()).toMatch(/💰 Grid G1 round trip/);
  }, 120_000);
});
