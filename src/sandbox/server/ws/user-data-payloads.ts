import { type Balance, type ExecutionReport, type Fixed, type TimeInForce, format, fixed } from '../../../domain/index.js';
import { type VenueReport, binanceOrderType } from '../../matching/index.js';

type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'REJECTED';

/** Binance prints user-data decimals with 8 places ("1.00000000"). */
function dec(v: Fixed): string {
  return format(v, 8);
}

/** The execution type (`x`) a report stands for: a fill is TRADE, otherwise the status says what happened. */
function executionTypeOf(r: ExecutionReport): ExecutionType {
  if (r.trade !== undefined) return 'TRADE';
  switch (r.status) {
    case 'NEW':
    // A partially filled or filled order reported without a fill is its state restated, not a new execution.
    case 'PARTIALLY_FILLED':
    case 'FILLED':
      return 'NEW';
    case 'CANCELED':
      return 'CANCELED';
    case 'EXPIRED':
    case 'EXPIRED_IN_MATCH':
      return 'EXPIRED';
    case 'REJECTED':
      return 'REJECTED';
  }
}

/** What the report itself does not carry, remembered per order by the caller. */
export interface OrderFacts {
  readonly creationTime: number;
  readonly timeInForce: TimeInForce;
  readonly executionId: number;
}

/**
 * A Binance `executionReport` event. Decimals are 8-place strings; `C` is set only on a cancel (to the canceled
 * order's own id, since the sandbox's cancel carries no new client id); `N` is null and `t` -1 until a fill; `v`
 * (prevented match id) is left out because Binance shows it only for self-trade-prevention expiries, which the
 * sandbox never produces. `o` is LIMIT_MAKER for a post-only order (the domain report types it LIMIT).
 */
export function executionReportEvent(r: VenueReport, facts: OrderFacts, eventTime: number): object {
  const x = executionTypeOf(r);
  const trade = r.trade;
  const onBook = r.type === 'LIMIT' && (r.status === 'NEW' || r.status === 'PARTIALLY_FILLED');
  return {
    e: 'executionReport',
    E: eventTime,
    s: r.symbol,
    c: r.clientOrderId,
    S: r.side,
    o: binanceOrderType(r),
    f: facts.timeInForce,
    q: dec(r.origQty),
    p: dec(r.price),
    P: dec(0n),
    F: dec(0n),
    g: -1,
    C: x === 'CANCELED' ? r.clientOrderId : '',
    x,
    X: r.status,
    r: r.rejectReason ?? 'NONE',
    i: Number(r.exchangeOrderId),
    l: dec(trade?.quantity ?? 0n),
    z: dec(r.cumQty),
    L: dec(trade?.price ?? 0n),
    n: trade === undefined ? '0' : dec(trade.commission),
    N: trade?.commissionAsset ?? null,
    T: r.time,
    t: trade?.tradeId ?? -1,
    I: facts.executionId,
    w: onBook,
    m: trade?.isMaker ?? false,
    M: false,
    O: facts.creationTime,
    Z: dec(r.cumQuote),
    Y: dec(trade === undefined ? 0n : fixed.mul(trade.price, trade.quantity, 'halfEven')),
    Q: dec(0n),
    W: facts.creationTime,
    V: 'NONE',
  };
}

/** A Binance `outboundAccountPosition` event: only the assets that changed, as they now stand. */
export function accountPositionEvent(balances: readonly Balance[], time: number, eventTime: number): object {
  return {
    e: 'outboundAccountPosition',
    E: eventTime,
    u: time,
    B: balances.map((b) => ({ a: b.asset, f: dec(b.free), l: dec(b.locked) })),
  };
}
