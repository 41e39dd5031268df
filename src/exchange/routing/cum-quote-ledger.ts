import { type Fixed, type FuturesExecutionReport, ZERO, fixed } from '../../domain/index.js';

/** What the ledger knows of one open order: the trades it has seen and their exact sums. */
interface Sums {
  cumQty: Fixed;
  cumQuote: Fixed;
  readonly tradeIds: Set<number>;
}

const TERMINAL = new Set(['FILLED', 'CANCELED', 'EXPIRED', 'EXPIRED_IN_MATCH', 'REJECTED']);

/**
 * The exact cumulative quote of futures orders, which ORDER_TRADE_UPDATE does not carry (only the truncated average
 * price, and avgPrice×cumQty is not the sum Binance books). The order tracker books `cumQuote − filledQuote` as a fill's
 * quote, so it must be exact: the ledger sums price×quantity of every trade of the order it has seen (each product is
 * exact for Binance's ticks and steps; truncated to 8 places like Binance's own figures otherwise), and learns REST's
 * `cumQuote` of userTrades rows. When the trades it has seen do not add up to a report's cumQty (a trade
 * missed, or the process started after the first fill) it answers undefined and the caller asks REST (userTrades).
 */
export class CumQuoteLedger {
  private readonly orders = new Map<string, Sums>();

  /** The report's exact cumulative quote from what was seen, or undefined when REST must be asked. */
  of(r: FuturesExecutionReport): Fixed | undefined {
    // A REST answer's own figure; not learned, since it names no trades the stream's reports could be matched with.
    if (r.cumQuote !== undefined) return this.settle(r, r.cumQuote);
    if (r.cumQty === ZERO) return this.settle(r, ZERO);
    const sums = this.orders.get(r.clientOrderId);
    const trade = r.trade;
    if (trade !== undefined && !(sums?.tradeIds.has(trade.tradeId) ?? false)) {
      const cumQty = (sums?.cumQty ?? ZERO) + trade.quantity;
      if (cumQty !== r.cumQty) return undefined;
      const cumQuote = (sums?.cumQuote ?? ZERO) + fixed.mul(trade.price, trade.quantity, 'floor');
      this.learn(r.clientOrderId, cumQty, cumQuote, trade.tradeId);
      return this.settle(r, cumQuote);
    }
    if (sums !== undefined && sums.cumQty === r.cumQty) return this.settle(r, sums.cumQuote);
    return undefined;
  }

  /** Takes REST's figures (userTrades rows, oldest first): each row's cumQty and cumQuote as of its trade. */
  learnTrades(rows: readonly FuturesExecutionReport[]): void {
    for (const row of rows) if (row.cumQuote !== undefined) this.learn(row.clientOrderId, row.cumQty, row.cumQuote, row.trade?.tradeId);
  }

  private learn(clientOrderId: string, cumQty: Fixed, cumQuote: Fixed, tradeId: number | undefined): void {
    const sums = this.orders.get(clientOrderId) ?? { cumQty: ZERO, cumQuote: ZERO, tradeIds: new Set<number>() };
    if (cumQty >= sums.cumQty) {
      sums.cumQty = cumQty;
      sums.cumQuote = cumQuote;
    }
    if (tradeId !== undefined) sums.tradeIds.add(tradeId);
    this.orders.set(clientOrderId, sums);
  }

  /** A finished order is forgotten once the stream's last report of it is answered: nothing more will come for it. */
  private settle(r: FuturesExecutionReport, cumQuote: Fixed): Fixed {
    if (r.executionType !== undefined && TERMINAL.has(r.status)) this.orders.delete(r.clientOrderId);
    return cumQuote;
  }
}
