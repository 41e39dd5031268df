/** The kit's builders agree with the code they stand in for: a default fill is what the tracker makes of a default report. */
import { describe, expect, it } from 'vitest';
import { type Message, catalogInstrument, fx } from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { OrderTracker } from '../../src/execution/index.js';
import { aFill, aFillOf, aReport, aTrade, anIntent, anOrderSent } from './builders.js';

/** What the real tracker publishes for `reports` of the order `anOrderSent(intent)` sent. */
function tracked(intent: Parameters<typeof anOrderSent>[0], ...reports: ReturnType<typeof aReport>[]): Message[] {
  const kernel = new BusHost(new ManualClock(1_000), new SequentialIds());
  kernel.add(new OrderTracker(catalogInstrument));
  const seen: Message[] = [];
  kernel.bus.on('OrderFilled', (m) => seen.push(m));
  kernel.bus.publish(anOrderSent(intent));
  for (const report of reports) kernel.bus.publish({ type: 'OrderReported', report });
  return seen;
}

describe('test/kit builders', () => {
  it("aFill's defaults are the tracker's fill of aReport with aTrade: one 0.001 buy at 95 000, fee 0.000001 BTC", () => {
    const [fill] = tracked(
      { clientOrderId: 'tg_G1_1_B-1' },
      aReport({ status: 'FILLED', origQty: fx('0.001'), cumQty: fx('0.001'), cumQuote: fx('95'), trade: aTrade(1, '0.001') }),
    );
    expect(fill).toEqual(aFill());
    expect(aFill()).toMatchObject({
      quote: fx('95'),
      commission: fx('0.000001'),
      commissionAsset: 'BTC',
      feeQuote: fx('0.095'),
      cumQty: fx('0.001'),
      complete: true,
    });
  });

  it('a sell pays its fee in quote; a fee in a third asset is worth zero here, as the tracker says', () => {
    expect(aFill({ side: 'SELL', price: fx('100'), quantity: fx('2') })).toMatchObject({
      quote: fx('200'),
      commission: fx('0.2'),
      commissionAsset: 'USDT',
      feeQuote: fx('0.2'),
    });
    expect(aFill({ commission: fx('0.001'), commissionAsset: 'BNB' }).feeQuote).toBe(0n);
    expect(() => aFill({ symbol: 'FOOUSDT' })).toThrow(/commission asset/);
  });

  it('aFillOf fills an intent: a part is not complete, the rest is, a market order needs a price', () => {
    const intent = anIntent({ quantity: fx('0.002'), owner: { kind: 'manual' } });
    const [first, second] = tracked(
      intent,
      aReport({
        clientOrderId: intent.clientOrderId,
        status: 'PARTIALLY_FILLED',
        cumQty: fx('0.001'),
        cumQuote: fx('95'),
        trade: aTrade(1, '0.001'),
      }),
      aReport({
        clientOrderId: intent.clientOrderId,
        status: 'FILLED',
        cumQty: fx('0.002'),
        cumQuote: fx('190'),
        trade: aTrade(2, '0.001'),
      }),
    );
    expect(first).toEqual(aFillOf(intent, { quantity: fx('0.001') }));
    expect(second).toEqual(aFillOf(intent, { tradeId: 2, quantity: fx('0.001'), cumQty: fx('0.002') }));
    expect(aFillOf(intent).complete).toBe(true);
    expect(() => aFillOf(anIntent({ type: 'MARKET', price: undefined }))).toThrow(/needs a price/);
  });
});
