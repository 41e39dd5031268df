/**
 * The risk gate's checks, each a pure function that returns a `Denial` or undefined. They take plain numbers rather
 * than the view so each can be tested alone and the gate decides which inputs to fetch (a check that is off fetches
 * nothing).
 */
import {
  type DenialCode,
  type Fixed,
  type Instrument,
  type OrderIntent,
  type Side,
  type TradingState,
  ZERO,
  fixed,
  format,
  validateOrder,
} from '../domain/index.js';
import type { LastTrade } from './risk-limits.js';

/** Why risk said no: the reason code, a sentence, and the numbers behind it as decimal strings. */
export interface Denial {
  readonly code: DenialCode;
  readonly message: string;
  readonly numbers: Readonly<Record<string, string>>;
}

function deny(code: DenialCode, message: string, numbers: Record<string, string> = {}): Denial {
  return { code, message, numbers };
}

/** HALTED denies every new order; REDUCING lets through only orders that shrink a position. */
export function checkTradingState(state: TradingState, intent: OrderIntent): Denial | undefined {
  switch (state) {
    case 'ACTIVE':
      return undefined;
    case 'REDUCING':
      return intent.reducesPosition
        ? undefined
        : deny('TRADING_REDUCING', `trading is REDUCING: only orders that reduce a position are allowed`);
    case 'HALTED':
      return deny('TRADING_HALTED', `trading is HALTED: no new orders`);
    default: {
      const never: never = state;
      return never;
    }
  }
}

export function checkSymbol(instrument: Instrument | undefined, symbol: string): Denial | undefined {
  return instrument === undefined ? unknownSymbolDenial(symbol) : undefined;
}

export function unknownSymbolDenial(symbol: string): Denial {
  return deny('UNKNOWN_SYMBOL', `unknown symbol ${symbol}`);
}

/** Whole seconds for people, e.g. "45 s"; the exact milliseconds stay in the denial's numbers. */
function seconds(ms: number): string {
  return `${Math.floor(ms / 1000)} s`;
}

/**
 * No trade ever seen denies when the order needs a price to be judged (a MARKET order, or a price band) or when the
 * staleness check is on; a last trade *received* more than `staleAfterMs` before `now` denies when that check is on.
 * `now` and `last.receivedAt` are the bot's own clock; the exchange's trade time is not read (issue 9: a replayed day
 * was refused for being years old).
 */
export function checkMarketData(
  symbol: string,
  last: LastTrade | undefined,
  now: number,
  staleAfterMs: number,
  needsPrice: boolean,
): Denial | undefined {
  if (last === undefined) {
    return needsPrice || staleAfterMs > 0 ? noMarketDataDenial(symbol) : undefined;
  }
  const age = now - last.receivedAt;
  if (staleAfterMs > 0 && age > staleAfterMs) {
    return deny(
      'STALE_MARKET_DATA',
      `no trade received on ${symbol} for ${seconds(age)} (the limit is ${seconds(staleAfterMs)}): market data may be down`,
      {
        ageMs: String(age),
        staleAfterMs: String(staleAfterMs),
      },
    );
  }
  return undefined;
}

export function noMarketDataDenial(symbol: string): Denial {
  return deny('NO_MARKET_DATA', `no trade seen yet on ${symbol}`);
}

/** Binance's own filters, with the last trade as the reference price; `numbers.filter` names the one that failed. */
export function checkFilters(
  instrument: Instrument,
  intent: OrderIntent,
  lastPrice: Fixed | undefined,
  openOrdersOnSymbol: number,
): Denial | undefined {
  // validateOrder reads an undefined price or reference price as absent: no spreads needed on this per-order path.
  const r = validateOrder(instrument, {
    side: intent.side,
    type: intent.type,
    price: intent.price,
    quantity: intent.quantity,
    referencePrice: lastPrice,
    openOrders: openOrdersOnSymbol,
  });
  if (r.ok) return undefined;
  const numbers: Record<string, string> = { filter: r.error.filter, quantity: format(intent.quantity) };
  if (intent.price !== undefined) numbers['price'] = format(intent.price);
  if (lastPrice !== undefined) numbers['referencePrice'] = format(lastPrice);
  return deny('FILTER_FAILURE', r.error.message, numbers);
}

/** price × quantity rounded up, so a limit is never passed by rounding. */
export function orderNotional(price: Fixed, quantity: Fixed): Fixed {
  return fixed.mul(price, quantity, 'ceil');
}

export function checkOrderNotional(notional: Fixed, limit: Fixed, quoteAsset: string): Denial | undefined {
  if (limit <= ZERO || notional <= limit) return undefined;
  return deny(
    'MAX_ORDER_NOTIONAL',
    `order notional ${format(notional)} ${quoteAsset} exceeds the ${format(limit)} ${quoteAsset} limit per order`,
    { notional: format(notional), limit: format(limit) },
  );
}

/** Counts include only orders this gate approved (or was told about) that are not yet done. */
export function checkOpenOrders(
  symbol: string,
  openOnSymbol: number,
  openTotal: number,
  perSymbolLimit: number,
  totalLimit: number,
): Denial | undefined {
  if (perSymbolLimit > 0 && openOnSymbol >= perSymbolLimit) {
    return deny('MAX_OPEN_ORDERS_SYMBOL', `${openOnSymbol} orders already open on ${symbol} (limit ${perSymbolLimit})`, {
      open: String(openOnSymbol),
      limit: String(perSymbolLimit),
    });
  }
  if (totalLimit > 0 && openTotal >= totalLimit) {
    return deny('MAX_OPEN_ORDERS_TOTAL', `${openTotal} orders already open in total (limit ${totalLimit})`, {
      open: String(openTotal),
      limit: String(totalLimit),
    });
  }
  return undefined;
}

function signedQty(side: Side, quantity: Fixed): Fixed {
  return side === 'BUY' ? quantity : -quantity;
}

/**
 * The position after this order, valued at `price`, must stay within the limit; an order whose resulting position is
 * no larger in size than the current one always passes (even a flip to a smaller opposite position).
 */
export function checkPositionNotional(
  symbol: string,
  positionQty: Fixed,
  side: Side,
  quantity: Fixed,
  price: Fixed,
  limit: Fixed,
  quoteAsset: string,
): Denial | undefined {
  if (limit <= ZERO) return undefined;
  const after = positionQty + signedQty(side, quantity);
  const sizeAfter = fixed.abs(after);
  if (sizeAfter <= fixed.abs(positionQty)) return undefined;
  const notional = fixed.mul(sizeAfter, price, 'ceil');
  if (notional <= limit) return undefined;
  return deny(
    'MAX_POSITION_NOTIONAL',
    `position on ${symbol} would be ${format(after)} worth ${format(notional)} ${quoteAsset}, ` +
      `over the ${format(limit)} ${quoteAsset} limit`,
    {
      position: format(positionQty),
      positionAfter: format(after),
      price: format(price),
      notional: format(notional),
      limit: format(limit),
    },
  );
}

/** 100 × SCALE: a percentage's scale, one bigint for every order's band check. */
const PERCENT_SCALE = 100n * fixed.SCALE;

/**
 * |price − last| / last ≤ band %, decided exactly in integers (|P − L| · 100 · SCALE ≤ B · L on the raw bigints);
 * the deviation in the numbers is rounded up for people.
 */
export function checkPriceBand(price: Fixed, last: Fixed, bandPct: Fixed): Denial | undefined {
  if (bandPct <= ZERO || last <= ZERO) return undefined;
  const diff = fixed.abs(price - last);
  if (diff * PERCENT_SCALE <= bandPct * last) return undefined;
  const deviation = fixed.divRound(diff * PERCENT_SCALE, last, 'ceil');
  return deny(
    'PRICE_BAND',
    `price ${format(price)} is ${format(deviation)} % from the last trade ${format(last)} (band ${format(bandPct)} %)`,
    { price: format(price), last: format(last), deviationPct: format(deviation), bandPct: format(bandPct) },
  );
}

/** What an order needs free: quote (price × quantity, rounded up) to buy, base quantity to sell. */
export function requiredFunds(instrument: Instrument, side: Side, quantity: Fixed, price: Fixed): { asset: string; amount: Fixed } {
  return side === 'BUY'
    ? { asset: instrument.quoteAsset, amount: orderNotional(price, quantity) }
    : { asset: instrument.baseAsset, amount: quantity };
}

/** Free balance minus what this gate approved and the venue has not yet locked must cover the order. */
export function checkBalance(asset: string, required: Fixed, free: Fixed, reserved: Fixed): Denial | undefined {
  const available = reserved === ZERO ? free : free - reserved;
  if (required <= available) return undefined;
  return deny(
    'INSUFFICIENT_BALANCE',
    `needs ${format(required)} ${asset} but only ${format(available)} ${asset} is available ` +
      `(free ${format(free)}, reserved ${format(reserved)})`,
    { required: format(required), available: format(available), free: format(free), reserved: format(reserved) },
  );
}

export function checkDailyLoss(pnl: Fixed, limit: Fixed): Denial | undefined {
  if (limit <= ZERO || pnl > -limit) return undefined;
  return deny('MAX_DAILY_LOSS', dailyLossReason(pnl, limit), { pnl: format(pnl), limit: format(limit) });
}

/** The sentence used both for the denial and for the halt. */
export function dailyLossReason(pnl: Fixed, limit: Fixed): string {
  return `max daily loss: ${format(pnl)} ≤ −${format(limit)}`;
}
