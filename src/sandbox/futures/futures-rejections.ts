import { type Fixed, type Result, format } from '../../domain/index.js';
import type { VenueRejection } from '../matching/index.js';

/** Binance USD-M's {code, msg} (PROTOCOLS-FUTURES A.3, A.5); `detail` carries the numbers for people and logs. */
function reject(binanceCode: number, message: string, detail?: string): { readonly ok: false; readonly error: VenueRejection } {
  const error: VenueRejection = { code: `BINANCE_${binanceCode}`, binanceCode, message };
  return { ok: false, error: detail === undefined ? error : { ...error, detail } };
}

type Refusal = Result<never, VenueRejection>;

export const invalidSymbol = (): Refusal => reject(-1121, 'Invalid symbol.');
export const missingParameter = (name: string): Refusal =>
  reject(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);

// PRICE_FILTER, LOT_SIZE / MARKET_LOT_SIZE
export const priceBelowMin = (price: Fixed, min: Fixed): Refusal =>
  reject(-4013, 'Price less than min price.', `price ${format(price)} < minPrice ${format(min)}`);
export const priceAboveMax = (price: Fixed, max: Fixed): Refusal =>
  reject(-4002, 'Price greater than max price.', `price ${format(price)} > maxPrice ${format(max)}`);
export const priceOffTick = (price: Fixed, tick: Fixed): Refusal =>
  reject(-4014, 'Price not increased by tick size.', `price ${format(price)}, tickSize ${format(tick)}`);
export const quantityNotPositive = (): Refusal => reject(-4003, 'Quantity less than or equal to zero.');
export const quantityBelowMin = (qty: Fixed, min: Fixed): Refusal =>
  reject(-4004, 'Quantity less than min quantity.', `quantity ${format(qty)} < minQty ${format(min)}`);
export const quantityAboveMax = (qty: Fixed, max: Fixed): Refusal =>
  reject(-4005, 'Quantity greater than max quantity.', `quantity ${format(qty)} > maxQty ${format(max)}`);
export const quantityOffStep = (qty: Fixed, step: Fixed): Refusal =>
  reject(-4023, 'Quantity not increased by step size.', `quantity ${format(qty)}, stepSize ${format(step)}`);

// PERCENT_PRICE against the mark: Binance names the bound in the message.
export const priceAboveBand = (bound: Fixed): Refusal => reject(-4016, `Limit price can't be higher than ${format(bound)}.`);
export const priceBelowBand = (bound: Fixed): Refusal => reject(-4024, `Limit price can't be lower than ${format(bound)}.`);

/** MIN_NOTIONAL `notional`, with Binance's text and the value (PROTOCOLS-FUTURES A.2). */
export const notionalTooSmall = (min: Fixed, notional: Fixed): Refusal =>
  reject(-4164, `Order's notional must be no smaller than ${format(min)} (unless you choose reduce only).`, `notional ${format(notional)}`);

export const tooManyOrders = (limit: number): Refusal => reject(-2025, 'Reach max open order limit.', `limit ${limit}`);
export const duplicateClientId = (): Refusal => reject(-4116, 'ClientOrderId is duplicated.');
const NOT_RECORDED = 'The order will not be recorded in the order history';
export const gtxWouldTake = (): Refusal =>
  reject(-5022, `Due to the order could not be executed as maker, the Post Only order will be rejected. ${NOT_RECORDED}`);
export const fokCannotFill = (): Refusal =>
  reject(-5021, `Due to the order could not be filled immediately, the FOK order has been rejected. ${NOT_RECORDED}`);
export const reduceOnlyRejected = (detail: string): Refusal => reject(-2022, 'ReduceOnly Order is rejected.', detail);
export const marginInsufficient = (cost: Fixed, available: Fixed): Refusal =>
  reject(-2019, 'Margin is insufficient.', `order cost ${format(cost)} > available ${format(available)}`);
export const positionSideMismatch = (): Refusal => reject(-4061, "Order's position side does not match user's setting.");
/**
 * A MARKET order on a symbol whose tape has not traded yet: no price to fill at or to check against. Binance always has
 * one; -4131 (MARKET_ORDER_REJECT, "no counterparty price within PERCENT_PRICE") is its nearest answer.
 */
export const noMarketPrice = (): Refusal =>
  reject(-4131, "The counterparty's best price does not meet the PERCENT_PRICE filter limit.", 'no trade on the tape yet');

export const unknownOrderOnCancel = (): Refusal => reject(-2011, 'Unknown order sent.');
export const orderDoesNotExist = (): Refusal => reject(-2013, 'Order does not exist.');

// Configuration
export const invalidLeverage = (leverage: number, max: number): Refusal =>
  reject(-4028, `Leverage ${leverage} is not valid`, `1..${max} for this symbol`);
export const leverageTooHighForPosition = (cap: Fixed, notional: Fixed): Refusal =>
  reject(-2027, 'Exceeded the maximum allowable position at current leverage.', `notional ${format(notional)} > ${format(cap)}`);
export const isolatedLeverageReduction = (): Refusal =>
  reject(-4161, 'Leverage reduction is not supported in Isolated Margin Mode with open positions.');
export const marginTypeUnchanged = (): Refusal => reject(-4046, 'No need to change margin type.');
export const marginTypeOpenOrders = (): Refusal => reject(-4047, 'Margin type cannot be changed if there exists open orders.');
export const marginTypePosition = (): Refusal => reject(-4048, 'Margin type cannot be changed if there exists position.');
export const positionSideUnchanged = (): Refusal => reject(-4059, 'No need to change position side.');
/**
 * Hedge mode asked for: the sandbox trades one-way only. -4060 (INVALID_POSITION_SIDE) is a permanent refusal from the
 * position-mode family; -4059 would tell ccxt-style clients the account is already in that mode (they treat it as
 * success), and -4067/-4068 would promise that clearing orders or positions helps. README "Position mode".
 */
export const hedgeModeUnsupported = (): Refusal => reject(-4060, 'Invalid position side.', 'the sandbox trades one-way mode only');
export const invalidCountdown = (): Refusal =>
  reject(-1102, "Mandatory parameter 'countdownTime' was not sent, was empty/null, or malformed.");
