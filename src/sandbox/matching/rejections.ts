import type { FilterFailure, Result } from '../../domain/index.js';
import type { VenueRejection } from './types.js';

function reject(
  binanceCode: number,
  message: string,
  extra: Partial<VenueRejection> = {},
): { readonly ok: false; readonly error: VenueRejection } {
  return { ok: false, error: { code: `BINANCE_${binanceCode}`, binanceCode, message, ...extra } };
}

/** -1013: Binance names only the filter; the numbers go to `detail`. */
export function filterFailure(f: FilterFailure): Result<never, VenueRejection> {
  return reject(-1013, `Filter failure: ${f.filter}`, { filter: f.filter, detail: f.message });
}

export function invalidSymbol(): Result<never, VenueRejection> {
  return reject(-1121, 'Invalid symbol.');
}

export function insufficientBalance(detail: string): Result<never, VenueRejection> {
  return reject(-2010, 'Account has insufficient balance for requested action.', { detail });
}

export function duplicateOrder(): Result<never, VenueRejection> {
  return reject(-2010, 'Duplicate order sent.');
}

/** A MARKET order on a symbol whose tape has not traded yet: there is no price to fill at. */
export function marketClosed(): Result<never, VenueRejection> {
  return reject(-2010, 'Market is closed.');
}

/** A LIMIT_MAKER that would match on arrival: refused whole, as Binance's matching engine does. */
export function wouldTake(): Result<never, VenueRejection> {
  return reject(-2010, 'Order would immediately match and take.');
}

export function unknownOrderOnCancel(): Result<never, VenueRejection> {
  return reject(-2011, 'Unknown order sent.');
}

export function orderDoesNotExist(): Result<never, VenueRejection> {
  return reject(-2013, 'Order does not exist.');
}

/** -1102 for a request that lacks what its type needs (LIMIT without price); the message follows Binance's template. */
export function missingParameter(name: string): Result<never, VenueRejection> {
  return reject(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
}
