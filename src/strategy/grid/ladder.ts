import {
  type Fixed,
  type Instrument,
  type Result,
  type Side,
  SCALE,
  ZERO,
  failure,
  fixed,
  format,
  minNotionalOf,
  ok,
  roundPrice,
  marketStepOf,
  roundQuantity,
  validateOrder,
} from '../../domain/index.js';
import { validateGridParams } from './grid-params.js';
import { profitPerGrid } from './ladder-profit.js';
import { type LevelSizing, buyQuantityFor } from './level-sizing.js';
import { ladderShape } from './ladder-shape.js';
import { rangeLevelPrices, resolveRangeParams } from './range-ladder.js';
import type { GridParams, GridPreview, GridWarning, LadderLevel } from './grid-types.js';

/**
 * What a preview is computed from. Fees are fractions as Binance's commissionRates report them (0.001 = 0.1 %).
 */
export interface GridPreviewInput {
  readonly params: GridParams;
  readonly instrument: Instrument;
  /** The last trade. With `params.trigger` the ladder is priced at the trigger instead, and this is kept as marketPrice. */
  readonly referencePrice: Fixed;
  readonly baseFree: Fixed;
  readonly quoteFree: Fixed;
  readonly makerFee: Fixed;
  readonly takerFee: Fixed;
  /** Whether a buy's fee is taken from the base it receives; true (Binance without the BNB discount) when unsaid. */
  readonly buyFeeInBase?: boolean;
}

/** 100 % in fixed units: a spacing of p percent is the exact factor (HUNDRED + p) / HUNDRED. */
const HUNDRED = 100n * SCALE;

/**
 * The price of every level −N..N (array position index + N), rounded to the tick: below the reference down, above
 * it up, the reference itself half-even. Each raw price is an exact fraction (for geometric: ref × gᵏ / hᵏ with the
 * powers built by repeated exact bigint multiplication) rounded once, so no error accumulates up the ladder and the
 * same inputs always give the same prices.
 */
export function gridLevelPrices(params: GridParams, inst: Instrument, referencePrice: Fixed): Fixed[] {
  if (params.range !== undefined) return rangeLevelPrices(params, inst, referencePrice);
  const n = params.levels;
  const sp = params.spacingPct;
  const out = new Array<Fixed>(2 * n + 1);
  out[n] = fixed.roundTo(referencePrice, inst.filters.priceFilter.tickSize, 'halfEven');
  let g = 1n;
  let h = 1n;
  for (let k = 1; k <= n; k++) {
    let up: Fixed;
    let down: Fixed;
    if (params.spacing === 'arithmetic') {
      const step = BigInt(k) * sp;
      up = fixed.divRound(referencePrice * (HUNDRED + step), HUNDRED, 'ceil');
      down = fixed.divRound(referencePrice * (HUNDRED - step), HUNDRED, 'floor');
    } else {
      g *= HUNDRED + sp;
      h *= HUNDRED;
      up = fixed.divRound(referencePrice * g, h, 'ceil');
      down = fixed.divRound(referencePrice * h, g, 'floor');
    }
    // Rounding an already floored (ceiled) value to the tick floors (ceils) the exact value: tick is a multiple of 1e-8.
    out[n + k] = roundPrice(inst, 'SELL', up);
    out[n - k] = roundPrice(inst, 'BUY', down > ZERO ? down : ZERO);
  }
  return out;
}

/** The quantity step a MARKET order must meet: LOT_SIZE and, when the symbol has a non-zero one, MARKET_LOT_SIZE. */
export function marketStep(inst: Instrument): Fixed {
  return marketStepOf(inst);
}

/** The notional a level locks (buys, rounded up) or brings in (sells, rounded down); exact whenever tick × step ≥ 1e-8. */
function levelNotional(side: Side, price: Fixed, quantity: Fixed): Fixed {
  return fixed.mul(price, quantity, side === 'BUY' ? 'ceil' : 'floor');
}

/**
 * Builds the ladder the owner confirms: levels −N..−1 buy below the reference, +1..+N sell above, each for
 * `amountQuote` worth of base rounded down to the lot step (the level quantity, what its sell sells). When a buy's fee
 * is taken in base, a buy level places that quantity sized up (`ceil_step(q / (1 − makerFee))`, level-sizing.ts) so
 * what arrives covers its sell; capital and profit per grid use the sized-up buy. Levels that fail a filter are dropped and named in a
 * warning, so every level in the preview passes `validateOrder` against the reference price.
 *
 * When the account holds less base than the sells need, a market buy covers the shortfall: its quantity is
 * shortfall / (1 − takerFee) rounded up to the step, because a BUY's commission is taken in base and the sells need
 * the shortfall net of it; it is raised to the symbol's minimum quantity and notional when smaller. Its quote is
 * estimated at ref × (1 + takerFee) per unit as a slippage margin.
 */
export function buildGridPreview(input: GridPreviewInput): Result<GridPreview> {
  const { instrument: inst, makerFee, takerFee } = input;
  const trigger = input.params.trigger;
  if (trigger !== undefined && trigger === input.referencePrice) {
    return failure('TRIGGER_AT_PRICE', `at=${format(trigger)} is the price now; leave at= out to start at once`);
  }
  // A grid that waits for its trigger is built, and placed, as the market will be when it trades through it.
  const ref = trigger ?? input.referencePrice;
  const resolved = resolveRangeParams(input.params, inst, ref);
  if (!resolved.ok) return resolved;
  const params = resolved.value;
  const valid = validateGridParams(params, ref);
  if (!valid.ok) return valid;
  if (params.symbol !== inst.symbol) {
    return failure('SYMBOL_MISMATCH', `the grid is for ${params.symbol} but the instrument is ${inst.symbol}`);
  }
  if (makerFee < ZERO || takerFee < ZERO || takerFee >= SCALE) {
    return failure('INVALID_FEE', `fees must be fractions from 0 to below 1 (maker ${format(makerFee)}, taker ${format(takerFee)})`);
  }
  const n = params.levels;
  const prices = gridLevelPrices(params, inst, ref);
  const trail = checkTrailLimits(params, prices);
  if (!trail.ok) return trail;
  const sizing: LevelSizing = { feeRate: makerFee, feeInBase: input.buyFeeInBase ?? true };
  const minNotional = minNotionalOf(inst);
  const minQty = inst.filters.lotSize.minQty;

  const levels: LadderLevel[] = [];
  const belowMin: number[] = [];
  const rejected: number[] = [];
  const rejectedFilters = new Set<string>();
  let quoteForBuys = ZERO;
  let baseForSells = ZERO;
  for (let index = -n; index <= n; index++) {
    if (index === 0) continue;
    const side: Side = index < 0 ? 'BUY' : 'SELL';
    const price = prices[index + n] as Fixed;
    if (params.range !== undefined && price === ZERO) continue; // padding beyond a range grid's last line
    const levelQty = price > ZERO ? roundQuantity(inst, fixed.div(params.amountQuote, price, 'floor')) : ZERO;
    const quantity = side === 'BUY' ? buyQuantityFor(inst, levelQty, sizing) : levelQty;
    const notional = levelNotional(side, price, quantity);
    // The buy and the level quantity it delivers (sold one level up) must both pass: the level lives as both orders.
    let check = validateOrder(inst, { side, type: 'LIMIT', price, quantity: levelQty, referencePrice: ref });
    if (check.ok && quantity !== levelQty) check = validateOrder(inst, { side, type: 'LIMIT', price, quantity, referencePrice: ref });
    if (!check.ok) {
      if (price > ZERO && (levelQty === ZERO || levelQty < minQty || fixed.mul(price, levelQty, 'floor') < minNotional)) {
        belowMin.push(index);
      } else {
        rejected.push(index);
        rejectedFilters.add(check.error.filter);
      }
      continue;
    }
    levels.push({ index, side, price, quantity, notional, ...(quantity !== levelQty ? { sellQuantity: levelQty } : {}) });
    if (side === 'BUY') quoteForBuys += notional;
    else baseForSells += quantity;
  }

  const warnings: GridWarning[] = [];
  if (params.spacingPct < 200n * makerFee) {
    warnings.push({
      code: 'SPACING_UNDER_TWICE_FEE',
      message:
        `spacing ${format(params.spacingPct)} % is under twice the maker fee (${format(200n * makerFee)} %): ` + 'a round trip loses money',
    });
  }
  if (belowMin.length > 0) {
    warnings.push({
      code: 'BELOW_MIN_NOTIONAL',
      message:
        `levels ${belowMin.join(', ')} are under the minimum order size ` +
        `(${format(minNotional)} ${inst.quoteAsset}, ${format(minQty)} ${inst.baseAsset}) and are left out`,
      levels: belowMin,
    });
  }
  if (rejected.length > 0) {
    warnings.push({
      code: 'LEVEL_REJECTED_BY_FILTER',
      message: `levels ${rejected.join(', ')} break ${[...rejectedFilters].join(', ')} and are left out`,
      levels: rejected,
    });
  }
  const maxOrders = inst.filters.maxNumOrders;
  const orderCount = params.range !== undefined ? params.range.grids : 2 * n;
  if (maxOrders !== undefined && orderCount > maxOrders) {
    warnings.push({ code: 'TOO_MANY_ORDERS', message: `${orderCount} orders exceed ${inst.symbol}'s limit of ${maxOrders} open orders` });
  }
  const collapsed: number[] = [];
  for (let i = 0; i < 2 * n; i++) if (prices[i] === prices[i + 1] && !(params.range && prices[i] === ZERO)) collapsed.push(i - n);
  if (collapsed.length > 0) {
    warnings.push({
      code: 'LEVEL_COLLAPSED',
      message:
        `levels ${collapsed.map((i) => `${i}/${i + 1}`).join(', ')} round to the same price ` +
        `at tick ${format(inst.filters.priceFilter.tickSize)}`,
      levels: collapsed,
    });
  }

  let marketBuy: GridPreview['marketBuy'];
  if (baseForSells > input.baseFree) {
    const quantity = marketBuyQuantity(inst, baseForSells - input.baseFree, ref, takerFee);
    const check = validateOrder(inst, { side: 'BUY', type: 'MARKET', quantity, referencePrice: ref });
    if (check.ok) {
      const estimatedQuote = fixed.divRound(quantity * ref * (SCALE + takerFee), SCALE * SCALE, 'ceil');
      marketBuy = { quantity, estimatedQuote };
    } else {
      warnings.push({
        code: 'MARKET_BUY_REJECTED_BY_FILTER',
        message: `the market buy of ${format(quantity)} ${inst.baseAsset} is not allowed: ${check.error.message}`,
      });
    }
  }
  const quoteNeeded = quoteForBuys + (marketBuy?.estimatedQuote ?? ZERO);
  if (quoteNeeded > input.quoteFree) {
    warnings.push({
      code: 'INSUFFICIENT_QUOTE',
      message: `the grid needs ${format(quoteNeeded)} ${inst.quoteAsset} but ${format(input.quoteFree)} is free`,
    });
  }

  return ok({
    params,
    referencePrice: ref,
    baseAsset: inst.baseAsset,
    quoteAsset: inst.quoteAsset,
    levels,
    quoteForBuys,
    baseForSells,
    ...(marketBuy ? { marketBuy } : {}),
    quoteNeeded,
    profitPerGrid: profitPerGrid(prices, levels, n, makerFee, (q) => buyQuantityFor(inst, q, sizing)),
    makerFee,
    warnings,
    buyFeeInBase: sizing.feeInBase,
    ...feeSizingExample(inst, levels, sizing),
    shape: ladderShape(prices, levels),
    ...(trigger !== undefined ? { marketPrice: input.referencePrice } : {}),
    takerFee,
  });
}

/**
 * A trailing limit must leave room for at least one move: `trail=PRICE` above the ladder's top line, `trail-down=PRICE`
 * below its bottom line (Binance asks the same of its trailing limits). The refusal names the argument and an example.
 */
function checkTrailLimits(params: GridParams, prices: readonly Fixed[]): Result<void> {
  const lines = prices.filter((p) => p > ZERO);
  const top = lines[lines.length - 1];
  const bottom = lines[0];
  const up = params.trailUp?.limit;
  if (up !== undefined && top !== undefined && up <= top) {
    return failure(
      'INVALID_TRAIL',
      `trail=${format(up)} must be above the ladder's top line ${format(top)}: trailing up moves the top line up to that ` +
        `price, like trail=${format(fixed.roundTo(top + top / 10n, SCALE, 'ceil'))}, or plain trail for no limit`,
    );
  }
  const down = params.trailDown?.limit;
  if (down !== undefined && bottom !== undefined && down >= bottom) {
    return failure(
      'INVALID_TRAIL',
      `trail-down=${format(down)} must be below the ladder's bottom line ${format(bottom)}: trailing down moves the bottom ` +
        `line down to that price, like trail-down=${format(fixed.roundTo(bottom - bottom / 10n, SCALE, 'floor'))}, ` +
        'or plain trail-down for no limit',
    );
  }
  return ok(undefined);
}

/** The preview's "buys 0.00105 to sell 0.00104 after the 0.1 % fee": the innermost buy (or sell) level, when sized up. */
function feeSizingExample(inst: Instrument, levels: readonly LadderLevel[], sizing: LevelSizing): Pick<GridPreview, 'feeSizing'> {
  const level = levels.filter((l) => l.side === 'BUY').at(-1) ?? levels.find((l) => l.side === 'SELL');
  if (level === undefined) return {};
  const sell = level.sellQuantity ?? level.quantity;
  const buy = buyQuantityFor(inst, sell, sizing);
  return buy === sell ? {} : { feeSizing: { feeRate: sizing.feeRate, buy, sell } };
}

/** shortfall / (1 − takerFee) up to the step, then up to the minimum quantity and minimum notional at `ref`. */
function marketBuyQuantity(inst: Instrument, shortfall: Fixed, ref: Fixed, takerFee: Fixed): Fixed {
  const step = marketStep(inst);
  let q = fixed.roundTo(fixed.div(shortfall, SCALE - takerFee, 'ceil'), step, 'ceil');
  const lot = inst.filters.lotSize;
  const lotMin = inst.filters.marketLotSize?.minQty ?? ZERO;
  const minQty = lot.minQty > lotMin ? lot.minQty : lotMin;
  if (q < minQty) q = fixed.roundTo(minQty, step, 'ceil');
  const mn = inst.filters.minNotional;
  if (mn && mn.applyToMarket && fixed.mul(ref, q, 'floor') < mn.minNotional) {
    q = fixed.roundTo(fixed.div(mn.minNotional, ref, 'ceil'), step, 'ceil');
  }
  return q;
}
