import {
  type Fixed,
  type Result,
  ZERO,
  failure,
  fundingWalletChange,
  isPerpetual,
  ok,
  perpetualSymbol,
  venueSymbol,
} from '../domain/index.js';
import type { FundingView, FuturesPnlView, TradingServices } from '../chat/index.js';
import type { GridParams, GridPreview, GridWarning } from '../strategy/index.js';
import { buildFuturesGridPreview } from '../strategy/index.js';
import { riskWarnings } from './preview-risk.js';
import type { TradingKernel } from './trading-kernel.js';

/** Binance's funding interval for a perpetual fundingInfo does not list (facts D.6). */
const DEFAULT_FUNDING_INTERVAL_HOURS = 8;

/** The grid's symbol as the bot names a perpetual: `/grid BTCUSDT … long` trades BTCUSDT.P. */
function futuresParams(params: GridParams): GridParams {
  return isPerpetual(params.symbol) ? params : { ...params, symbol: perpetualSymbol(params.symbol) };
}

function notTraded(symbol: string): Result<never> {
  const base = venueSymbol(symbol);
  return failure(
    'FUTURES_NOT_CONNECTED',
    `${base} perpetual futures are not traded by this bot: FUTURES_SYMBOLS does not include ${base} ` +
      `(set FUTURES_SYMBOLS=${base} and restart), or leave out long/short/neutral for a spot grid.`,
  );
}

/**
 * The futures grid preview (strategy buildFuturesGridPreview) on the venue's figures: the symbol's leverage brackets,
 * the coming funding rate (the last mark tick, else premiumIndex), the book's available margin as the wallet behind the
 * grid, and the owner's liquidation-distance and leverage settings; then the risk gate's limits as for spot.
 */
export async function previewFuturesGrid(kernel: TradingKernel, raw: GridParams): Promise<Result<GridPreview>> {
  const params = futuresParams(raw);
  const { symbol } = params;
  const venue = kernel.futures;
  const instrument = kernel.instruments.get(symbol);
  if (venue === undefined || instrument === undefined) return notTraded(symbol);
  const terms = params.futures;
  if (terms === undefined) return failure('NOT_FUTURES', `${symbol} is a perpetual: add long, short or neutral`);
  const maxLeverage = kernel.limits.maxLeverage ?? 0;
  if (maxLeverage > 0 && terms.leverage > maxLeverage) {
    return failure('MAX_LEVERAGE', `x${terms.leverage} is over your limit RISK_MAX_LEVERAGE=${maxLeverage}; use x${maxLeverage} or less`);
  }
  const book = kernel.futuresBook;
  let brackets = book.brackets(symbol);
  if (brackets === undefined) {
    const asked = await venue.brackets(symbol);
    if (!asked.ok) return failure('FUTURES_VENUE', `the venue did not give ${symbol}'s leverage brackets: ${asked.error.message}`);
    book.setBrackets(asked.value);
    brackets = asked.value.find((b) => b.symbol === symbol);
    if (brackets === undefined) return failure('FUTURES_VENUE', `the venue has no leverage brackets for ${symbol}`);
  }
  const referencePrice = kernel.market.lastPrice(symbol);
  if (referencePrice === undefined) return failure('NO_MARKET_DATA', `no trade seen on ${symbol} yet; try again in a moment`);
  const funding = await fundingNow(kernel, symbol);
  if (!funding.ok) return funding;
  const intervals = await venue.fundingIntervals();
  if (!intervals.ok) return failure('FUTURES_VENUE', `the venue did not give the funding intervals: ${intervals.error.message}`);
  // The USD-M account's own rates (MAKER_FEE/TAKER_FEE are spot's); the settings only if the venue does not say.
  const rates = await venue.commissionRate(symbol);
  const fees = rates.ok ? { maker: rates.value.maker, taker: rates.value.taker } : kernel.fees;
  const built = buildFuturesGridPreview({
    params,
    instrument,
    referencePrice,
    makerFee: fees.maker,
    takerFee: fees.taker,
    brackets,
    fundingRate: funding.value.rate,
    fundingIntervalHours: intervals.value.get(symbol) ?? DEFAULT_FUNDING_INTERVAL_HOURS,
    walletBalance: book.availableMargin(),
    minLiquidationDistancePct: kernel.limits.minLiquidationDistancePct ?? ZERO,
  });
  if (!built.ok) return built;
  const preview = built.value;
  if (preview.levels.length === 0) {
    const why = preview.warnings.map((w) => w.message).join(' ');
    return failure('EMPTY_GRID', `no level of this grid can be placed. ${why}`.trim());
  }
  const open = { onSymbol: kernel.tracker.openCount(symbol), total: kernel.tracker.openCount() };
  const extra: GridWarning[] = riskWarnings(preview, kernel.limits, open);
  return extra.length === 0 ? ok(preview) : ok({ ...preview, warnings: [...preview.warnings, ...extra] });
}

/** The coming funding rate and settlement: the last MarkPriceTicked, else the venue's premium index. */
async function fundingNow(kernel: TradingKernel, symbol: string): Promise<Result<{ rate: Fixed; next: number; mark: Fixed }>> {
  const v = kernel.futuresBook.positionView(symbol);
  if (v?.fundingRate !== undefined && v.nextFundingTime !== undefined && v.nextFundingTime > 0 && v.mark !== undefined)
    return ok({ rate: v.fundingRate, next: v.nextFundingTime, mark: v.mark });
  const venue = kernel.futures;
  if (venue === undefined) return notTraded(symbol);
  const p = await venue.premiumIndex(symbol);
  if (!p.ok) return failure('FUTURES_VENUE', `the venue did not give ${symbol}'s funding rate: ${p.error.message}`);
  return ok({ rate: p.value.fundingRate, next: p.value.nextFundingTime, mark: p.value.markPrice });
}

/**
 * Before a futures grid's first order: the symbol's leverage and margin type on the venue, as previewed. A refusal
 * (an open position or order blocks a margin-type change, -4047/-4048; a leverage the brackets do not allow) stops the
 * start, told plainly; the book learns what the venue accepted.
 */
export async function prepareFuturesGrid(kernel: TradingKernel, preview: GridPreview): Promise<Result<void>> {
  const { symbol, futures: terms } = preview.params;
  const venue = kernel.futures;
  if (terms === undefined) return ok(undefined);
  if (venue === undefined) return notTraded(symbol);
  const marginType = terms.margin === 'isolated' ? 'ISOLATED' : 'CROSSED';
  const mt = await venue.setMarginType(symbol, marginType);
  if (!mt.ok) {
    return failure(
      'MARGIN_TYPE_REFUSED',
      `the venue refused ${terms.margin} margin on ${symbol} (${mt.error.code}: ${mt.error.message}); ` +
        'Binance changes the margin type only with no open position or order on the symbol. Nothing was placed.',
    );
  }
  kernel.futuresBook.setMarginType(symbol, marginType);
  const lev = await venue.setLeverage(symbol, terms.leverage);
  if (!lev.ok) {
    return failure(
      'LEVERAGE_REFUSED',
      `the venue refused x${terms.leverage} on ${symbol} (${lev.error.code}: ${lev.error.message}). Nothing was placed.`,
    );
  }
  kernel.futuresBook.setLeverage(symbol, lev.value.leverage);
  if (lev.value.leverage !== terms.leverage) {
    return failure('LEVERAGE_REFUSED', `the venue set ${symbol} to x${lev.value.leverage}, not x${terms.leverage}. Nothing was placed.`);
  }
  return ok(undefined);
}

/**
 * The chat's futures reads over the book: positions, the PnL split (grid profit from the portfolio's round trips on
 * perpetuals, the rest from the futures book) and /funding. Without a futures venue only /funding, which says why not.
 */
export function futuresViews(kernel: TradingKernel): Pick<TradingServices, 'futuresPositions' | 'futuresPnl' | 'funding'> {
  const book = kernel.futuresBook;
  const funding = async (typed: string): Promise<Result<FundingView>> => {
    const symbol = isPerpetual(typed) ? typed : perpetualSymbol(typed);
    if (!kernel.instruments.has(symbol)) {
      const spot = kernel.instruments.has(venueSymbol(typed));
      const perps = [...kernel.instruments.keys()].filter(isPerpetual);
      const example = perps[0] ?? 'BTCUSDT.P';
      if (kernel.futures === undefined || perps.length === 0) return notTraded(symbol);
      return failure(
        spot ? 'SPOT_SYMBOL' : 'UNKNOWN_SYMBOL',
        spot
          ? `${venueSymbol(typed)} is traded spot here, and spot pays no funding; its perpetual is not in FUTURES_SYMBOLS. ` +
              `Perpetuals traded: ${perps.join(', ')}; e.g. /funding ${example}.`
          : `${typed} is not a perpetual this bot trades (${perps.join(', ')}); e.g. /funding ${example}.`,
      );
    }
    const now = await fundingNow(kernel, symbol);
    if (!now.ok) return now;
    const v = book.positionView(symbol);
    const position = v?.amount ?? ZERO;
    return ok({
      symbol,
      rate: now.value.rate,
      nextFundingTime: now.value.next,
      mark: now.value.mark,
      position,
      payment: position === ZERO ? ZERO : fundingWalletChange(position, now.value.mark, now.value.rate),
      paidSoFar: v?.funding ?? ZERO,
    });
  };
  if (kernel.futures === undefined) return { funding };
  return {
    funding,
    futuresPositions: () => book.positions(),
    futuresPnl(): FuturesPnlView {
      const t = book.totals();
      const grids = kernel.portfolio
        .pnl()
        .grids.filter((g) => isPerpetual(g.symbol))
        .map((g) => ({ gridId: g.gridId, symbol: g.symbol, roundTrips: g.roundTrips, profit: g.profit }));
      return {
        gridProfit: grids.reduce((sum, g) => sum + g.profit, ZERO),
        unrealized: t.unrealizedPnl,
        realized: t.realizedPnl,
        funding: t.funding,
        fees: t.fees,
        walletBalance: t.walletBalance,
        availableMargin: t.availableMargin,
        grids,
      };
    },
  };
}
