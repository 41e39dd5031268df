import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type OrderStatus,
  canTransition,
  gridIdOf,
  gridOrderId,
  gridOrderIdsOf,
  isBotOrder,
  isLegalClientOrderId,
  isTerminal,
  transition,
} from '../../src/domain/index.js';

const ALL: OrderStatus[] = ['new', 'accepted', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired', 'unknown'];

describe('order state table', () => {
  it('walks the happy paths', () => {
    expect(transition('new', 'accepted')).toBe('accepted');
    expect(transition('accepted', 'partially_filled')).toBe('partially_filled');
    expect(transition('partially_filled', 'partially_filled')).toBe('partially_filled');
    expect(transition('partially_filled', 'filled')).toBe('filled');
    expect(transition('accepted', 'canceled')).toBe('canceled');
    expect(transition('new', 'rejected')).toBe('rejected');
  });

  it('settles an unknown order into whatever the exchange says', () => {
    for (const to of ['accepted', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired'] as const)
      expect(canTransition('unknown', to)).toBe(true);
    expect(canTransition('accepted', 'unknown')).toBe(false);
  });

  it('never leaves a terminal state and never rejects an accepted order', () => {
    for (const from of ALL.filter(isTerminal)) for (const to of ALL) expect(transition(from, to)).toBeUndefined();
    expect(transition('accepted', 'rejected')).toBeUndefined();
    expect(transition('filled', 'accepted')).toBeUndefined();
  });
});

describe('client order ids', () => {
  it('are deterministic, legal for Binance, bot-prefixed and carry their grid', () => {
    const id = gridOrderId('G12', 345, 'BUY', -7);
    expect(id).toBe(gridOrderId('G12', 345, 'BUY', -7));
    expect(id).toBe('tg_G12_345_B-7');
    expect(isLegalClientOrderId(id)).toBe(true);
    expect(isBotOrder(id)).toBe(true);
    expect(gridIdOf(id)).toBe('G12');
    expect(isBotOrder('x-TKT5PX2F0123')).toBe(false);
    expect(gridIdOf('web_123')).toBeUndefined();
  });

  it('stay within 36 characters for large grids and counters', () => {
    const id = gridOrderId('G99999999', 9_999_999_999, 'SELL', 100);
    expect(id.length).toBeLessThanOrEqual(36);
    expect(isLegalClientOrderId(id)).toBe(true);
  });

  it('drawn for one grid (its id checked once) are gridOrderId`s, and refused exactly where it refuses', () => {
    const outcome = (draw: () => string): string => {
      try {
        return draw();
      } catch (error) {
        return `refused: ${(error as Error).message}`;
      }
    };
    const gridIds = fc.oneof(fc.constantFrom('G1', 'G12', 'G99999999', 'G_a-b', 'G.1', 'G 1', ''), fc.string({ maxLength: 30 }));
    const numbers = fc.oneof(fc.integer({ min: -1_000, max: 1_000 }), fc.constantFrom(9_999_999_999, 1e21, 1.5, -0, NaN, Infinity));
    fc.assert(
      fc.property(gridIds, numbers, fc.constantFrom('BUY' as const, 'SELL' as const), numbers, (gridId, seq, side, level) => {
        expect(outcome(() => gridOrderIdsOf(gridId)(seq, side, level))).toBe(outcome(() => gridOrderId(gridId, seq, side, level)));
      }),
      { seed: 14, numRuns: 2000 },
    );
  });
});
