import { describe, expect, it } from 'vitest';
import { aReport, aTrade, anOrderSent } from '../kit/builders.js';
import { type Message, catalogInstrument, fx } from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { OrderTracker } from '../../src/execution/index.js';

function setup() {
  const kernel = new BusHost(new ManualClock(1_000), new SequentialIds());
  const tracker = new OrderTracker(catalogInstrument);
  kernel.add(tracker);
  const seen: Message[] = [];
  for (const t of ['OrderAccepted', 'OrderFilled', 'OrderCanceled', 'OrderRejected', 'OrderUnknown', 'OrderExpired'] as const)
    kernel.bus.on(t, (m) => seen.push(m));
  kernel.bus.publish(anOrderSent({ clientOrderId: 'tg_G1_1_B-1', quantity: fx('0.002') }));
  return { kernel, tracker, seen };
}

describe('order tracker', () => {
  it('books the same fill once however often it is reported', () => {
    const { kernel, tracker, seen } = setup();
    const fill = aReport({ status: 'PARTIALLY_FILLED', cumQty: fx('0.001'), cumQuote: fx('95'), trade: aTrade(1, '0.001') });
    kernel.bus.publish({ type: 'OrderReported', report: aReport() });
    kernel.bus.publish({ type: 'OrderReported', report: aReport() });
    kernel.bus.publish({ type: 'OrderReported', report: fill });
    kernel.bus.publish({ type: 'OrderReported', report: fill }); // stream reconnect replays it
    kernel.bus.publish({ type: 'OrderReported', report: { ...fill, trade: undefined } }); // REST check says the same
    expect(seen.map((m) => m.type)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(tracker.get('tg_G1_1_B-1')?.status).toBe('partially_filled');

    kernel.bus.publish({
      type: 'OrderReported',
      report: aReport({ status: 'FILLED', cumQty: fx('0.002'), cumQuote: fx('190'), trade: aTrade(2, '0.001') }),
    });
    const fills = seen.filter((m) => m.type === 'OrderFilled');
    expect(fills).toHaveLength(2);
    const last = fills[1]!;
    expect(last.type === 'OrderFilled' && last.complete).toBe(true);
    expect(last.type === 'OrderFilled' && last.feeQuote).toBe(fx('0.095'));
    expect(tracker.openCount()).toBe(0);
  });

  it('does not let a status report claim fills whose trades have not arrived', () => {
    const { kernel, tracker, seen } = setup();
    kernel.bus.publish({ type: 'OrderReported', report: aReport({ status: 'FILLED', cumQty: fx('0.002'), cumQuote: fx('190') }) });
    expect(seen).toHaveLength(0);
    expect(tracker.get('tg_G1_1_B-1')?.status).toBe('new');
  });

  it('holds an unknown outcome until the venue settles it', () => {
    const { kernel, tracker, seen } = setup();
    kernel.bus.publish({
      type: 'OrderSubmissionFailed',
      clientOrderId: 'tg_G1_1_B-1',
      outcome: 'unknown',
      code: 'BINANCE_-1007',
      message: 'Timeout',
    });
    expect(tracker.get('tg_G1_1_B-1')?.status).toBe('unknown');
    expect(tracker.openCount('BTCUSDT')).toBe(1);
    kernel.bus.publish({ type: 'OrderReported', report: aReport() });
    expect(seen.map((m) => m.type)).toEqual(['OrderUnknown', 'OrderAccepted']);
  });

  it('ignores a cancel report for an order that already filled', () => {
    const { kernel, seen } = setup();
    kernel.bus.publish({
      type: 'OrderReported',
      report: aReport({ status: 'FILLED', cumQty: fx('0.002'), cumQuote: fx('190'), trade: aTrade(3, '0.002') }),
    });
    kernel.bus.publish({ type: 'OrderReported', report: aReport({ status: 'CANCELED', cumQty: fx('0.002'), cumQuote: fx('190') }) });
    expect(seen.map((m) => m.type)).toEqual(['OrderFilled']);
  });
});
