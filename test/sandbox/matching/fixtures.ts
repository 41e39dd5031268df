import { type Fixed, type Instrument, type TradeTick, catalogInstrument, format, fx } from '../../../src/domain/index.js';
import { MatchingEngine, type MatchingConfig, type NewOrder, type Placed, type VenueEvent } from '../../../src/sandbox/index.js';

export const BTC = catalogInstrument('BTCUSDT') as Instrument;
export const ETH = catalogInstrument('ETHUSDT') as Instrument;

export function engine(overrides: Partial<MatchingConfig> = {}): MatchingEngine {
  return new MatchingEngine({ instruments: [BTC, ETH], ...overrides });
}

let tradeId = 0;

/** One tape trade; numbers as decimal strings for readability. */
export function tick(price: string, quantity = '1', symbol = 'BTCUSDT', time = 1_000): TradeTick {
  return { symbol, price: fx(price), quantity: fx(quantity), time, tradeId: ++tradeId, isBuyerMaker: false };
}

export function limit(
  side: 'BUY' | 'SELL',
  price: string,
  quantity: string,
  clientOrderId: string,
  extra: Partial<NewOrder> = {},
): NewOrder {
  return { clientOrderId, symbol: 'BTCUSDT', side, type: 'LIMIT', price: fx(price), quantity: fx(quantity), ...extra };
}

export function market(side: 'BUY' | 'SELL', quantity: string, clientOrderId: string, symbol = 'BTCUSDT'): NewOrder {
  return { clientOrderId, symbol, side, type: 'MARKET', quantity: fx(quantity) };
}

/** Places and fails the test when the venue refuses. */
export function place(e: MatchingEngine, order: NewOrder, time = 500): Placed {
  const r = e.placeOrder(order, time);
  if (!r.ok) throw new Error(`unexpected rejection: ${r.error.code} ${r.error.message}`);
  return r.value;
}

export function balance(e: MatchingEngine, asset: string): { free: Fixed; locked: Fixed } {
  const b = e.balances().find((x) => x.asset === asset);
  return { free: b?.free ?? 0n, locked: b?.locked ?? 0n };
}

/** The execution reports among events, as compact tuples: [clientOrderId, status, cumQty, trade qty or undefined]. */
export function reports(events: readonly VenueEvent[]): Array<[string, string, string, string | undefined]> {
  const out: Array<[string, string, string, string | undefined]> = [];
  for (const ev of events) {
    if (ev.type !== 'execution') continue;
    const r = ev.report;
    out.push([r.clientOrderId, r.status, format(r.cumQty), r.trade ? format(r.trade.quantity) : undefined]);
  }
  return out;
}
