import { describe, expect, it } from 'vitest';
import { type Instrument, catalogInstrument, fx } from '../../../../src/domain/index.js';
import { MatchingEngine } from '../../../../src/sandbox/index.js';
import { executionReportEvent } from '../../../../src/sandbox/server/ws/user-data-payloads.js';

describe('executionReport for a LIMIT_MAKER order', () => {
  it('reports o = LIMIT_MAKER, on the book, and a plain LIMIT as LIMIT', () => {
    const e = new MatchingEngine({ instruments: [catalogInstrument('BTCUSDT') as Instrument] });
    const facts = { creationTime: 5, timeInForce: 'GTC' as const, executionId: 1 };
    const maker = e.placeOrder(
      { clientOrderId: 'm1', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: fx('100'), quantity: fx('1'), postOnly: true },
      5,
    );
    const plain = e.placeOrder(
      { clientOrderId: 'l1', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: fx('100'), quantity: fx('1') },
      5,
    );
    if (!maker.ok || !plain.ok) throw new Error('placement refused');
    expect(executionReportEvent(maker.value.report, facts, 6)).toMatchObject({
      o: 'LIMIT_MAKER',
      f: 'GTC',
      x: 'NEW',
      X: 'NEW',
      w: true,
      c: 'm1',
    });
    expect(executionReportEvent(plain.value.report, facts, 6)).toMatchObject({ o: 'LIMIT', c: 'l1' });
  });
});
