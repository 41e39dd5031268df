import type { OrderRef } from '../../matching/index.js';
import type { FuturesNewOrder, FuturesTimeInForce, PositionSide } from '../../futures/index.js';
import { Params } from './params.js';
import {
  type Checked,
  INVALID_SYMBOL,
  type RestError,
  eitherMandatory,
  illegalChars,
  invalidValue,
  isRestError,
  notRequired,
  restError,
} from './rest-error.js';

/**
 * Parameters of USD-M's order endpoints, checked in Binance's order of complaints (PROTOCOLS-FUTURES A.3, A.5): symbol,
 * side, type, position side, reduceOnly, client id, response type, then what the type needs.
 */

/** Binance's futures rule for newClientOrderId (A.3); wider than spot's (dots, colons and slashes allowed). */
const FUTURES_CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const ORDER_ID = /^[0-9]{1,20}$/;
const ORDER_ID_RANGE = '^[0-9]{1,20}$';
/** Conditional types moved to the algo endpoints on 2025-12-09: Binance's answer here is -4120 (A.3). */
const ALGO_TYPES = new Set(['STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET']);
const TIME_IN_FORCE = new Set<string>(['GTC', 'IOC', 'FOK', 'GTX']);
const POSITION_SIDES = new Set<string>(['BOTH', 'LONG', 'SHORT']);

const ALGO_TYPE_REFUSED = restError(-4120, 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.');
const INVALID_CLIENT_ID = restError(-4015, 'Client order id is not valid.');

type FuturesRespType = 'ACK' | 'RESULT';

export interface ParsedFuturesOrder {
  readonly order: FuturesNewOrder;
  readonly respType: FuturesRespType;
}

/** `symbol`, required and served (-1102, then -1121). */
export function futuresSymbol(p: Params, served: (symbol: string) => boolean): Checked<string> {
  const symbol = p.required('symbol');
  if (isRestError(symbol)) return symbol;
  return served(symbol) ? symbol : INVALID_SYMBOL;
}

/** "true"/"false" as Binance's futures booleans are sent; anything else is -1130. */
export function booleanParam(p: Params, name: string): Checked<boolean | undefined> {
  const v = p.get(name);
  if (v === undefined) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return invalidValue(name);
}

/** A new order (POST /fapi/v1/order, or one batchOrders item read as Params); `clientId` names one when none is sent. */
export function parseFuturesOrder(p: Params, served: (symbol: string) => boolean, clientId: () => string): Checked<ParsedFuturesOrder> {
  const symbol = futuresSymbol(p, served);
  if (isRestError(symbol)) return symbol;
  const side = p.required('side');
  if (isRestError(side)) return side;
  if (side !== 'BUY' && side !== 'SELL') return restError(-1117, 'Invalid side.');
  const type = p.required('type');
  if (isRestError(type)) return type;
  if (ALGO_TYPES.has(type)) return ALGO_TYPE_REFUSED;
  if (type !== 'LIMIT' && type !== 'MARKET') return restError(-1116, 'Invalid orderType.');
  const positionSide = p.get('positionSide');
  if (positionSide !== undefined && !POSITION_SIDES.has(positionSide)) return restError(-4060, 'Invalid position side.');
  const reduceOnly = booleanParam(p, 'reduceOnly');
  if (isRestError(reduceOnly)) return reduceOnly;
  const newClientId = p.get('newClientOrderId');
  if (newClientId !== undefined && !FUTURES_CLIENT_ID.test(newClientId)) return INVALID_CLIENT_ID;
  const respType = p.get('newOrderRespType') ?? 'ACK';
  if (respType !== 'ACK' && respType !== 'RESULT') return restError(-1136, 'Invalid newOrderRespType.');
  // The sandbox matches at the order's own price; a price-match mode would pick another price, so it is refused, not ignored.
  const priceMatch = p.get('priceMatch');
  if (priceMatch !== undefined && priceMatch !== 'NONE') return invalidValue('priceMatch');
  const quantity = p.decimal('quantity');
  if (isRestError(quantity)) return quantity;
  const price = p.decimal('price');
  if (isRestError(price)) return price;

  let timeInForce: FuturesTimeInForce | undefined;
  if (type === 'LIMIT') {
    const tif = p.required('timeInForce');
    if (isRestError(tif)) return tif;
    // GTD and RPI exist on Binance but not here; exchangeInfo lists GTC, IOC, FOK and GTX.
    if (!TIME_IN_FORCE.has(tif)) return restError(-1115, 'Invalid timeInForce.');
    timeInForce = tif as FuturesTimeInForce;
    if (quantity === undefined) return p.required('quantity') as RestError;
    if (price === undefined) return p.required('price') as RestError;
  } else {
    if (quantity === undefined) return p.required('quantity') as RestError;
    // UNVERIFIED: what Binance does with a price or timeInForce on a MARKET order; refused as spot refuses it, so a
    // bot never believes a market order was limited.
    if (price !== undefined) return notRequired('price');
    if (p.has('timeInForce')) return notRequired('timeInForce');
  }
  const order: FuturesNewOrder = {
    symbol,
    side,
    type,
    quantity,
    clientOrderId: newClientId ?? clientId(),
    ...(timeInForce !== undefined ? { timeInForce } : {}),
    ...(price !== undefined ? { price } : {}),
    ...(reduceOnly !== undefined ? { reduceOnly } : {}),
    ...(positionSide !== undefined ? { positionSide: positionSide as PositionSide } : {}),
  };
  return { order, respType };
}

/** An order named by `orderId` or `origClientOrderId` (orderId wins when both are sent). */
export function futuresOrderRef(p: Params): Checked<OrderRef> {
  const orderId = p.get('orderId');
  if (orderId !== undefined) return ORDER_ID.test(orderId) ? { orderId } : illegalChars('orderId', ORDER_ID_RANGE);
  const clientId = p.get('origClientOrderId');
  return clientId !== undefined ? { clientOrderId: clientId } : eitherMandatory('orderId', 'origClientOrderId');
}

const MAX_BATCH_PLACE = 5;
const MAX_BATCH_CANCEL = 10;

/**
 * `batchOrders`: a JSON array string of 1 to 5 new-order objects (A.3). Each item becomes its own Params so it is read
 * and refused exactly as a single order is; values may be JSON strings or numbers (clients send both).
 */
export function batchItems(p: Params): Checked<Params[]> {
  const raw = p.required('batchOrders');
  if (isRestError(raw)) return raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return invalidValue('batchOrders');
  }
  if (!Array.isArray(parsed)) return invalidValue('batchOrders');
  if (parsed.length === 0 || parsed.length > MAX_BATCH_PLACE)
    return restError(-4082, `Invalid number of batch place orders: ${parsed.length}`);
  const out: Params[] = [];
  for (const item of parsed) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return invalidValue('batchOrders');
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') q.set(k, String(v));
      else return invalidValue('batchOrders');
    }
    out.push(new Params(q.toString(), ''));
  }
  return out;
}

/**
 * DELETE batchOrders' list: `orderIdList` ([1,2]) or `origClientOrderIdList` (["a","b"]; ccxt spells it
 * `origclientorderidlist`), at most 10 (A.3); orderIdList wins when both are sent. Ids are read as digits, not through
 * JSON numbers, so an id above 2^53 names the order it says.
 */
export function cancelList(p: Params): Checked<OrderRef[]> {
  const ids = p.get('orderIdList');
  if (ids !== undefined) {
    const m = /^\[(.*)\]$/s.exec(ids.trim());
    const items = m === null ? [] : (m[1] as string).split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
    if (items.length === 0 || !items.every((s) => ORDER_ID.test(s))) return invalidValue('orderIdList');
    if (items.length > MAX_BATCH_CANCEL) return restError(-4032, 'Exceed maximum cancel order size.');
    return items.map((orderId) => ({ orderId }));
  }
  const raw = p.get('origClientOrderIdList') ?? p.get('origclientorderidlist');
  if (raw === undefined) return eitherMandatory('orderIdList', 'origClientOrderIdList');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return invalidValue('origClientOrderIdList');
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((v) => typeof v === 'string' && v !== ''))
    return invalidValue('origClientOrderIdList');
  if (parsed.length > MAX_BATCH_CANCEL) return restError(-4032, 'Exceed maximum cancel order size.');
  return (parsed as string[]).map((clientOrderId) => ({ clientOrderId }));
}
