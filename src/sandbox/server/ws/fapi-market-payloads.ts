import { type Fixed, type Instrument, type TradeTick, format } from '../../../domain/index.js';
import { decimalsOf } from '../rest/fapi-shapes.js';
import { spreadOf } from '../rest/market-endpoints.js';
import type { KlineWriters } from './market-payloads.js';

/**
 * USD-M market-stream payloads (PROTOCOLS-FUTURES B.4). Prices are written to the tick's decimals and quantities to the
 * step's, as /fapi's REST answers write them ("50000.10", "0.500"); the mark stream's figures have 8 places, as
 * premiumIndex's.
 */

/** Prices to the tick's decimals, quantities to the step's. */
export function fapiWriters(inst: Instrument): KlineWriters {
  const pd = decimalsOf(inst.filters.priceFilter.tickSize);
  const qd = decimalsOf(inst.filters.lotSize.stepSize);
  return { price: (v) => format(v, pd), qty: (v) => format(v, qd) };
}

/**
 * `<symbol>@aggTrade`: each tape trade is its own aggregate (a = f = l = the trade id). The 2026 additions `st` and `nq`
 * are left out: the facts do not say what they carry, and binance-api-node reads neither.
 */
export function fapiAggTradePayload(t: TradeTick, w: KlineWriters, eventTime: number): string {
  return JSON.stringify({
    e: 'aggTrade',
    E: eventTime,
    s: t.symbol,
    a: t.tradeId,
    p: w.price(t.price),
    q: w.qty(t.quantity),
    f: t.tradeId,
    l: t.tradeId,
    T: t.time,
    m: t.isBuyerMaker,
  });
}

/**
 * `<symbol>@trade`: not in Binance's USD-M list (UNVERIFIED, B.4), but ccxt subscribes to it. The shape is the one
 * fstream has been seen to send: spot's trade without `M`, plus `X` (the trade's type, MARKET for a tape trade).
 */
export function fapiTradePayload(t: TradeTick, w: KlineWriters, eventTime: number): string {
  return JSON.stringify({
    e: 'trade',
    E: eventTime,
    T: t.time,
    s: t.symbol,
    t: t.tradeId,
    p: w.price(t.price),
    q: w.qty(t.quantity),
    X: 'MARKET',
    m: t.isBuyerMaker,
  });
}

/**
 * `<symbol>@bookTicker`: the one-tick spread around the last trade that /fapi/v1/ticker/bookTicker reports, with zero
 * sizes as there (the tape says nothing about depth). `T` is the trade's time, `E` the clock's.
 */
export function fapiBookTickerPayload(t: TradeTick, inst: Instrument, w: KlineWriters, updateId: number, eventTime: number): string {
  const { bid, ask } = spreadOf(inst, t.price);
  return JSON.stringify({
    e: 'bookTicker',
    u: updateId,
    E: eventTime,
    T: t.time,
    s: t.symbol,
    b: w.price(bid),
    B: w.qty(0n),
    a: w.price(ask),
    A: w.qty(0n),
  });
}

/** What a markPriceUpdate reports, all from FuturesMarket. */
export interface MarkFacts {
  readonly mark: Fixed;
  readonly fundingRate: Fixed;
  readonly nextFundingTime: number;
}

/**
 * `<symbol>@markPrice[@1s]`: the index and the estimated settle price are the mark, as premiumIndex says (the sandbox
 * has one tape and no separate index); `r` is the coming funding rate and `T` the next funding time. The 2026 `ap` is
 * left out (its meaning is not in the facts).
 */
export function markPricePayload(symbol: string, m: MarkFacts, eventTime: number): string {
  const mark = format(m.mark, 8);
  return JSON.stringify({
    e: 'markPriceUpdate',
    E: eventTime,
    s: symbol,
    p: mark,
    i: mark,
    P: mark,
    r: format(m.fundingRate, 8),
    T: m.nextFundingTime,
  });
}
