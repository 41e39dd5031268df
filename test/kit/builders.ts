/**
 * Defaulted builders for the messages tests talk in: an intent, the OrderSent that carries it, a venue report and its
 * trade, the OrderFilled the tracker makes of them, the fields every event of one order carries, a grid's round trip,
 * and a market trade. Each default is a plausible BTCUSDT grid order;
 * a test names only what it is about, and what follows from it (a fill's quote, fee value, cumulative) is derived.
 */
import {
  type ExecutionReport,
  type GridRoundTrip,
  type OrderFilled,
  type OrderIntent,
  type OrderSent,
  type TradeTick,
  type TradeTicked,
  ZERO,
  catalogInstrument,
  feeInQuote,
  fixed,
  fx,
} from '../../src/domain/index.js';
import { intentOfReport, orderSentOf } from '../../src/execution/index.js';

let seq = 0;

/** A BTCUSDT grid buy of 0.001 at 95 000; each call without a client order id gets a fresh one. */
export function anIntent(over: Partial<OrderIntent> = {}): OrderIntent {
  seq++;
  return {
    clientOrderId: `tg_G1_${seq}_B-1`,
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    price: fx('95000'),
    timeInForce: 'GTC',
    quantity: fx('0.001'),
    owner: { kind: 'grid', gridId: 'G1' },
    reducesPosition: false,
    ...over,
  };
}

/** The event an executor publishes as `intent` leaves for the venue. */
export function anOrderSent(over: Partial<OrderIntent> = {}, time = 1_000): OrderSent {
  return orderSentOf(anIntent(over), time);
}

/** The OrderSent for an order the venue reports (what the bot would have sent for it), owned by hand by default. */
export function sentForReport(report: ExecutionReport, time = report.time): OrderSent {
  return orderSentOf(intentOfReport(report, { kind: 'manual' }), time);
}

/** A venue report of a new BTCUSDT grid buy of 0.002 at 95 000. */
export function aReport(over: Partial<ExecutionReport> = {}): ExecutionReport {
  return {
    clientOrderId: 'tg_G1_1_B-1',
    exchangeOrderId: '7',
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    status: 'NEW',
    price: fx('95000'),
    origQty: fx('0.002'),
    cumQty: 0n,
    cumQuote: 0n,
    time: 1_000,
    ...over,
  };
}

/** One maker trade at 95 000 with a base-asset fee, for a report's `trade`. */
export function aTrade(
  tradeId: number,
  quantity: string,
  over: Partial<NonNullable<ExecutionReport['trade']>> = {},
): NonNullable<ExecutionReport['trade']> {
  return {
    tradeId,
    price: fx('95000'),
    quantity: fx(quantity),
    commission: fx('0.000001'),
    commissionAsset: 'BTC',
    isMaker: true,
    ...over,
  };
}

/**
 * The fields every event of one order carries (grid G1's buy tg_G1_7_B-1 on BTCUSDT, at time 1): spread into a
 * rejection, an unknown order or a fill, the chat tests' events are all about the same order.
 */
export function anOrderHeader(): Pick<OrderFilled, 'clientOrderId' | 'symbol' | 'side' | 'owner' | 'time'> {
  return { clientOrderId: 'tg_G1_7_B-1', symbol: 'BTCUSDT', side: 'BUY', owner: { kind: 'grid', gridId: 'G1' }, time: 1 };
}

/** The fee the kit's fills pay unless told: 0.1 %, rounded up, in base for buys and in quote for sells (Binance without BNB). */
const FEE_RATE = fx('0.001');

type FillFields = Partial<Omit<OrderFilled, 'type'>>;

/**
 * An OrderFilled that adds up: by default the whole of a BTCUSDT grid buy, 0.001 at 95 000 (maker, trade 1, time 1 000).
 * Unless named, quote = price × quantity (fixed.mul), the commission is the kit's 0.1 % fee (0.000001 BTC here),
 * feeQuote values it as the tracker does (feeInQuote; zero for a fee in a third asset), cumQty = quantity (the order's
 * first fill) and complete is true. An undefined field counts as not named.
 */
export function aFill(over: FillFields = {}): OrderFilled {
  const o = named(over);
  const symbol = o.symbol ?? 'BTCUSDT';
  const side = o.side ?? 'BUY';
  const price = o.price ?? fx('95000');
  const quantity = o.quantity ?? fx('0.001');
  const quote = o.quote ?? fixed.mul(price, quantity);
  const inst = catalogInstrument(symbol);
  const commission = o.commission ?? fixed.mul(side === 'BUY' ? quantity : quote, FEE_RATE, 'ceil');
  const commissionAsset = o.commissionAsset ?? (side === 'BUY' ? inst?.baseAsset : inst?.quoteAsset);
  if (commissionAsset === undefined) throw new Error(`aFill: name the commission asset for ${symbol}, which the catalog does not list`);
  return {
    type: 'OrderFilled',
    clientOrderId: 'tg_G1_1_B-1',
    owner: { kind: 'grid', gridId: 'G1' },
    time: 1_000,
    tradeId: 1,
    isMaker: true,
    complete: true,
    ...o,
    symbol,
    side,
    price,
    quantity,
    quote,
    commission,
    commissionAsset,
    cumQty: o.cumQty ?? quantity,
    feeQuote: o.feeQuote ?? (inst ? feeInQuote(inst, commission, commissionAsset, price) : undefined) ?? ZERO,
  };
}

/**
 * A fill of `intent` (its id, symbol, side and owner): by default the whole order at its limit price, maker when it is
 * a LIMIT order, and complete once cumQty reaches the intent's quantity. A MARKET intent's fill must name its price.
 */
export function aFillOf(intent: OrderIntent, over: FillFields = {}): OrderFilled {
  const o = named(over);
  const price = o.price ?? intent.price;
  if (price === undefined) throw new Error(`aFillOf: a fill of the market order ${intent.clientOrderId} needs a price`);
  const quantity = o.quantity ?? intent.quantity;
  const cumQty = o.cumQty ?? quantity;
  const { clientOrderId, symbol, side, owner } = intent;
  return aFill({
    clientOrderId,
    symbol,
    side,
    owner,
    isMaker: intent.type === 'LIMIT',
    complete: cumQty >= intent.quantity,
    ...o,
    price,
    quantity,
    cumQty,
  });
}

/**
 * A round trip of grid G1 on BTCUSDT: 0.001 bought at 95 000 and sold at 95 950, at time 1 000. Unless named, each quote
 * is price × quantity, the fees are the kit's 0.1 % of each side (0.19095 here), and profit = sellQuote − buyQuote − fees.
 */
export function aRoundTrip(over: Partial<Omit<GridRoundTrip, 'type'>> = {}): GridRoundTrip {
  const o = named(over);
  const quantity = o.quantity ?? fx('0.001');
  const buyPrice = o.buyPrice ?? fx('95000');
  const sellPrice = o.sellPrice ?? fx('95950');
  const buyQuote = o.buyQuote ?? fixed.mul(buyPrice, quantity);
  const sellQuote = o.sellQuote ?? fixed.mul(sellPrice, quantity);
  const feesQuote = o.feesQuote ?? fixed.mul(buyQuote, FEE_RATE, 'ceil') + fixed.mul(sellQuote, FEE_RATE, 'ceil');
  return {
    type: 'GridRoundTrip',
    gridId: 'G1',
    symbol: 'BTCUSDT',
    time: 1_000,
    ...o,
    quantity,
    buyPrice,
    sellPrice,
    buyQuote,
    sellQuote,
    feesQuote,
    profit: o.profit ?? sellQuote - buyQuote - feesQuote,
  };
}

/** One market trade: 0.01 BTCUSDT at 95 000, trade 1 at time 1 000, the buyer taking. */
export function aTick(over: Partial<TradeTick> = {}): TradeTick {
  return { symbol: 'BTCUSDT', price: fx('95000'), quantity: fx('0.01'), time: 1_000, tradeId: 1, isBuyerMaker: false, ...over };
}

/** The bus message for `aTick(over)`. */
export function aTradeTicked(over: Partial<TradeTick> = {}): TradeTicked {
  return { type: 'TradeTicked', tick: aTick(over) };
}

/** `over` without its undefined fields, so an optional option passed through names nothing. */
function named<T extends object>(over: T): T {
  return Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined)) as T;
}
