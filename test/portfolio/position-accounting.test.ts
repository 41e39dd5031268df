import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Fixed, type Side, ZERO, fixed, format, fx } from '../../src/domain/index.js';
import { type PositionState, avgCostOf, bookFill, emptyPosition, unrealizedOf } from '../../src/portfolio/index.js';

function fill(pos: PositionState, side: Side, qty: string, price: string): Fixed {
  const q = fx(qty);
  const p = fx(price);
  return bookFill(pos, side, q, fixed.mul(q, p, 'halfEven'), p);
}

function view(pos: PositionState) {
  return { qty: format(pos.qty), cost: format(pos.cost), avg: format(avgCostOf(pos)), realized: format(pos.realized) };
}

describe('average-cost accounting', () => {
  it('averages buys and realizes sells against the average', () => {
    const pos = emptyPosition('X');
    expect(fill(pos, 'BUY', '1', '100')).toBe(ZERO);
    fill(pos, 'BUY', '1', '101');
    expect(view(pos)).toEqual({ qty: '2', cost: '201', avg: '100.5', realized: '0' });
    expect(fill(pos, 'SELL', '1', '102')).toBe(fx('1.5'));
    expect(view(pos)).toEqual({ qty: '1', cost: '100.5', avg: '100.5', realized: '1.5' });
    expect(fill(pos, 'SELL', '1', '99')).toBe(fx('-1.5'));
    expect(view(pos)).toEqual({ qty: '0', cost: '0', avg: '0', realized: '0' });
  });

  it('keeps the cost basis exact when the average does not divide evenly', () => {
    const pos = emptyPosition('X');
    fill(pos, 'BUY', '1', '100');
    fill(pos, 'BUY', '1', '100');
    fill(pos, 'BUY', '1', '101');
    expect(view(pos)).toEqual({ qty: '3', cost: '301', avg: '100.33333333', realized: '0' });
    expect(fill(pos, 'SELL', '1', '102')).toBe(fx('1.66666667'));
    expect(format(pos.cost)).toBe('200.66666667');
    expect(fill(pos, 'SELL', '2', '102')).toBe(fx('3.33333333'));
    // Flat to flat: exactly Σ sells − Σ buys = 306 − 301.
    expect(view(pos)).toEqual({ qty: '0', cost: '0', avg: '0', realized: '5' });
  });

  it('mirrors for shorts', () => {
    const pos = emptyPosition('X');
    fill(pos, 'SELL', '2', '100');
    expect(view(pos)).toEqual({ qty: '-2', cost: '-200', avg: '100', realized: '0' });
    expect(unrealizedOf(pos, fx('80'))).toBe(fx('40'));
    expect(fill(pos, 'BUY', '1', '90')).toBe(fx('10'));
    expect(view(pos)).toEqual({ qty: '-1', cost: '-100', avg: '100', realized: '10' });
    expect(unrealizedOf(pos, fx('120'))).toBe(fx('-20'));
    expect(fill(pos, 'BUY', '1', '110')).toBe(fx('-10'));
    expect(view(pos)).toEqual({ qty: '0', cost: '0', avg: '0', realized: '0' });
  });

  it('flips from long to short in one fill: closes at the fill price and opens the rest there', () => {
    const pos = emptyPosition('X');
    fill(pos, 'BUY', '1', '100');
    expect(fill(pos, 'SELL', '3', '110')).toBe(fx('10'));
    expect(view(pos)).toEqual({ qty: '-2', cost: '-220', avg: '110', realized: '10' });
    expect(unrealizedOf(pos, fx('105'))).toBe(fx('10'));
    expect(fill(pos, 'BUY', '3', '105')).toBe(fx('10'));
    expect(view(pos)).toEqual({ qty: '1', cost: '105', avg: '105', realized: '20' });
  });

  it('splits the fill quote of a flip proportionally and keeps the total', () => {
    const pos = emptyPosition('X');
    bookFill(pos, 'BUY', fx('1'), fx('100'), fx('100'));
    // 3 units for 100.00000001 quote: 1/3 closes, 2/3 reopen.
    const r = bookFill(pos, 'SELL', fx('3'), fx('100.00000001'), fx('33.33333334'));
    expect(r).toBe(fx('-66.66666666'));
    expect(pos.cost).toBe(fx('-66.66666667'));
    expect(pos.realized - pos.cost).toBe(fx('0.00000001'));
  });

  it('realized − cost basis always equals the net cash of the fills (property)', () => {
    const arbFill = fc.record({
      buy: fc.boolean(),
      qty: fc.bigInt({ min: 1n, max: 10_000_000_000n }),
      price: fc.bigInt({ min: 1n, max: 10_000_000_000_000n }),
    });
    fc.assert(
      fc.property(fc.array(arbFill, { minLength: 1, maxLength: 40 }), (fills) => {
        const pos = emptyPosition('X');
        let cash = ZERO;
        for (const f of fills) {
          const quote = fixed.mul(f.qty, f.price, 'halfEven');
          bookFill(pos, f.buy ? 'BUY' : 'SELL', f.qty, quote, f.price);
          cash += f.buy ? -quote : quote;
          if (pos.realized - pos.cost !== cash) return false;
          if (pos.qty === ZERO && pos.cost !== ZERO) return false;
        }
        // Flatten: realized is then exactly the net cash.
        if (pos.qty !== ZERO) {
          const side: Side = pos.qty > ZERO ? 'SELL' : 'BUY';
          const q = fixed.abs(pos.qty);
          const quote = fixed.mul(q, fx('1.5'), 'halfEven');
          bookFill(pos, side, q, quote, fx('1.5'));
          cash += side === 'BUY' ? -quote : quote;
        }
        return pos.qty === ZERO && pos.cost === ZERO && pos.realized === cash;
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
