import { describe, expect, it } from 'vitest';
import { FLAT_POSITION, type FuturesPosition, applyFill, breakEvenPrice, format, fx } from '../../../src/domain/index.js';

function fills(...steps: ['BUY' | 'SELL', string, string, string?][]): { position: FuturesPosition; realized: string[] } {
  let position = FLAT_POSITION;
  const realized: string[] = [];
  for (const [side, qty, price, fee] of steps) {
    const r = applyFill(position, side, fx(qty), fx(price), fee === undefined ? 0n : fx(fee));
    position = r.position;
    realized.push(format(r.realizedPnl));
  }
  return { position, realized };
}

const shown = (p: FuturesPosition) => [format(p.amount), format(p.entryPrice), format(p.entryNotional), format(p.openingFees)];

describe('one-way position arithmetic (facts file D.2, D.7)', () => {
  it('averages the entry on adds and keeps it on a reduce; realized PnL is pre-fee and adds up to the cash flow', () => {
    // Buy 1 @ 100, buy 2 @ 101: ep = (100 + 202)/3 = 100.666… → 100.66666667.
    const opened = fills(['BUY', '1', '100'], ['BUY', '2', '101']);
    expect(shown(opened.position)).toEqual(['3', '100.66666667', '302', '0']);
    // Sell 1 @ 102: realized 1·(102 − 302/3) = 1.333… → 1.33333333; the entry stays; 302 − (102 − 1.33333333) stays in.
    const reduced = fills(['BUY', '1', '100'], ['BUY', '2', '101'], ['SELL', '1', '102']);
    expect(reduced.realized).toEqual(['0', '0', '1.33333333']);
    expect(shown(reduced.position)).toEqual(['2', '100.66666667', '201.33333333', '0']);
    // Sell the last 2 @ 102: realized 204 − 201.33333333 = 2.66666667; in all 4 = 306 − 302 to the unit; flat, ep 0.
    const closed = fills(['BUY', '1', '100'], ['BUY', '2', '101'], ['SELL', '1', '102'], ['SELL', '2', '102']);
    expect(closed.realized).toEqual(['0', '0', '1.33333333', '2.66666667']);
    expect(shown(closed.position)).toEqual(['0', '0', '0', '0']);
  });

  it('books a short: realized = closed·(p − ep)·sign(pa)', () => {
    // Sell 2 @ 100, buy 1 @ 90: 1·(90 − 100)·(−1) = 10.
    const r = fills(['SELL', '2', '100'], ['BUY', '1', '90']);
    expect(r.realized).toEqual(['0', '10']);
    expect(shown(r.position)).toEqual(['-1', '100', '100', '0']);
  });

  it('flips through zero: closes the whole position, opens the rest at the fill price with its share of the fee', () => {
    // Long 1 @ 100, sell 3 @ 110 (fee 0.66): realized 10 on 1; short 2 @ 110 with 0.66·2/3 = 0.44 of the fee.
    const r = fills(['BUY', '1', '100'], ['SELL', '3', '110', '0.66']);
    expect(r.realized).toEqual(['0', '10']);
    expect(shown(r.position)).toEqual(['-2', '110', '220', '0.44']);
  });

  it('break-even price includes the opening fees and nothing else (D.7: ep·(1 ± rate) after one entry)', () => {
    // Long 0.01 @ 60000 at taker 0.05 %: fee 600·0.0005 = 0.3; (600 + 0.3)/0.01 = 60030 = 60000·1.0005.
    expect(format(breakEvenPrice(fills(['BUY', '0.01', '60000', '0.3']).position))).toBe('60030');
    // Short 0.01 @ 60000 at maker 0.02 %: fee 0.12; (600 − 0.12)/0.01 = 59988 = 60000·0.9998.
    expect(format(breakEvenPrice(fills(['SELL', '0.01', '60000', '0.12']).position))).toBe('59988');
    // Half the long closed: half the opening fee goes with it, the break-even stays 60030.
    expect(format(breakEvenPrice(fills(['BUY', '0.01', '60000', '0.3'], ['SELL', '0.005', '61000', '0.1525']).position))).toBe('60030');
    expect(breakEvenPrice(FLAT_POSITION)).toBe(0n);
  });
});
