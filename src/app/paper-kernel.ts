import { type Fixed, type FundingRateSeries, type Instrument, isPerpetual, venueSymbol } from '../domain/index.js';
import { type Clock, ManualClock, type SequentialIds } from '../engine/index.js';
import { PaperFuturesGateway, PaperGateway } from '../exchange/paper/index.js';
import { MarketRouter } from '../exchange/routing/index.js';
import { FeedPump, type TickSource } from '../market/index.js';
import type { RiskLimits } from '../risk/index.js';
import { type KernelLog, type TradingKernel, buildTradingKernel } from './trading-kernel.js';

export interface PaperKernelOptions {
  readonly instruments: readonly Instrument[];
  readonly balances: Readonly<Record<string, Fixed>>;
  readonly fees: { readonly maker: Fixed; readonly taker: Fixed };
  readonly limits: RiskLimits;
  readonly source: TickSource;
  readonly clock: Clock;
  readonly ids: SequentialIds;
  readonly log: KernelLog;
  /** USD-M perpetuals beside spot, on the in-process paper USD-M venue; without it the kernel trades spot only. */
  readonly futures?: PaperFuturesOptions;
}

// ── futures side (USD-M on the in-process paper venue) ──────────────────────────────────────────────────────────

/** The paper USD-M account: which perpetuals, its wallet and fees, and the funding it settles. */
export interface PaperFuturesOptions {
  /** The instruments whose perpetuals are traded (Binance's name or the bot's `.P`); the kernel lists them as `BTCUSDT.P`. */
  readonly instruments: readonly Instrument[];
  /** The futures account's starting USDT wallet; default the sandbox's 10,000. */
  readonly wallet?: Fixed;
  /** Its commission rates; default the kernel's `fees`. */
  readonly fees?: { readonly maker: Fixed; readonly taker: Fixed };
  /** A constant rate every settlement applies; default the sandbox's 0.0001 (Binance's base 0.01 % per 8 h). */
  readonly fundingRate?: Fixed;
  /** Replayed rates per perpetual (`BTCUSDT.P` or `BTCUSDT`), winning over the constant; no row, no settlement. */
  readonly fundingSeries?: Readonly<Record<string, FundingRateSeries>>;
}

/** The trading kernel on the in-process paper venue, with the tape pumped straight onto its bus. */
export interface PaperKernel<G extends PaperGateway | MarketRouter<PaperGateway> = PaperGateway> extends TradingKernel<G> {
  readonly pump: FeedPump;
}

/** With a futures side: the router over both paper venues, and the USD-M one itself. */
export interface PaperFuturesKernel extends PaperKernel<MarketRouter<PaperGateway>> {
  readonly paperFutures: PaperFuturesGateway;
}

/**
 * The deterministic build for tests, replays and benchmarks: the in-process paper venue answers synchronously and
 * hears each trade first, so a resting order fills on the trade that crosses it before strategies react. With
 * `futures`, a MarketRouter sends `.P` orders to the paper USD-M venue (the sandbox's FuturesEngine), which hears the
 * perpetual's trades the same way; its mark and coming funding follow each of them onto the bus as MarkPriceTicked.
 */
export function buildPaperKernel(o: PaperKernelOptions & { readonly futures?: undefined }): PaperKernel;
export function buildPaperKernel(o: PaperKernelOptions & { readonly futures: PaperFuturesOptions }): PaperFuturesKernel;
export function buildPaperKernel(o: PaperKernelOptions): PaperKernel | PaperFuturesKernel {
  const spot = new PaperGateway({
    instruments: o.instruments,
    startingBalances: o.balances,
    fees: { maker: o.fees.maker, taker: o.fees.taker },
    clock: o.clock,
  });
  const futures = o.futures && paperFuturesGateway(o.futures, o.fees, o.clock);
  const gateway = futures ? new MarketRouter({ spot, futures }) : spot;
  const kernel = buildTradingKernel<PaperGateway | MarketRouter<PaperGateway>>({
    gateway,
    instruments: futures ? [...o.instruments, ...futures.perpetualInstruments()] : o.instruments,
    fees: o.fees,
    limits: o.limits,
    clock: o.clock,
    ids: o.ids,
    log: o.log,
    ...(futures ? { futures } : {}),
  });
  const bus = kernel.host.bus;
  // The venue's reports for a tick are queued behind it (run to completion), so every component sees the tick first.
  bus.on('TradeTicked', (m) => {
    if (futures === undefined || !isPerpetual(m.tick.symbol)) return spot.onTrade(m.tick);
    futures.onTrade(m.tick);
    // The mark stream's word after each trade: the futures book values positions and funding at it.
    const mark = futures.mark(m.tick.symbol);
    if (mark) bus.publish({ type: 'MarkPriceTicked', symbol: m.tick.symbol, ...mark, time: m.tick.time });
  });
  // A manual clock follows the tape (tests, replays, benchmarks); the app's wall clock runs on its own.
  const pump = new FeedPump(o.source, bus, o.clock instanceof ManualClock ? { clock: o.clock } : {});
  return {
    ...kernel,
    pump,
    ...(futures ? { paperFutures: futures } : {}),
    async stop() {
      pump.stop();
      await kernel.stop();
    },
  } as PaperKernel | PaperFuturesKernel;
}

function paperFuturesGateway(f: PaperFuturesOptions, fees: PaperKernelOptions['fees'], clock: Clock): PaperFuturesGateway {
  // The sandbox's market keys its series by Binance's name.
  const series = Object.entries(f.fundingSeries ?? {}).map(([symbol, s]) => [venueSymbol(symbol), s] as const);
  return new PaperFuturesGateway({
    instruments: f.instruments,
    clock,
    market: {
      ...(f.fundingRate !== undefined ? { fundingRate: f.fundingRate } : {}),
      ...(series.length > 0 ? { fundingSeries: Object.fromEntries(series) } : {}),
    },
    account: { ...(f.wallet !== undefined ? { walletBalance: f.wallet } : {}), fees: f.fees ?? fees },
  });
}
