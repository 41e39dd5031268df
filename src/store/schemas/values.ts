import { z } from 'zod';
import { FIXED_JSON_TAG, isLegalClientOrderId } from '../../domain/index.js';

/** Exactly what encodeJson writes for a bigint: no sign on zero, no leading zeros, nothing else in the object. */
const INTEGER_TEXT = /^(0|-?[1-9]\d*)$/;

/**
 * An exact amount (a `Fixed`) as it sits in Redis, `{"$big":"<integer>"}`, read to a bigint. A plain JSON number is
 * refused: it would load as a number and crash the first bigint arithmetic on it (at a fill, with orders live).
 */
export const amount = z
  .strictObject(
    { [FIXED_JSON_TAG]: z.string().regex(INTEGER_TEXT, 'expected an integer count of 10⁻⁸ units, as decimal text') },
    { error: `expected an exact amount written as {"${FIXED_JSON_TAG}":"<integer>"}` },
  )
  .transform((v) => BigInt(v[FIXED_JSON_TAG]));

/** Counters and sequence numbers: whole, never negative, exact as a double. */
export const count = z.int().min(0);
/** Clock times in ms (a manual clock may start at 0). */
export const time = z.int().min(0);
export const text = z.string();
/** Ids, symbols and assets: never empty. */
export const name = z.string().min(1);

export const side = z.enum(['BUY', 'SELL']);
export const orderType = z.enum(['LIMIT', 'MARKET']);
export const timeInForce = z.enum(['GTC', 'IOC', 'FOK']);

/** An id Binance takes as newClientOrderId; any other would be refused, or throw where the bot derives one from it. */
export const clientOrderId = z.string().refine(isLegalClientOrderId, 'expected a client order id: 1 to 36 of A-Z a-z 0-9 _ -');
/**
 * A grid id as the bot draws them (G1, G2, …): grid order ids are derived from it (tg_<grid>_<seq>_<B|S><level>, at
 * most 36 characters) and the store finds a grid from its orders' ids, so an id of another form would fail at a re-arm.
 */
export const gridId = z.string().regex(/^G[A-Za-z0-9]{1,11}$/, 'expected a grid id: G and at most 11 letters or digits');
