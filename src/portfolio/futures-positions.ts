import {
  type Fixed,
  type FuturesMarginType,
  type FuturesPosition,
  type LiquidationMargin,
  SCALE,
  type SymbolBrackets,
  ZERO,
  fixed,
  initialMargin,
  liquidationPrice,
  maintenanceMargin,
  positionFromEntry,
  unrealizedPnl,
} from '../domain/index.js';

/** Binance's leverage for a symbol nobody set (PROTOCOLS-FUTURES D.1): what the venue uses until setLeverage. */
const DEFAULT_FUTURES_LEVERAGE = 20;

/** One perpetual in the futures book: the position and what it has earned and paid since the bot first traded it. */
export interface FuturesSymbolBook {
  readonly symbol: string;
  position: FuturesPosition;
  /** Pre-fee realized PnL of the fills booked (the domain's applyFill), fees apart. */
  realizedPnl: Fixed;
  /** Commissions paid, in the margin asset. */
  fees: Fixed;
  /** Funding as the wallet moved: negative when the position paid. */
  funding: Fixed;
  leverage: number;
  marginType: FuturesMarginType;
  /** Isolated only: the position's own wallet, as the venue last reported it. */
  isolatedWallet: Fixed;
  /**
   * The position amount the venue reported `isolatedWallet` with (undefined: the book's own, as saved). The bot's fills
   * may move the position before the venue's next word: a restart books the fills missed while down after its REST read,
   * each re-armed as it is booked, and the wallet read then backs the position at the end of them, not the ones between.
   */
  isolatedWalletFor?: Fixed;
  /**
   * The venue time of the position state last read over REST (positionRisk's updateTime): an account update older
   * than that (held through a restart and released after the REST read) is stale.
   */
  venueAsOf?: number;
  mark?: Fixed;
  /** The rate the next settlement applies and when it is, from the last MarkPriceTicked. */
  fundingRate?: Fixed;
  nextFundingTime?: number;
  /**
   * The venue's position as an ACCOUNT_UPDATE reported it, while the bot's own fills do not (yet) explain it: the fill
   * that does usually follows at once (Binance sends ACCOUNT_UPDATE first). `marks` counts the mark ticks seen since.
   */
  venue?: {
    readonly amount: Fixed;
    readonly entryPrice: Fixed;
    readonly breakEvenPrice: Fixed;
    marks: number;
    /** From a reconcile over REST: settled by settleVenue or the next account update, never by marks. */
    readonly held?: boolean;
  };
}

export function newSymbolBook(symbol: string): FuturesSymbolBook {
  return {
    symbol,
    position: positionFromEntry(ZERO, ZERO),
    realizedPnl: ZERO,
    fees: ZERO,
    funding: ZERO,
    leverage: DEFAULT_FUTURES_LEVERAGE,
    marginType: 'CROSSED',
    isolatedWallet: ZERO,
  };
}

/**
 * A position rebuilt from what the venue says (positionRisk or ACCOUNT_UPDATE): amount and entry, and the opening fees
 * its break-even price implies (long: bep·|pa| − E, short: E − bep·|pa|, never below zero), so the break-even shown
 * after an adoption is still the venue's.
 */
export function positionFromVenue(amount: Fixed, entryPrice: Fixed, breakEvenPrice: Fixed): FuturesPosition {
  const base = positionFromEntry(amount, entryPrice);
  if (amount === ZERO || breakEvenPrice === ZERO) return base;
  const atBreakEven = fixed.divRound(fixed.abs(amount) * breakEvenPrice, SCALE, 'halfEven');
  const fees = amount > ZERO ? atBreakEven - base.entryNotional : base.entryNotional - atBreakEven;
  return fees > ZERO ? positionFromEntry(amount, entryPrice, fees) : base;
}

/** The price a position is valued at: the mark, or its entry before any mark was heard (uPnL 0 then). */
export function markOf(b: FuturesSymbolBook): Fixed {
  return b.mark ?? b.position.entryPrice;
}

export function unrealizedOf(b: FuturesSymbolBook): Fixed {
  return b.position.amount === ZERO ? ZERO : unrealizedPnl(b.position.amount, b.position.entryPrice, markOf(b));
}

export function initialMarginOf(b: FuturesSymbolBook): Fixed {
  return b.position.amount === ZERO ? ZERO : initialMargin(b.position.amount, markOf(b), b.leverage);
}

/**
 * The isolated wallet backing the position the book holds now: the venue's, when it was reported for this very amount;
 * otherwise what the venue puts into a position of this size when it opens one, its initial margin at the entry price.
 */
export function isolatedWalletOf(b: FuturesSymbolBook): Fixed {
  const amount = b.position.amount;
  if (b.isolatedWalletFor === undefined || b.isolatedWalletFor === amount) return b.isolatedWallet;
  return amount === ZERO ? ZERO : initialMargin(amount, b.position.entryPrice, b.leverage);
}

export function maintenanceOf(b: FuturesSymbolBook, brackets: SymbolBrackets | undefined): Fixed {
  return b.position.amount === ZERO || brackets === undefined ? ZERO : maintenanceMargin(b.position.amount, markOf(b), brackets).margin;
}

/** The liquidation price by the domain's formula against what backs the position; undefined when there is none. */
export function liquidationOf(b: FuturesSymbolBook, brackets: SymbolBrackets | undefined, margin: LiquidationMargin): Fixed | undefined {
  if (brackets === undefined || b.position.amount === ZERO) return undefined;
  return liquidationPrice(b.position.amount, b.position.entryNotional, brackets, margin)?.price;
}

/** How far the mark is from the liquidation price, in percent of the mark (floored), toward the liquidating side. */
export function liquidationDistancePct(amount: Fixed, mark: Fixed, liquidation: Fixed): Fixed {
  if (mark === ZERO) return ZERO;
  const dir = amount > ZERO ? 1n : -1n;
  return fixed.divRound(dir * (mark - liquidation) * 100n * SCALE, mark, 'floor');
}
