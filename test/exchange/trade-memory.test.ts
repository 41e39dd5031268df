import { describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src/domain/index.js';
import { TradeMemory } from '../../src/exchange/paper/trade-memory.js';

const report = (symbol: string, clientOrderId: string, tradeId: number): ExecutionReport =>
  ({ symbol, clientOrderId, trade: { tradeId } }) as unknown as ExecutionReport;
const ids = (m: TradeMemory, symbol: string, id: string) => m.reports(symbol, id)?.map((r) => r.trade?.tradeId);

describe('the paper venue`s trade memory', () => {
  it('keeps each order`s reports by symbol and client id, and forgets the order first remembered beyond the limit', () => {
    const m = new TradeMemory(2);
    m.remember(report('A', 'x', 1));
    m.remember(report('B', 'x', 2));
    m.remember(report('A', 'x', 3));
    expect(ids(m, 'A', 'x')).toEqual([1, 3]);
    expect(ids(m, 'B', 'x')).toEqual([2]);
    m.remember(report('A', 'y', 4));
    expect(m.reports('A', 'x')).toBeUndefined();
    expect(ids(m, 'B', 'x')).toEqual([2]);
    expect(ids(m, 'A', 'y')).toEqual([4]);
  });

  it('an order forgotten and remembered again counts from then, as the newest', () => {
    const m = new TradeMemory(2);
    m.remember(report('A', 'x', 1));
    m.remember(report('A', 'y', 2));
    m.forget('A', 'x');
    m.forget('A', 'nothing');
    expect(m.reports('A', 'x')).toBeUndefined();
    m.remember(report('A', 'x', 3));
    m.remember(report('A', 'z', 4));
    // y is the oldest held now: x came back after it.
    expect(m.reports('A', 'y')).toBeUndefined();
    expect(ids(m, 'A', 'x')).toEqual([3]);
    expect(ids(m, 'A', 'z')).toEqual([4]);
  });

  it('keeps the first-remembered order through many forgotten orders', () => {
    const m = new TradeMemory(3);
    m.remember(report('A', 'keep', 0));
    for (let i = 0; i < 20_000; i++) {
      m.remember(report('A', `o${i}`, i + 1));
      m.forget('A', `o${i}`);
    }
    m.remember(report('A', 'p', 1));
    m.remember(report('A', 'q', 2));
    expect(ids(m, 'A', 'keep')).toEqual([0]);
    m.remember(report('A', 'r', 3));
    expect(m.reports('A', 'keep')).toBeUndefined();
    expect(ids(m, 'A', 'p')).toEqual([1]);
  });
});
