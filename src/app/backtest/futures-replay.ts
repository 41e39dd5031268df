import {
  type Fixed,
  FundingRateSeries,
  type Instrument,
  type Result,
  SCALE,
  ZERO,
  failure,
  fixed,
  ok,
  perpetualSymbol,
  venueSymbol,
} from '../../domain/index.js';
import type { ManualClock, SequentialIds } from '../../engine/index.js';
import { paperFuturesBrackets } from '../../exchange/paper/index.js';
import type { GridPnl } from '../../portfolio/index.js';
import type { RiskLimits } from '../../risk/index.js';
import { type GridPreview, buildFuturesGridPreview } from '../../strategy/index.js';
import { prepareFuturesGrid, previewFuturesGrid } from '../futures-services.js';
import { type PaperFuturesKernel, buildPaperKernel } from '../paper-kernel.js';
import type { KernelLog } from '../trading-kernel.js';
import type { BacktestFunding, BacktestFutures, BacktestRequest } from './backtest-types.js';

/** What the sizing preview is given as the wallet: far more than any grid needs, so only the grid's own need counts. */
const PLENTY = 10n ** 12n * SCALE;

/** A futures grid's replay: the kernel with the paper USD-M venue, and what it hears of funding and liquidation. */
export interface FuturesReplay {
  readonly kernel: PaperFuturesKernel;
  /** The perpetual the ticks are named for (`BTCUSDT.P`). */
  readonly symbol: string;
  /** The grid's preview as `/grid … long x5` previews it, with the venue's leverage and margin type set as the services set them. */
  preview(): Promise<Result<GridPreview>>;
  /** A funding settlement was reported since the last call: its booking (the book asks the venue's income) is under way. */
  fundingReported(): boolean;
  outcome(): BacktestFutures;
  /**
   * The grid's figures as they stand: after a liquidation the portfolio still marks the position the grid held (its
   * inventory at the last trade), but the venue closed it at the liquidation price and took the clearance fee; from
   * then on the grid is worth that, and nothing moves it.
   */
  valued(pnl: GridPnl | undefined): GridPnl | undefined;
}

/**
 * Builds the paper kernel with a USD-M side for `request` (params.futures set): the perpetual of the request's
 * instrument, the futures wallet `balances[quote]` or else twice the margin the grid needs (as a spot replay funds
 * twice its quote), the request's fees on the futures account, and its funding (default the sandbox's constant).
 */
export function futuresReplay(
  request: BacktestRequest,
  openPrice: Fixed,
  parts: { readonly clock: ManualClock; readonly ids: SequentialIds; readonly log: KernelLog; readonly limits: RiskLimits },
): Result<FuturesReplay> {
  const terms = request.params.futures;
  if (terms === undefined) return failure('NOT_FUTURES', 'the grid has no futures terms (long, short or neutral)');
  const venue: Instrument = { ...request.instrument, symbol: venueSymbol(request.instrument.symbol) };
  const symbol = perpetualSymbol(venue.symbol);
  const brackets = paperFuturesBrackets(symbol);
  if (brackets === undefined) return failure('NO_BRACKETS', `the paper venue has no leverage brackets for ${symbol}`);
  const sizing = buildFuturesGridPreview({
    params: { ...request.params, symbol },
    instrument: { ...venue, symbol },
    referencePrice: openPrice,
    makerFee: request.fees.maker,
    takerFee: request.fees.taker,
    brackets,
    fundingRate: ZERO,
    fundingIntervalHours: 8,
    walletBalance: PLENTY,
    minLiquidationDistancePct: ZERO,
  });
  if (!sizing.ok) return sizing;
  const wallet = request.balances?.[venue.quoteAsset] ?? sizing.value.quoteNeeded * 2n;
  const funding = request.funding;
  const built = buildPaperKernel({
    instruments: [],
    balances: {},
    fees: request.fees,
    limits: parts.limits,
    source: { symbols: [symbol], next: () => undefined },
    clock: parts.clock,
    ids: parts.ids,
    log: parts.log,
    futures: {
      instruments: [venue],
      wallet,
      fees: request.fees,
      ...(funding instanceof FundingRateSeries ? { fundingSeries: { [symbol]: funding } } : {}),
      ...(typeof funding === 'bigint' ? { fundingRate: funding } : {}),
    },
  });
  const bus = built.host.bus;
  const settlements: BacktestFunding[] = [];
  let reported = false;
  let liquidation: { readonly price: Fixed; readonly fee: Fixed } | undefined;
  bus.on('FuturesAccountReported', (m) => {
    if (m.update.reason === 'FUNDING_FEE') reported = true;
  });
  bus.on('FundingSettled', (m) => {
    if (m.symbol !== symbol) return;
    // The venue's own rate for that settlement: the book's `rate` is the coming one it last heard, which the mark that
    // follows the settling trade has already moved on to the next settlement's.
    const rate = built.paperFutures.fundingRateAt(symbol, m.time);
    settlements.push({ time: m.time, amount: m.amount, ...(rate !== undefined ? { rate } : {}) });
  });
  bus.on('PositionLiquidated', (m) => {
    const t = m.report.trade;
    if (m.report.symbol === symbol && t !== undefined) liquidation = { price: t.price, fee: t.commission };
  });
  return ok({
    kernel: built,
    symbol,
    async preview() {
      const preview = await previewFuturesGrid(built, { ...request.params, symbol });
      if (!preview.ok) return preview;
      const prepared = await prepareFuturesGrid(built, preview.value);
      return prepared.ok ? preview : prepared;
    },
    fundingReported() {
      const was = reported;
      reported = false;
      return was;
    },
    outcome: () => ({
      mode: terms.mode,
      leverage: terms.leverage,
      margin: terms.margin,
      wallet,
      walletEnd: built.futuresBook.totals().walletBalance,
      funding: settlements.reduce((s, f) => s + f.amount, ZERO),
      settlements,
      liquidated: liquidation !== undefined,
    }),
    valued(pnl) {
      const at = liquidation;
      if (at === undefined || pnl?.totalPnl === undefined || pnl.base === undefined || pnl.mark === undefined) return pnl;
      // totalPnl = flows + base·mark (half-even): the same flows with the base closed at the liquidation price, less its fee.
      const flows = pnl.totalPnl - fixed.mul(pnl.base, pnl.mark, 'halfEven');
      const totalPnl = flows + fixed.mul(pnl.base, at.price, 'halfEven') - at.fee;
      return { ...pnl, mark: at.price, totalPnl, floatingPnl: totalPnl - pnl.gridProfit };
    },
  });
}
