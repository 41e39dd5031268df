/** What the portfolio tests publish on a kernel's clock: the owner's fills, each a whole order in one trade, and grid round trips. */
import { type Fixed, type Side, fx } from '../../src/domain/index.js';
import type { BusHost } from '../../src/engine/index.js';
import { aFill, aRoundTrip } from '../kit/builders.js';

export interface OwnerFee {
  readonly commission: Fixed;
  readonly commissionAsset: string;
  readonly feeQuote: Fixed;
}

/** A function that publishes a fill of `qty` at `price` on `kernel`; order and trade ids count up from 1. */
export function ownerFills(kernel: BusHost) {
  let n = 0;
  return (symbol: string, side: Side, qty: string, price: string, fee: OwnerFee): void => {
    n++;
    const order = { clientOrderId: `tg_m_${n}`, symbol, side, owner: { kind: 'manual' as const }, time: kernel.clock.now(), tradeId: n };
    kernel.bus.publish(aFill({ ...order, price: fx(price), quantity: fx(qty), ...fee }));
  };
}

/** A function that publishes a round trip of 1 bought at 100 and sold at 101, fees 0.2, booking the profit named. */
export function roundTrips(kernel: BusHost) {
  return (gridId: string, symbol: string, profit: string): void =>
    kernel.bus.publish(
      aRoundTrip({
        gridId,
        symbol,
        quantity: fx('1'),
        buyPrice: fx('100'),
        sellPrice: fx('101'),
        feesQuote: fx('0.2'),
        profit: fx(profit),
        time: kernel.clock.now(),
      }),
    );
}
