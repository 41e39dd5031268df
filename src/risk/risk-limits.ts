import type { Fixed, FuturesPosition, Instrument, LiquidationMargin, OrderRecord, SymbolBrackets } from '../domain/index.js';

/**
 * The owner's pre-trade limits. Every field is optional and zero (or absent) switches that check off, so an empty
 * object means "only the checks that need no limit": trading state, symbol, filters, market data for MARKET orders,
 * and balance.
 */
export interface RiskLimits {
  /** Largest price × quantity of one order, in quote. */
  readonly maxOrderNotional?: Fixed;
  readonly maxOpenOrdersPerSymbol?: number;
  readonly maxOpenOrdersTotal?: number;
  /** Largest |position after this order| × price per symbol, in quote; orders that shrink the position always pass. */
  readonly maxPositionNotional?: Fixed;
  /** Largest |price − last trade| / last trade, in percent (fx('5') is 5 %). */
  readonly priceBandPct?: Fixed;
  /**
   * A symbol with no trade *received* for this long (on the gate's clock) is stale; also makes a symbol with no trade
   * yet deny. Zero switches off every quiet-time denial, the feed's quiet-stream signal included (see RiskGate).
   */
  readonly staleAfterMs?: number;
  /** Today's PnL at or below −maxDailyLoss denies every order and halts trading. */
  readonly maxDailyLoss?: Fixed;
  /** USD-M: the highest leverage a symbol may be set to when an order is sent on it. */
  readonly maxLeverage?: number;
  /** USD-M: an order that opens or grows a position must leave its liquidation price at least this % from its price. */
  readonly minLiquidationDistancePct?: Fixed;
}

/**
 * What the gate reads of the USD-M account (the portfolio's futures book implements it). Perpetual symbols
 * (`BTCUSDT.P`) are judged on margin, leverage and liquidation distance instead of spot balances.
 */
export interface FuturesRiskView {
  /** The position as the bot books it (flat when none). */
  position(symbol: string): FuturesPosition;
  leverage(symbol: string): number;
  brackets(symbol: string): SymbolBrackets | undefined;
  /** The mark price, when known. */
  mark(symbol: string): Fixed | undefined;
  /** Margin the account has for new orders (availableBalance). */
  availableMargin(): Fixed;
  /** What backs the symbol's position for the liquidation formula once `addedMargin` more is committed to it. */
  liquidationMargin(symbol: string, addedMargin: Fixed): LiquidationMargin;
}

export interface LastTrade {
  readonly price: Fixed;
  /** The exchange's trade time, ms since the epoch; never used to judge staleness (a replay's is years old). */
  readonly time: number;
  /** When the trade reached the bot, on the same clock the gate reads: staleness is measured from here. */
  readonly receivedAt: number;
}

/**
 * How the risk gate sees the world. The composition root implements it over the instrument catalogue and the
 * portfolio (which already offers lastTrade, positionQty, freeBalance and dailyPnl with these signatures).
 */
export interface RiskView {
  instrument(symbol: string): Instrument | undefined;
  lastTrade(symbol: string): LastTrade | undefined;
  /** Signed base quantity held (negative when short). */
  positionQty(symbol: string): Fixed;
  /** Free balance the venue last reported for an asset, zero when never reported. */
  freeBalance(asset: string): Fixed;
  /** Today's net PnL in quote (realized today − fees today + unrealized). */
  dailyPnl(): Fixed;
  /** True when the bot already sent an order with this client id (open or recently finished). */
  knowsOrder?(clientOrderId: string): boolean;
  /**
   * The orders the tracker holds as possibly resting on the venue: what the gate's open-order count starts from when the
   * bus host starts (after a restart restored them), so nobody has to re-sync it by hand.
   */
  openOrders?(): readonly OrderRecord[];
  /** The USD-M account; absent, every perpetual order is denied (the bot does not trade futures then). */
  readonly futures?: FuturesRiskView;
}
