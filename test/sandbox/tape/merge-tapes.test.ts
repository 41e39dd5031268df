import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type TradeTick, fx } from '../../../src/domain/index.js';
import { ArrayTape, loadTape, mergeTapes } from '../../../src/sandbox/tape/index.js';

const DATA = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)), '../shared/data');

const tick = (symbol: string, time: number, tradeId: number): TradeTick => ({
  symbol,
  price: fx('1'),
  quantity: fx('1'),
  time,
  tradeId,
  isBuyerMaker: false,
});

function drain(tape: { next(): TradeTick | undefined }): TradeTick[] {
  const out: TradeTick[] = [];
  for (let t = tape.next(); t !== undefined; t = tape.next()) out.push(t);
  return out;
}

describe('mergeTapes', () => {
  it('interleaves by time, earlier source first on ties, until every source ends', () => {
    const a = new ArrayTape(['A'], [tick('A', 1, 1), tick('A', 5, 2), tick('A', 9, 3)]);
    const b = new ArrayTape(['B'], [tick('B', 1, 1), tick('B', 2, 2)]);
    const empty = new ArrayTape([], []);
    const merged = mergeTapes(empty, a, b);
    expect(merged.symbols).toEqual(['A', 'B']);
    expect(drain(merged).map((t) => `${t.symbol}${t.time}`)).toEqual(['A1', 'B1', 'B2', 'A5', 'A9']);
    expect(merged.next()).toBeUndefined();
  });

  it('joins two real days of klines into one ordered tape with distinct ids', () => {
    const day = (d: string): ArrayTape => {
      const r = loadTape(path.join(DATA, `BTCUSDT-1m-2020-01-0${d}.csv`));
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    const ticks = drain(mergeTapes(day('2'), day('1')));
    expect(ticks).toHaveLength(2 * 1440 * 4);
    expect(ticks[0]?.time).toBe(1577836800000);
    expect(ticks.findIndex((t, i) => i > 0 && t.tradeId !== (ticks[i - 1] as TradeTick).tradeId + 1)).toBe(-1);
  });
});
