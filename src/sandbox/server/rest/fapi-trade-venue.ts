import type { FuturesVenue } from '../../futures/index.js';
import type { VenueRejection } from '../../matching/index.js';
import { type FuturesPrecision, precisionOf } from './fapi-shapes.js';
import type { RestContext } from './rest-context.js';
import { type RestError, restError } from './rest-error.js';

/** What every USD-M trading and account endpoint reaches: the hub's futures account, its refusals and its symbols' precisions. */

export function venueOf(ctx: RestContext): FuturesVenue {
  return ctx.hub.futures;
}

/** The venue's refusal is already Binance's {code, msg}. */
export function venueError(r: VenueRejection): RestError {
  return restError(r.binanceCode, r.message);
}

/** Every served symbol is a USD-M perpetual on the same instrument. */
export function served(ctx: RestContext): (symbol: string) => boolean {
  return (symbol) => ctx.instruments.has(symbol);
}

export function precisionFor(ctx: RestContext, symbol: string): FuturesPrecision {
  const inst = ctx.instruments.get(symbol);
  // Only served symbols reach a shape; the fallback keeps a sandbox bug from becoming a throw.
  return inst === undefined ? { price: 8, quantity: 8, quote: 8 } : precisionOf(inst);
}

/** The margin asset of a symbol (its quote asset: USDT for every USDT-margined perpetual). */
export function marginAssetOf(ctx: RestContext, symbol: string): string {
  return ctx.instruments.get(symbol)?.quoteAsset ?? 'USDT';
}
