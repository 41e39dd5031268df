/**
 * Before it reconciles, a restart waits (5 s at most) for a trade on the symbols it will price re-arms on. Only those:
 * a symbol MARKET_SYMBOLS lists that no order or running grid uses may stay quiet, and must not hold every restart.
 */
import { describe, expect, it } from 'vitest';
import { symbolsToPrice } from '../../src/app/restart.js';
import type { OrderRecord } from '../../src/domain/index.js';
import { anIntent } from '../kit/builders.js';

const open = (symbol: string): OrderRecord => ({
  intent: anIntent({ symbol }),
  status: 'accepted',
  filledQty: 0n,
  filledQuote: 0n,
  createdAt: 0,
  updatedAt: 0,
});

describe('the symbols a restart waits to see a trade on', () => {
  it('are the carried ones with open orders or a running grid, not every symbol the feed carries', () => {
    const carried = ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'SOLUSDT', 'XRPUSDT'];
    const grids = [
      { symbol: 'ETHUSDT', status: 'running' },
      // Every level held (a halt): no open order, but its re-arms are priced when they go again.
      { symbol: 'SOLUSDT', status: 'running' },
      { symbol: 'XRPUSDT', status: 'stopped' },
    ];
    expect(symbolsToPrice([open('BTCUSDT'), open('ETHUSDT')], grids, carried)).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
  });

  it('leave out a symbol the feed does not carry: no trade could come', () => {
    expect(symbolsToPrice([open('LTCUSDT')], [], ['BTCUSDT'])).toEqual([]);
  });
});
