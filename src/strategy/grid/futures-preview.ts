import {
  type Fixed,
  type LiquidationMargin,
  type Result,
  type SymbolBrackets,
  SCALE,
  ZERO,
  failure,
  fixed,
  format,
  fundingWalletChange,
  liquidationPrice,
  ok,
} from '../../domain/index.js';
import { type GridPreviewInput, buildGridPreview } from './ladder.js';
import type { FuturesGridFigures, FuturesGridPreview, FuturesWorstCase, GridWarning, LadderLevel } from './grid-types.js';

/** Far more than any account holds: the spot preview's balance checks never bind on a futures ladder. */
const UNBOUNDED = 10n ** 30n;
const HUNDRED = 100n * SCALE;
/** Leverage Binance accepts at all (facts file A.4); the symbol's brackets may allow less. */
export const MAX_FUTURES_LEVERAGE = 125;

export interface FuturesPreviewInput extends Omit<GridPreviewInput, 'baseFree' | 'quoteFree' | 'buyFeeInBase'> {
  readonly brackets: SymbolBrackets;
  /** The coming funding rate (premiumIndex lastFundingRate), a fraction per funding interval. */
  readonly fundingRate: Fixed;
  readonly fundingIntervalHours: number;
  /**
   * Cross margin: the wallet balance backing the grid (the account's available USDT). Other positions are not in the
   * estimate (their maintenance and uPnL are taken as zero): the preview says so.
   */
  readonly walletBalance: Fixed;
  /** The risk setting: a level closer than this percentage to its liquidation price is warned about. */
  readonly minLiquidationDistancePct: Fixed;
}

/**
 * A USD-M grid's preview: the spot ladder's prices and level quantities (fees are in USDT on futures, so no buy is
 * sized up and no market buy is needed), plus what leverage changes (README "Futures grids"):
 * - the opening position: long grids buy at market what their sells will sell, short grids sell what their buys will
 *   buy, neutral grids open nothing;
 * - the margin needed: the worst one-sided position's entry notional over the leverage (every opening order filled
 *   and none closed), plus the fees of getting there (taker on the opening position, maker on each opening level);
 * - for each side that can grow, the liquidation price when the market sits on each opening level with every level
 *   before it filled, the worst of them, and the levels closer to it than the risk setting;
 * - funding at the coming rate on the initial and on the full position, per funding interval.
 */
export function buildFuturesGridPreview(input: FuturesPreviewInput): Result<FuturesGridPreview> {
  const terms = input.params.futures;
  if (terms === undefined)
    return failure('NOT_FUTURES', `the grid for ${input.params.symbol} has no futures terms (long, short or neutral)`);
  const maxLeverage = input.brackets.brackets[0]?.initialLeverage ?? MAX_FUTURES_LEVERAGE;
  if (!Number.isInteger(terms.leverage) || terms.leverage < 1 || terms.leverage > maxLeverage) {
    return failure('INVALID_LEVERAGE', `leverage x${terms.leverage} is not allowed on ${input.params.symbol}: x1 to x${maxLeverage}`);
  }
  const spot = buildGridPreview({ ...input, baseFree: UNBOUNDED, quoteFree: UNBOUNDED, buyFeeInBase: false });
  if (!spot.ok) return spot;
  const preview = spot.value;
  const ref = preview.referencePrice;
  const buys = preview.levels.filter((l) => l.side === 'BUY').sort((a, b) => b.index - a.index); // nearest first
  const sells = preview.levels.filter((l) => l.side === 'SELL').sort((a, b) => a.index - b.index);
  const sum = (ls: readonly LadderLevel[]): Fixed => ls.reduce((s, l) => s + l.quantity, ZERO);

  const initialQty = terms.mode === 'long' ? sum(sells) : terms.mode === 'short' ? -sum(buys) : ZERO;
  const initialFee = fixed.mul(fixed.mul(fixed.abs(initialQty), ref, 'halfEven'), input.takerFee, 'halfEven');
  // Long and neutral grids grow long as the buys fill; short and neutral grids grow short as the sells fill.
  const longPath = terms.mode === 'short' ? undefined : { start: terms.mode === 'long' ? initialQty : ZERO, levels: buys };
  const shortPath = terms.mode === 'long' ? undefined : { start: terms.mode === 'short' ? initialQty : ZERO, levels: sells };

  const entryOf = (start: Fixed, levels: readonly LadderLevel[]) =>
    levels.reduce(
      (acc, l) => ({
        qty: acc.qty + l.quantity,
        notional: acc.notional + l.notional,
        fees: acc.fees + fixed.mul(l.notional, input.makerFee, 'halfEven'),
      }),
      { qty: fixed.abs(start), notional: fixed.mul(fixed.abs(start), ref, 'halfEven'), fees: start === ZERO ? ZERO : initialFee },
    );
  const fullLong = longPath && entryOf(longPath.start, longPath.levels);
  const fullShort = shortPath && entryOf(shortPath.start, shortPath.levels);
  const lev = BigInt(terms.leverage);
  const marginFor = (e: { notional: Fixed; fees: Fixed } | undefined): Fixed =>
    e === undefined ? ZERO : fixed.divRound(e.notional, lev, 'ceil') + e.fees;
  const marginNeeded = [marginFor(fullLong), marginFor(fullShort)].reduce((a, b) => (a > b ? a : b));

  // Isolated: the grid's margin is its wallet; cross: the account's wallet stands behind it.
  const wallet = terms.margin === 'isolated' ? marginNeeded : input.walletBalance;
  const worst: FuturesWorstCase[] = [];
  const tooClose: number[] = [];
  for (const [dir, path] of [
    ['long', longPath],
    ['short', shortPath],
  ] as const) {
    if (path === undefined) continue;
    const w = worstCase(dir, path.start, path.levels, { ...input, ref, wallet, initialFee, margin: terms.margin }, tooClose);
    if (w !== undefined) worst.push(w);
  }

  const fullPosition = [fullLong?.qty ?? ZERO, fullShort?.qty ?? ZERO].reduce((a, b) => (a > b ? a : b));
  const fullSign = fullShort !== undefined && (fullLong === undefined || fullShort.qty > fullLong.qty) ? -1n : 1n;
  const figures: FuturesGridFigures = {
    terms,
    initialPosition: initialQty === ZERO ? undefined : { quantity: initialQty, price: ref, fee: initialFee },
    marginNeeded,
    walletBalance: input.walletBalance,
    worst,
    funding: {
      rate: input.fundingRate,
      intervalHours: input.fundingIntervalHours,
      initial: fundingWalletChange(initialQty, ref, input.fundingRate),
      full: fundingWalletChange(fullSign * fullPosition, ref, input.fundingRate),
      fullPosition: fullSign * fullPosition,
    },
    tooCloseLevels: tooClose.sort((a, b) => a - b),
  };

  const warnings: GridWarning[] = preview.warnings.filter(
    (w) => w.code !== 'INSUFFICIENT_QUOTE' && w.code !== 'MARKET_BUY_REJECTED_BY_FILTER',
  );
  if (tooClose.length > 0) {
    warnings.push({
      code: 'NEAR_LIQUIDATION',
      message:
        `${tooClose.length} level(s) would sit within ${format(input.minLiquidationDistancePct)} % of the liquidation price ` +
        `(the risk setting): lower the leverage, the levels or the amount`,
      levels: figures.tooCloseLevels,
    });
  }
  if (terms.margin === 'cross' && marginNeeded > input.walletBalance) {
    const need = `${format(marginNeeded)} ${preview.quoteAsset}`;
    warnings.push({
      code: 'INSUFFICIENT_MARGIN',
      message: `the grid needs ${need} of margin; the account has ${format(input.walletBalance)} available`,
    });
  }
  // The opening position goes out as the grid's entry market order, before the levels that close it (grid-strategy.ts).
  const estimatedQuote = fixed.mul(fixed.abs(initialQty), ref, 'halfEven');
  const entry =
    initialQty > ZERO
      ? { marketBuy: { quantity: initialQty, estimatedQuote } }
      : initialQty < ZERO
        ? { marketSell: { quantity: -initialQty, estimatedQuote } }
        : {};
  const { marketBuy: _spotBuy, ...ladder } = preview;
  return ok({ ...ladder, ...entry, baseForSells: ZERO, quoteNeeded: marginNeeded, warnings, futures: figures });
}

interface PathContext {
  readonly ref: Fixed;
  readonly wallet: Fixed;
  readonly initialFee: Fixed;
  readonly makerFee: Fixed;
  readonly brackets: SymbolBrackets;
  readonly minLiquidationDistancePct: Fixed;
  readonly margin: 'cross' | 'isolated';
}

/**
 * Walks one side's opening levels outward, nearest first, as a market moving straight against the grid fills them: at
 * each level the position is the start plus every level so far, its entry notional exact, the wallet less the fees
 * paid. Returns the outermost level's case (the worst: the largest position at the farthest price) and records every
 * level whose distance to its liquidation price is under the setting.
 */
function worstCase(
  dir: 'long' | 'short',
  start: Fixed,
  levels: readonly LadderLevel[],
  ctx: PathContext,
  tooClose: number[],
): FuturesWorstCase | undefined {
  const sign = dir === 'long' ? 1n : -1n;
  let qty = fixed.abs(start);
  let notional = fixed.mul(qty, ctx.ref, 'halfEven');
  let wallet = ctx.wallet - (start === ZERO ? ZERO : ctx.initialFee);
  let last: FuturesWorstCase | undefined;
  for (const l of levels) {
    qty += l.quantity;
    notional += l.notional;
    wallet -= fixed.mul(l.notional, ctx.makerFee, 'halfEven');
    const margin: LiquidationMargin =
      ctx.margin === 'isolated'
        ? { mode: 'isolated', wallet }
        : { mode: 'cross', wallet, otherMaintenance: ZERO, otherUnrealizedPnl: ZERO };
    const lp = liquidationPrice(sign * qty, notional, ctx.brackets, margin);
    // Distance from the level to the liquidation price, in percent of the level (floored: never overstated).
    const distancePct = lp === undefined ? undefined : fixed.divRound(sign * (l.price - lp.price) * HUNDRED, l.price, 'floor');
    if (distancePct !== undefined && distancePct < ctx.minLiquidationDistancePct) tooClose.push(l.index);
    last = {
      side: dir,
      level: l.index,
      levelPrice: l.price,
      position: sign * qty,
      entryPrice: fixed.div(notional, qty, 'halfEven'),
      ...(lp === undefined ? {} : { liquidationPrice: lp.price }),
      ...(lp === undefined ? {} : { distanceFromPricePct: fixed.divRound(sign * (ctx.ref - lp.price) * HUNDRED, ctx.ref, 'floor') }),
      ...(distancePct === undefined ? {} : { distanceFromLevelPct: distancePct }),
    };
  }
  return last;
}
