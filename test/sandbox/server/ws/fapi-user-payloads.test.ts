import { describe, expect, it } from 'vitest';
import { fx } from '../../../../src/domain/index.js';
import type { FuturesEvent } from '../../../../src/sandbox/futures/index.js';
import { futuresUserFrame, listenKeyExpired } from '../../../../src/sandbox/server/ws/fapi-user-payloads.js';
import { NOW } from './harness.js';
import { newOrderEvent } from './fapi-harness.js';

describe('USD-M user frames from FuturesEvents', () => {
  it('a maker fill closing part of a position: last qty and price, commission, trade id, realized profit, notionals drop', () => {
    const base = newOrderEvent() as Extract<FuturesEvent, { type: 'order' }>;
    const ev: FuturesEvent = {
      ...base,
      time: NOW + 5,
      execution: 'TRADE',
      order: { ...base.order, status: 'FILLED', executedQty: fx('0.002'), avgPrice: fx('50000'), cumQuote: fx('100'), reduceOnly: true },
      fill: {
        tradeId: 77,
        price: fx('50000'),
        quantity: fx('0.002'),
        commission: fx('0.02'),
        commissionAsset: 'USDT',
        realizedPnl: fx('-0.12345678'),
        isMaker: true,
      },
      bidNotional: 0n,
    };
    const frame = futuresUserFrame(ev, NOW + 9) as { E: number; T: number; o: Record<string, unknown> };
    expect(frame.E).toBe(NOW + 9);
    expect(frame.T).toBe(NOW + 5);
    expect(frame.o).toMatchObject({
      x: 'TRADE',
      X: 'FILLED',
      l: '0.002',
      z: '0.002',
      L: '50000',
      ap: '50000',
      n: '0.02',
      N: 'USDT',
      t: 77,
      T: NOW + 5,
      m: true,
      R: true,
      rp: '-0.12345678',
      b: '0',
      a: '0',
    });
  });

  it('an IOC remainder carries its expire reason as a string', () => {
    const base = newOrderEvent() as Extract<FuturesEvent, { type: 'order' }>;
    const frame = futuresUserFrame(
      { ...base, execution: 'EXPIRED', order: { ...base.order, status: 'EXPIRED', timeInForce: 'IOC' }, expireReason: 2 },
      NOW,
    );
    expect((frame as { o: { er: unknown; f: unknown } }).o).toMatchObject({ er: '2', f: 'IOC', x: 'EXPIRED' });
  });

  it('listenKeyExpired has an integer E', () => {
    expect(listenKeyExpired('abc', NOW)).toEqual({ e: 'listenKeyExpired', E: NOW, listenKey: 'abc' });
  });
});
