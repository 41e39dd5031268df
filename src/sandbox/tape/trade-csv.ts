import { type Result, type TradeTick, ok } from '../../domain/index.js';
import { badLine, parseAmount, parseFlag, parseId, parseTimeMs } from './csv-fields.js';
import type { TapeFailure } from './tape-source.js';

/** Where each field of a trade row sits; `symbol` and `eventType` only in recorded stream files. */
export interface TradeColumns {
  readonly id: number;
  readonly price: number;
  readonly quantity: number;
  readonly time: number;
  readonly isBuyerMaker: number;
  readonly symbol?: number;
  readonly eventType?: number;
}

/** data.binance.vision `trades`: id, price, qty, quote_qty, time, is_buyer_maker, is_best_match. */
export const VISION_TRADE_COLUMNS: TradeColumns = { id: 0, price: 1, quantity: 2, time: 4, isBuyerMaker: 5 };

/**
 * data.binance.vision `aggTrades`: agg_trade_id, price, quantity, first_trade_id, last_trade_id, transact_time,
 * is_buyer_maker, is_best_match.
 */
export const VISION_AGG_TRADE_COLUMNS: TradeColumns = { id: 0, price: 1, quantity: 2, time: 5, isBuyerMaker: 6 };

/** Header names (lower-cased, underscores dropped) each field may go by; the first match wins, in this order. */
const NAMES: Readonly<Record<keyof TradeColumns, readonly string[]>> = {
  id: ['tradeid', 'id', 'aggtradeid'],
  price: ['price'],
  quantity: ['quantity', 'qty'],
  // The trade's own time: TransactionTime (stream `T`), not the event or receive time.
  time: ['transactiontime', 'tradetime', 'transacttime', 'time'],
  isBuyerMaker: ['isbuyermarketmaker', 'isbuyermaker'],
  symbol: ['symbol'],
  eventType: ['eventtype'],
};

/** Maps a header row to trade columns, or undefined when a required field is missing. */
export function tradeColumnsFromHeader(header: readonly string[]): TradeColumns | undefined {
  const keys = header.map((h) => h.trim().toLowerCase().replace(/_/g, ''));
  const find = (names: readonly string[]): number | undefined => {
    for (const n of names) {
      const at = keys.indexOf(n);
      if (at >= 0) return at;
    }
    return undefined;
  };
  const id = find(NAMES.id);
  const price = find(NAMES.price);
  const quantity = find(NAMES.quantity);
  const time = find(NAMES.time);
  const isBuyerMaker = find(NAMES.isBuyerMaker);
  if (id === undefined || price === undefined || quantity === undefined || time === undefined || isBuyerMaker === undefined)
    return undefined;
  const symbol = find(NAMES.symbol);
  const eventType = find(NAMES.eventType);
  return {
    id,
    price,
    quantity,
    time,
    isBuyerMaker,
    ...(symbol === undefined ? {} : { symbol }),
    ...(eventType === undefined ? {} : { eventType }),
  };
}

/**
 * Parses one trade row; ok(undefined) for a row to skip (another event type, or another symbol than `onlySymbol`).
 * `fallbackSymbol` names the trades of files that carry no symbol column.
 */
export function parseTrade(
  fields: readonly string[],
  columns: TradeColumns,
  line: number,
  fallbackSymbol: string | undefined,
  onlySymbol: string | undefined,
): Result<TradeTick | undefined, TapeFailure> {
  if (columns.eventType !== undefined) {
    const type = fields[columns.eventType]?.trim();
    if (type !== undefined && type !== '' && type !== 'trade') return ok(undefined);
  }
  const symbol = columns.symbol !== undefined ? fields[columns.symbol]?.trim().toUpperCase() : fallbackSymbol;
  if (symbol === undefined || symbol === '') return badLine(line, 'symbol', symbol);
  if (onlySymbol !== undefined && symbol !== onlySymbol) return ok(undefined);
  const tradeId = parseId(fields[columns.id]);
  if (tradeId === undefined) return badLine(line, 'trade id', fields[columns.id]);
  const price = parseAmount(fields[columns.price]);
  if (price === undefined || price <= 0n) return badLine(line, 'price', fields[columns.price]);
  const quantity = parseAmount(fields[columns.quantity]);
  if (quantity === undefined || quantity < 0n) return badLine(line, 'quantity', fields[columns.quantity]);
  const time = parseTimeMs(fields[columns.time]);
  if (time === undefined) return badLine(line, 'time', fields[columns.time]);
  const isBuyerMaker = parseFlag(fields[columns.isBuyerMaker]);
  if (isBuyerMaker === undefined) return badLine(line, 'is-buyer-maker flag', fields[columns.isBuyerMaker]);
  return ok({ symbol, price, quantity, time, tradeId, isBuyerMaker });
}
