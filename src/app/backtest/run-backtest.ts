import {
  type Candle,
  type Fixed,
  type OrderFilled,
  type Result,
  SCALE,
  ZERO,
  err,
  fixed,
  ok,
  perpetualSymbol,
  venueSymbol,
} from '../../domain/index.js';
import { ManualClock, SequentialIds } from '../../engine/index.js';
import type { GridPnl } from '../../portfolio/index.js';
import { type GridPreview, buildGridPreview } from '../../strategy/index.js';
import { type PaperFuturesKernel, type PaperKernel, buildPaperKernel } from '../paper-kernel.js';
import { annualisedPct, maxDrawdownPct, pctOf, perDay } from './backtest-figures.js';
import type { BacktestFill, BacktestReport, BacktestRequest, EquityPoint } from './backtest-types.js';
import { CandleTicks } from './candle-ticks.js';
import { type FuturesReplay, futuresReplay } from './futures-replay.js';

const QUIET = { warn: () => undefined, error: () => undefined };
const DEFAULT_PROGRESS_EVERY = 2_000;
const YIELD_EVERY = 1_000;
/** What the preview is sized against before the account exists: far more than any grid needs. */
const PLENTY = 10n ** 12n * SCALE;

/**
 * Replays `candles` through the engine paper mode trades with: the same kernel (grid strategy, risk gate, portfolio),
 * the sandbox's matching core behind the paper gateway, a manual clock on the candles' time, and no network. A trade
 * that fills waits for the grid's answer (its re-arm is on the book) before the next trade, as a live bot keeps up
 * with a market that moves no faster than it can answer; so a backtest books what paper mode books on the same tape.
 * Resolves with the report, or the preview's refusal; `signal` stops it between candles.
 */
export async function runBacktest(request: BacktestRequest, signal?: AbortSignal): Promise<Result<BacktestReport>> {
  const started = Date.now();
  const { candles, instrument: inst, fees } = request;
  const first = candles[0];
  const last = candles.at(-1);
  if (first === undefined || last === undefined) return err({ code: 'NO_CANDLES', message: 'there are no candles to replay' });
  // A futures grid trades the perpetual: the candles are its tape, the ticks named `BTCUSDT.P`.
  const futuresTerms = request.params.futures;
  const tradedSymbol = futuresTerms ? perpetualSymbol(venueSymbol(inst.symbol)) : inst.symbol;
  const ticks = new CandleTicks(tradedSymbol, inst.filters.priceFilter.tickSize);
  const firstTicks = [...ticks.of(first)];
  const open = firstTicks[0];
  if (open === undefined) return err({ code: 'NO_TRADES', message: 'the first candle has no trades (zero volume)' });

  const clock = new ManualClock(open.time);
  const ids = new SequentialIds();
  const limits = { ...request.limits, staleAfterMs: 0 };
  let balances: Readonly<Record<string, Fixed>> = {};
  let kernel: PaperKernel | PaperFuturesKernel;
  let futures: FuturesReplay | undefined;
  if (futuresTerms) {
    const replay = futuresReplay(request, open.price, { clock, ids, log: QUIET, limits });
    if (!replay.ok) return replay;
    futures = replay.value;
    kernel = futures.kernel;
  } else {
    const sizing = previewAt(request, open.price, PLENTY);
    if (!sizing.ok) return sizing;
    balances = request.balances ?? { [inst.quoteAsset]: sizing.value.quoteNeeded * 2n };
    kernel = buildPaperKernel({
      instruments: [inst],
      balances,
      fees,
      limits,
      source: { symbols: [inst.symbol], next: () => undefined },
      clock,
      ids,
      log: QUIET,
    });
  }
  const bus = kernel.host.bus;
  const gridFills: BacktestFill[] = [];
  let feesPaid = ZERO;
  let filled = false;
  const denied: Record<string, number> = {};
  bus.on('OrderFilled', (f: OrderFilled) => {
    filled = true;
    if (f.owner.kind !== 'grid') return;
    gridFills.push({ time: f.time, side: f.side, price: f.price, quantity: f.quantity });
    feesPaid += f.feeQuote;
  });
  bus.on('OrderDenied', (m) => (denied[m.code] = (denied[m.code] ?? 0) + 1));
  const onRoundTrip = request.onRoundTrip;
  if (onRoundTrip) bus.on('GridRoundTrip', (m) => onRoundTrip(m));

  await kernel.start();
  try {
    const publish = async (tick: (typeof firstTicks)[number]): Promise<void> => {
      clock.set(tick.time);
      bus.publish({ type: 'TradeTicked', tick });
      // The futures book books a settlement once the venue's income rows answer (promises, no timers, no I/O): every
      // promise callback has run when the immediate-queue turn comes, so the grid's funding is booked before the next trade.
      if (futures?.fundingReported() === true) await new Promise<void>((resolve) => setImmediate(resolve));
      if (!filled) return;
      filled = false;
      await kernel.executor.settled();
    };
    await publish(open);
    const preview = futures
      ? await futures.preview()
      : previewAt(request, open.price, balances[inst.quoteAsset] ?? ZERO, balances[inst.baseAsset] ?? ZERO);
    if (!preview.ok) return preview;
    const startedGrid = kernel.grids.startGrid(preview.value);
    if (!startedGrid.ok) return startedGrid;
    const gridId = startedGrid.value.gridId;
    const valued = (pnl: GridPnl | undefined) => (futures ? futures.valued(pnl) : pnl);
    await kernel.executor.settled();

    const prices = preview.value.levels.filter((l) => l.index !== 0).map((l) => l.price);
    const lowest = prices.reduce((a, b) => (b < a ? b : a), open.price);
    const highest = prices.reduce((a, b) => (b > a ? b : a), open.price);
    const investment = kernel.portfolio.gridPnl(gridId)?.investment ?? preview.value.quoteNeeded;
    const hold = holding(investment, open.price, fees.taker, inst.filters.lotSize.stepSize);
    const equity: EquityPoint[] = [];
    let inRange = 0;
    const every = request.progressEvery ?? DEFAULT_PROGRESS_EVERY;

    for (let c = 0; c < candles.length; c++) {
      if (signal !== undefined) {
        // A replay never waits on the network: without a turn of the event loop now and then, no abort could land.
        if (c % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
        if (signal.aborted) return err({ code: 'CANCELLED', message: 'the backtest was cancelled' });
      }
      const candle = candles[c] as Candle;
      const trades = c === 0 ? firstTicks.slice(1) : ticks.of(candle);
      for (const tick of trades) await publish(tick);
      if (candle.close >= lowest && candle.close <= highest) inRange++;
      // A futures grid's position is valued at its liquidation once liquidated: the whole figures; spot needs the total only.
      const total = futures ? valued(kernel.portfolio.gridPnl(gridId))?.totalPnl : kernel.portfolio.gridTotalPnl(gridId);
      equity.push({
        time: candle.closeTime,
        close: candle.close,
        grid: investment + (total ?? ZERO),
        hold: hold.valueAt(candle.close),
      });
      if ((c + 1) % every === 0) request.progress?.(c + 1, candles.length);
    }
    await kernel.executor.settled();

    const end = valued(kernel.portfolio.gridPnl(gridId));
    const elapsedMs = last.closeTime + 1 - first.openTime;
    const gridTotal = end?.totalPnl ?? ZERO;
    const futuresOutcome = futures?.outcome();
    // A futures grid's flows hold its funding: the unrealized figure is the position's alone, funding said apart.
    const unrealizedPnl = (end?.floatingPnl ?? ZERO) - (futuresOutcome?.funding ?? ZERO);
    const holdTotal = hold.valueAt(last.close) - investment;
    const report: BacktestReport = {
      symbol: tradedSymbol,
      interval: request.interval,
      from: first.openTime,
      to: last.closeTime,
      candles: candles.length,
      preview: preview.value,
      investment,
      gridProfit: end?.gridProfit ?? ZERO,
      roundTrips: end?.roundTrips ?? 0,
      unrealizedPnl,
      fees: feesPaid,
      fills: gridFills.length,
      fillsPerDay: perDay(gridFills.length, elapsedMs),
      timeInRangePct: pctOf(BigInt(inRange) * SCALE, BigInt(candles.length) * SCALE),
      grid: outcome(
        gridTotal,
        investment,
        elapsedMs,
        equity.map((p) => p.grid),
      ),
      hold: outcome(
        holdTotal,
        investment,
        elapsedMs,
        equity.map((p) => p.hold),
      ),
      denied,
      equity,
      gridFills,
      wallMs: Date.now() - started,
      ...(futuresOutcome ? { futures: futuresOutcome } : {}),
    };
    return ok(report);
  } finally {
    await kernel.stop();
  }
}

function previewAt(request: BacktestRequest, price: Fixed, quoteFree: Fixed, baseFree = ZERO): Result<GridPreview> {
  return buildGridPreview({
    params: request.params,
    instrument: request.instrument,
    referencePrice: price,
    baseFree,
    quoteFree,
    makerFee: request.fees.maker,
    takerFee: request.fees.taker,
  });
}

function outcome(totalPnl: Fixed, investment: Fixed, elapsedMs: number, curve: readonly Fixed[]) {
  const returnPct = pctOf(totalPnl, investment);
  return { totalPnl, returnPct, aprPct: annualisedPct(returnPct, elapsedMs), maxDrawdownPct: maxDrawdownPct(curve) };
}

/** The yardstick: the investment bought at market at the first price (the taker fee taken in base) and held. */
function holding(investment: Fixed, price: Fixed, takerFee: Fixed, step: Fixed) {
  const bought = fixed.roundTo(fixed.div(investment, price, 'floor'), step, 'floor');
  const held = bought - fixed.mul(bought, takerFee, 'ceil');
  const change = investment - fixed.mul(bought, price, 'ceil');
  return { valueAt: (close: Fixed): Fixed => change + fixed.mul(held, close, 'halfEven') };
}
